package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.RandomData;
import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.DomainContextCalibration;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratorFilesTest {
  @TempDir Path tmp;

  private static List<Calibrator> everyType(LabelSet labels, Random random) {
    LabelledSet fit = RandomData.labelledSet(labels, 300, random);
    List<LabelDistribution> unlabelled = fit.distributions();
    Calibrator contextual = ContextualCalibration.fit(unlabelled.subList(0, 3));
    return List.of(
        contextual,
        ContextualCalibration.fit(unlabelled.subList(3, 6), ContextualCalibration.Form.SUBTRACTIVE),
        DomainContextCalibration.fit(unlabelled.subList(6, 26)),
        BatchCalibration.fit(unlabelled),
        TemperatureScaling.fit(fit),
        VectorScaling.fit(fit),
        MatrixScaling.fit(fit),
        contextual.andThen(TemperatureScaling.fit(fit)).andThen(VectorScaling.fit(fit)));
  }

  @Test
  void savedAndLoadedCalibratorsGiveBitIdenticalOutputsOnAThousandRows() {
    Random random = new Random(5);
    LabelSet labels =
        LabelSet.builder()
            .add("neg", " bad", " awful")
            .add("neu", " ok")
            .add("pos", " good")
            .build();
    List<LabelDistribution> rows = RandomData.labelledSet(labels, 1000, random).distributions();
    for (Calibrator c : everyType(labels, random)) {
      Path file = tmp.resolve(c.method() + ".json");
      Provenance p = Provenance.now(c.method(), null, "abc", "model-x");
      CalibratorFiles.save(c, p, file);
      SavedCalibrator loaded = CalibratorFiles.load(file);
      assertThat(loaded.calibrator()).isEqualTo(c);
      assertThat(loaded.calibrator().labels()).isEqualTo(labels);
      assertThat(loaded.provenance()).isEqualTo(p);
      for (LabelDistribution row : rows) {
        assertThat(loaded.calibrator().apply(row)).isEqualTo(c.apply(row));
      }
    }
  }

  @Test
  void corruptTruncatedNewerAndForeignFilesAreClearErrors() throws IOException {
    LabelSet ab = LabelSet.of("a", "b");
    Path good = tmp.resolve("good.json");
    CalibratorFiles.save(
        TemperatureScaling.of(ab, 2), Provenance.now("temperature", null, null, null), good);
    String json = Files.readString(good);

    Path truncated = tmp.resolve("truncated.json");
    Files.writeString(truncated, json.substring(0, json.length() / 2));
    assertThatThrownBy(() -> CalibratorFiles.load(truncated))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("truncated.json")
        .hasMessageContaining("corrupt or truncated");

    Path newer = tmp.resolve("newer.json");
    Files.writeString(newer, json.replace("\"schema_version\" : 1", "\"schema_version\" : 2"));
    assertThatThrownBy(() -> CalibratorFiles.load(newer))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("schema_version 2 is newer than this library reads (1)");

    Path negative = tmp.resolve("negative.json");
    Files.writeString(
        negative, json.replace("\"temperature\" : [ 2.0 ]", "\"temperature\" : [ -2.0 ]"));
    assertThatThrownBy(() -> CalibratorFiles.load(negative))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("temperature is -2.0");

    Path other = tmp.resolve("other.json");
    Files.writeString(other, "{\"format\": \"something-else\"}");
    assertThatThrownBy(() -> CalibratorFiles.load(other))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("expected 'calibra-calibrator'");

    assertThatThrownBy(() -> CalibratorFiles.load(tmp.resolve("missing.json")))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("file not found");

    // a file fitted on another label set loads, and is refused where it is used
    Calibrator loaded = CalibratorFiles.load(good).calibrator();
    assertThatThrownBy(() -> loaded.apply(LabelDistribution.uniform(LabelSet.of("x", "y"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets");
  }

  @Test
  void aFailedSaveLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    LabelSet ab = LabelSet.of("a", "b");
    Path dir = Files.createDirectories(tmp.resolve("models"));
    // the target is a non-empty folder: refused before anything is written
    Path target = Files.createDirectories(dir.resolve("model.json"));
    Files.writeString(target.resolve("keep.txt"), "old");
    assertThatThrownBy(
            () ->
                CalibratorFiles.save(
                    TemperatureScaling.of(ab, 2), Provenance.now("t", null, null, null), target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.json")
        .hasMessageContaining("is a folder");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.json");
    }
    assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("old");
    assertThatThrownBy(
            () ->
                CalibratorFiles.save(
                    TemperatureScaling.of(ab, 2),
                    Provenance.now("t", null, null, null),
                    tmp.resolve("no-such-folder/model.json")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no-such-folder");
  }

  /** A process killed (SIGKILL) while saving never leaves a corrupt file where a good one was. */
  @Test
  void aKilledProcessNeverLeavesACorruptFile() throws Exception {
    Path file = tmp.resolve("model.json");
    CalibratorFiles.save(SaveLoop.big(0.25), Provenance.now("matrix", null, null, null), file);
    Random random = new Random(9);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int round = 0; round < 5; round++) {
      Process p =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  SaveLoop.class.getName(),
                  file.toString())
              .redirectErrorStream(true)
              .start();
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).isEqualTo("ready");
        Thread.sleep(200 + random.nextInt(600));
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      SavedCalibrator loaded = CalibratorFiles.load(file);
      double w = loaded.calibrator().parameters().get("weights")[0];
      assertThat(w).as("round %d", round).isIn(0.25, 0.5);
    }
  }
}
