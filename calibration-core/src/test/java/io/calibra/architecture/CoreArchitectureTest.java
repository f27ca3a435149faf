package io.calibra.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** calibration-core stays pure Java: no native runtime, tensors or tokenizers. */
@AnalyzeClasses(packages = "io.calibra", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  @ArchTest
  static final ArchRule coreDependsOnNothingNative =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("ai.onnxruntime..", "ai.djl..", "org.bytedeco..", "com.sun.jna..")
          .because(
              "the core never sees ONNX, tensors or tokenizers: backends convert at the boundary");

  @ArchTest
  static final ArchRule metricsDoNotDependOnCalibrators =
      noClasses()
          .that()
          .resideInAPackage("io.calibra.metrics..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.calibra.calibrate..", "io.calibra.backend..", "io.calibra.prompt..");

  @ArchTest
  static final ArchRule labelModelIsAtTheBottom =
      noClasses()
          .that()
          .resideInAPackage("io.calibra.label..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.calibra.calibrate..",
              "io.calibra.backend..",
              "io.calibra.prompt..",
              "io.calibra.metrics..");
}
