package io.calibra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.MetricsAccumulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibra-spark} in its own JVM (with the launcher's Java options), on a score file: the
 * metrics JSON equals calibration-core's single-machine computation over the file (what {@code
 * calibra metrics --json} prints), and {@code calibrate} writes exactly the calibrator's output,
 * removing the temporary folder a killed run left.
 */
class SparkCommandLineTest {
  @TempDir static Path folder;
  static Path scores;
  static LabelSet labels = LabelSet.of(SparkTestData.LABELS);

  @BeforeAll
  static void writeScoreFile() throws IOException {
    scores = folder.resolve("scores.csv");
    StringBuilder csv = new StringBuilder("id,gold," + String.join(",", SparkTestData.LABELS));
    csv.append('\n');
    for (long i = 0; i < 20_000; i++) {
      Row row = SparkTestData.row(i);
      csv.append(row.getString(0)).append(',').append(row.getString(1));
      for (int j = 0; j < labels.size(); j++) {
        // log-probabilities, as an LM scorer writes them
        csv.append(',').append(Math.log(row.getDouble(2 + j)));
      }
      csv.append('\n');
    }
    Files.writeString(scores, csv, StandardCharsets.UTF_8);
  }

  private static Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(List.of(System.getProperty("calibra.spark.java.options").trim().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add("io.calibra.spark.cli.SparkMain");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).redirectError(folder.resolve("stderr.txt").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    return new Result(code, out, Files.readString(folder.resolve("stderr.txt")));
  }

  record Result(int code, String out, String err) {}

  @Test
  void metricsJsonEqualsTheSingleMachineMetricsOfTheFile() throws Exception {
    Result r = run("metrics", "--input", scores.toString(), "--scores", "logprob", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Double> json = new ObjectMapper().readValue(r.out().strip(), Map.class);

    MetricsAccumulator acc = new MetricsAccumulator(labels, 15, true);
    try (ScoreFileReader reader = ScoreFileReader.open(scores, ScoreFormat.LOGPROB)) {
      reader.forEachRemaining(row -> acc.add(row.distribution(), row.gold()));
    }
    CalibrationMetrics single = acc.result();
    assertThat(json.keySet()).containsExactlyElementsOf(single.byKey().keySet());
    single.byKey().forEach((k, v) -> assertThat(json.get(k)).as(k).isCloseTo(v, within(1e-9)));
  }

  @Test
  void calibrateWritesTheCalibratorsOutputAndRefusesAnExistingFolder() throws Exception {
    Calibrator temperature = TemperatureScaling.of(labels, 1.7);
    Path model = folder.resolve("t.json");
    CalibratorFiles.save(temperature, Provenance.now("temperature", 0, null), model);
    Path out = folder.resolve("calibrated");
    // what a run killed with -9 leaves: its temporary folder, named after a process that has ended
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Path stale = folder.resolve(".calibrated.calibra-tmp-" + ended.pid());
    Files.createDirectories(stale.resolve("part"));
    Files.writeString(stale.resolve("part/part-00000.parquet"), "partial");
    Path live = folder.resolve(".calibrated.calibra-tmp-" + ProcessHandle.current().pid());
    Files.createDirectories(live);
    Result r =
        run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--input",
            scores.toString(),
            "--scores",
            "logprob",
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(stale).doesNotExist();
    assertThat(live).as("a live process's temporary folder is left alone").isDirectory();
    Files.delete(live);
    try (var names = Files.list(folder)) {
      assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("tmp"));
    }

    Map<String, double[]> expected = new HashMap<>();
    try (ScoreFileReader reader = ScoreFileReader.open(scores, ScoreFormat.LOGPROB)) {
      while (reader.hasNext()) {
        ScoreRow row = reader.next();
        expected.put(row.id(), temperature.apply(row.distribution()).toArray());
      }
    }
    List<Row> rows = SparkTestData.spark().read().parquet(out.toString()).collectAsList();
    assertThat(rows).hasSize(20_000);
    for (Row row : rows) {
      double[] q = expected.get(row.<String>getAs("id"));
      LabelDistribution d = LabelDistribution.ofProbabilities(labels, q);
      for (int j = 0; j < labels.size(); j++) {
        assertThat(row.<Double>getAs("calibrated_" + labels.name(j))).isEqualTo(q[j]);
      }
      assertThat(row.<String>getAs("prediction")).isEqualTo(labels.name(d.argmax()));
      assertThat(row.<Double>getAs("confidence")).isEqualTo(q[d.argmax()]);
    }

    Result again =
        run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--input",
            scores.toString(),
            "--scores",
            "logprob",
            "--output",
            out.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("exists; give a new folder");
  }
}
