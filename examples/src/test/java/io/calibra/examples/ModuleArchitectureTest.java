package io.calibra.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every module but the core keeps to the core's API, and no module has cycles between its packages.
 * The core's own packages are checked by its CoreArchitectureTest; the other modules' compiled
 * classes are read from their target folders, which the build fills before this module (as
 * ArtifactsTest reads their jars).
 */
class ModuleArchitectureTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "calibration-testkit",
        "onnx-backend",
        "http-backend",
        "calibration-cli",
        "calibration-spark",
        "benchmarks",
        "examples"
      })
  void usesOnlyTheCoresApiAndHasNoPackageCycles(String module) {
    Path classes = Path.of("..", module, "target", "classes");
    assertThat(classes.resolve("io/calibra"))
        .as("%s's classes (the build compiles it before this module)", module)
        .isDirectory();
    JavaClasses imported = new ClassFileImporter().importPath(classes);
    assertThat(imported).as("classes of %s", module).isNotEmpty();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.calibra.internal..")
        .because("io.calibra.internal is calibration-core's own; other modules use its API")
        .check(imported);
    slices()
        .matching("io.calibra.(**)")
        .should()
        .beFreeOfCycles()
        .because("a package that needs another is built and understood after it")
        .check(imported);
  }
}
