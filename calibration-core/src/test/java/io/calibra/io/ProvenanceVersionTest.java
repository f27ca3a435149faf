package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.TemperatureScaling;
import io.calibra.label.LabelSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library version in provenance is the Maven project's version, not a placeholder. */
class ProvenanceVersionTest {
  /** Set by the build's Surefire configuration from ${project.version}. */
  private static final String PROJECT_VERSION = System.getProperty("calibra.project.version");

  @Test
  void currentLibraryVersionIsTheProjectVersion() {
    assertThat(PROJECT_VERSION).as("calibra.project.version from the build").isNotBlank();
    assertThat(Provenance.currentLibraryVersion()).isEqualTo(PROJECT_VERSION);
  }

  @Test
  void aSavedFileRecordsTheProjectVersion(@TempDir Path tmp) {
    Path file = tmp.resolve("t.json");
    CalibratorFiles.save(
        TemperatureScaling.of(LabelSet.of("a", "b"), 1.5),
        Provenance.now("temperature", 0, null),
        file);
    assertThat(CalibratorFiles.load(file).provenance().libraryVersion()).isEqualTo(PROJECT_VERSION);
  }
}
