package io.calibra.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * calibration-core's structure, held by rule: pure Java (no native runtime, tensors or tokenizers),
 * no cycles between its packages, and one layer order, from {@code internal} (helpers that know no
 * API type) up to the classifier and the prompt-sensitivity study.
 */
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

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices()
          .matching("io.calibra.(*)..")
          .should()
          .beFreeOfCycles()
          .because("a package that needs another is built and understood after it");

  @ArchTest
  static final ArchRule layersInOrder =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("internal")
          .definedBy("io.calibra.internal..")
          .layer("label")
          .definedBy("io.calibra.label..")
          .layer("measures and prompts")
          .definedBy(
              "io.calibra.metrics..",
              "io.calibra.conformal..",
              "io.calibra.selective..",
              "io.calibra.prompt..")
          .layer("backend")
          .definedBy("io.calibra.backend..")
          .layer("calibrate")
          .definedBy("io.calibra.calibrate..")
          .layer("io")
          .definedBy("io.calibra.io..")
          .layer("applications")
          .definedBy("io.calibra.classifier..", "io.calibra.sensitivity..")
          .whereLayer("applications")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("io")
          .mayOnlyBeAccessedByLayers("applications")
          .whereLayer("calibrate")
          .mayOnlyBeAccessedByLayers("io", "applications")
          .whereLayer("backend")
          .mayOnlyBeAccessedByLayers("calibrate", "io", "applications")
          .whereLayer("measures and prompts")
          .mayOnlyBeAccessedByLayers("backend", "calibrate", "io", "applications")
          .whereLayer("label")
          .mayOnlyBeAccessedByLayers(
              "measures and prompts", "backend", "calibrate", "io", "applications")
          .whereLayer("internal")
          .mayOnlyBeAccessedByLayers(
              "label", "measures and prompts", "backend", "calibrate", "io", "applications");
}
