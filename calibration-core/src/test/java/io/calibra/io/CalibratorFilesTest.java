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
        Calibrator.identity(labels),
        Calibrator.identity(labels).andThen(TemperatureScaling.fit(fit)),
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
      Path file = tmp.resolve(c.kind() + ".json");
      Provenance p = Provenance.now(c.kind().methodName(), null, "abc", "model-x");
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

  /**
   * A committed schema-1 file (written before the policy and scorer fingerprint were saved) still
   * loads, with no policy and no scorer fingerprint. Expected output hand computed: p = (0.5, 0.5)
   * -> contextual with bias (0.3, 0.7) -> (0.7, 0.3) -> temperature 2 -> sqrt(0.7) / (sqrt(0.7) +
   * sqrt(0.3)) = 0.6043561...
   */
  @Test
  void schemaOneFilesStillLoad() throws Exception {
    Path file =
        Path.of(
            CalibratorFilesTest.class
                .getResource("/io/calibra/io/schema-1-contextual-temperature.json")
                .toURI());
    SavedCalibrator saved = CalibratorFiles.load(file);
    LabelSet labels =
        LabelSet.builder().add("negative", " terrible", " bad").add("positive", " great").build();
    assertThat(saved.calibrator().labels()).isEqualTo(labels);
    assertThat(saved.policy()).isNull();
    assertThat(saved.provenance().scorerFingerprint()).isNull();
    assertThat(saved.provenance().modelId()).isEqualTo("my-model");
    assertThat(saved.provenance().fittingRows()).isEqualTo(40);
    double q = Math.sqrt(0.7) / (Math.sqrt(0.7) + Math.sqrt(0.3));
    assertThat(
            saved
                .calibrator()
                .apply(LabelDistribution.ofProbabilities(labels, 0.5, 0.5))
                .probability(0))
        .isCloseTo(q, org.assertj.core.api.Assertions.within(1e-15));
  }

  /**
   * A committed schema-2 file (written before the method registry and the identity method) still
   * loads, with its policy, fingerprints and typed stages. Expected output hand computed
   * (scripts-free): p = (0.5, 0.5) -> batch with bias (0.25, 0.75) -> (0.75, 0.25) -> vector w =
   * (2, 1), b = (0, 0.5) -> z = (2 ln 0.75, ln 0.25 + 0.5) -> q_a = 1 / (1 + e^(z_b - z_a)) =
   * 0.577112300104477.
   */
  @Test
  void schemaTwoFilesStillLoad() throws Exception {
    Path file =
        Path.of(
            CalibratorFilesTest.class
                .getResource("/io/calibra/io/schema-2-batch-vector-policy.json")
                .toURI());
    SavedCalibrator saved = CalibratorFiles.load(file);
    LabelSet labels = LabelSet.builder().add("a", " alpha").add("b", " beta", " bravo").build();
    assertThat(saved.calibrator().labels()).isEqualTo(labels);
    assertThat(saved.policy()).isEqualTo(new io.calibra.selective.SelectivePolicy(0.6, 0.5, 0.1));
    assertThat(saved.provenance().scorerFingerprint()).isEqualTo("scorer-fp");
    assertThat(saved.provenance().templateFingerprint()).isEqualTo("template-fp");
    List<Calibrator> stages = saved.calibrator().stages();
    assertThat(saved.calibrator()).isInstanceOf(Calibrator.Pipeline.class);
    assertThat(stages.get(0)).isInstanceOf(Calibrator.BiasCorrection.class);
    assertThat(stages.get(0).kind()).isEqualTo(io.calibra.calibrate.CalibrationMethod.BATCH);
    assertThat(((Calibrator.BiasCorrection) stages.get(0)).bias().toArray())
        .containsExactly(0.25, 0.75);
    Calibrator.Scaling vector = (Calibrator.Scaling) stages.get(1);
    assertThat(vector.diagonal()).isTrue();
    assertThat(vector.weights()).containsExactly(2.0, 1.0);
    assertThat(vector.biases()).containsExactly(0.0, 0.5);
    assertThat(
            saved
                .calibrator()
                .apply(LabelDistribution.ofProbabilities(labels, 0.5, 0.5))
                .probability(0))
        .isCloseTo(0.577112300104477, org.assertj.core.api.Assertions.within(1e-15));
  }

  /** The policy and the scorer fingerprint survive a save and a load. */
  @Test
  void policyAndScorerFingerprintRoundTrip() throws IOException {
    LabelSet ab = LabelSet.builder().add("a", " alpha").add("b", " beta", " bravo").build();
    Provenance p = Provenance.now("temperature", null, "template-fp", "scorer-fp", "model-x");
    for (io.calibra.selective.SelectivePolicy policy :
        java.util.Arrays.asList(
            null,
            new io.calibra.selective.SelectivePolicy(0.7312, 0.25, 0.125),
            io.calibra.selective.SelectivePolicy.threshold(Double.POSITIVE_INFINITY))) {
      Path file = tmp.resolve("policy.json");
      SavedCalibrator saved = new SavedCalibrator(TemperatureScaling.of(ab, 1.5), p, policy);
      CalibratorFiles.save(saved, file);
      assertThat(Files.readString(file)).contains("\"schema_version\" : 3");
      assertThat(CalibratorFiles.load(file)).isEqualTo(saved);
    }
    String json =
        new String(
            CalibratorFiles.toJson(
                new SavedCalibrator(
                    TemperatureScaling.of(ab, 1.5),
                    p,
                    new io.calibra.selective.SelectivePolicy(0.5, 0.25, 0.125))),
            StandardCharsets.UTF_8);
    Path bad = tmp.resolve("bad-policy.json");
    Files.writeString(bad, json.replace("\"dev_risk\" : 0.125", "\"dev_risk\" : 1.5"));
    assertThatThrownBy(() -> CalibratorFiles.load(bad))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("policy field 'dev_risk' is 1.5; expected a number in [0, 1]");
    Files.writeString(bad, json.replace("\"threshold\" : 0.5", "\"threshold\" : -0.5"));
    assertThatThrownBy(() -> CalibratorFiles.load(bad))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("policy field 'threshold' is -0.5; expected a number >= 0");
    Files.writeString(bad, json.replace("\"policy\" : {", "\"policy\" : 3, \"x\" : {"));
    assertThatThrownBy(() -> CalibratorFiles.load(bad))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("field 'policy' is 3; expected an object or null");
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
    Files.writeString(newer, json.replace("\"schema_version\" : 3", "\"schema_version\" : 4"));
    assertThatThrownBy(() -> CalibratorFiles.load(newer))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("schema_version 4 is newer than this library reads (3)");

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

  /**
   * A process killed (SIGKILL) while saving never leaves a corrupt file where a good one was. Each
   * round lets the saving process finish a seeded number of saves (it prints a line after each) and
   * kills it during the next.
   */
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
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  SaveLoop.class.getName(),
                  file.toString())
              .redirectErrorStream(true)
              .start();
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).isEqualTo("ready");
        for (int saves = 1 + random.nextInt(3); saves > 0; saves--) {
          assertThat(out.readLine()).isEqualTo("saved");
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      SavedCalibrator loaded = CalibratorFiles.load(file);
      double w = loaded.calibrator().parameters().get("weights")[0];
      assertThat(w).as("round %d", round).isIn(0.25, 0.5);
    }
  }
}
