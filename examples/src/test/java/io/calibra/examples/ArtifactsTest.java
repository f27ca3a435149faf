package io.calibra.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each published library module's build ships a sources jar and a Javadoc jar beside its classes
 * (the modules calibra-bom lists). The build packages the library modules before this one, so their
 * jars are in their target folders.
 */
class ArtifactsTest {
  private static final String VERSION = System.getProperty("calibra.project.version");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "calibration-core",
        "calibration-testkit",
        "onnx-backend",
        "http-backend",
        "calibration-spark"
      })
  void libraryModulesShipSourcesAndJavadocJars(String module) throws IOException {
    Path target = Path.of("..", module, "target");
    Path sources = target.resolve(module + "-" + VERSION + "-sources.jar");
    Path javadoc = target.resolve(module + "-" + VERSION + "-javadoc.jar");
    assertThat(sources).as("sources jar").isRegularFile();
    assertThat(javadoc).as("javadoc jar").isRegularFile();
    try (ZipFile z = new ZipFile(sources.toFile())) {
      List<String> names = z.stream().map(e -> e.getName()).toList();
      assertThat(names).anyMatch(n -> n.startsWith("io/calibra/") && n.endsWith(".java"));
    }
    try (ZipFile z = new ZipFile(javadoc.toFile())) {
      assertThat(z.getEntry("index.html")).as("index.html in " + javadoc).isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"examples", "benchmarks"})
  void examplesAndBenchmarksAreNeverInstalled(String module) throws IOException {
    String pom = Files.readString(Path.of("..", module, "pom.xml"));
    assertThat(pom)
        .contains("<maven.install.skip>true</maven.install.skip>")
        .contains("<maven.deploy.skip>true</maven.deploy.skip>");
  }
}
