package io.calibra.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.label.LabelSet;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full or read-only disk while saving: a clear error, the old file intact, no partial file. */
class DiskFaultsTest {
  @TempDir Path tmp;

  private static final LabelSet AB = LabelSet.of("a", "b");

  private static io.calibra.calibrate.Calibrator bigCalibrator() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      names.add("l" + i);
    }
    return MatrixScaling.of(LabelSet.of(names), new double[200 * 200], new double[200]);
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void fullDiskKeepsTheOldFile() throws Exception {
    SmallFilesystem fs = SmallFilesystem.tryMount(tmp, 64);
    Assumptions.assumeTrue(fs != null, "cannot mount a small tmpfs here (needs root): skipping");
    try (fs) {
      Path model = fs.dir().resolve("model.json");
      CalibratorFiles.save(
          TemperatureScaling.of(AB, 2), Provenance.now("temperature", null, null, null), model);
      String good = Files.readString(model);
      assertThatThrownBy(
              () ->
                  CalibratorFiles.save(
                      bigCalibrator(), Provenance.now("matrix", null, null, null), model))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("model.json")
          .hasMessageContaining("No space left on device");
      assertThat(Files.readString(model)).isEqualTo(good);
      assertThat(files(fs.dir())).containsExactly("model.json");
      assertThat(CalibratorFiles.load(model).calibrator().parameters().get("temperature")[0])
          .isEqualTo(2.0);
    }
  }

  @Test
  void readOnlyDiskKeepsTheOldFile() throws Exception {
    SmallFilesystem fs = SmallFilesystem.tryMount(tmp, 256);
    Assumptions.assumeTrue(fs != null, "cannot mount a small tmpfs here (needs root): skipping");
    try (fs) {
      Path model = fs.dir().resolve("model.json");
      CalibratorFiles.save(
          TemperatureScaling.of(AB, 2), Provenance.now("temperature", null, null, null), model);
      fs.makeReadOnly();
      assertThatThrownBy(
              () ->
                  CalibratorFiles.save(
                      TemperatureScaling.of(AB, 3), Provenance.now("t", null, null, null), model))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("Read-only file system");
      assertThat(CalibratorFiles.load(model).calibrator().parameters().get("temperature")[0])
          .isEqualTo(2.0);
      assertThat(files(fs.dir())).containsExactly("model.json");
    }
  }

  @Test
  void aFolderThatIsAFileIsAClearError() throws Exception {
    Path notAFolder = Files.writeString(tmp.resolve("plain.txt"), "x");
    assertThatThrownBy(
            () ->
                CalibratorFiles.save(
                    TemperatureScaling.of(AB, 2),
                    Provenance.now("t", null, null, null),
                    notAFolder.resolve("model.json")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("plain.txt");
  }
}
