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
import io.calibra.spark.cli.SparkMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * {@code calibra-spark} on a score file, run in this JVM on the tests' Spark session (which the
 * commands use and leave running): the metrics JSON equals calibration-core's single-machine
 * computation over the file (what {@code calibra metrics --json} prints), {@code calibrate} writes
 * exactly the calibrator's output, removing the temporary folder a killed run left; bad data exits
 * 3 and bad usage 2, each with one line. One run in its own JVM, with the launcher's Java options,
 * checks what only a process shows: the exit code and standard error of a malformed file.
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
    for (long i = 0; i < 5_000; i++) {
      Row row = SparkTestData.row(i);
      csv.append(row.getString(0)).append(',').append(row.getString(1));
      for (int j = 0; j < labels.size(); j++) {
        // log-probabilities, as an LM scorer writes them
        csv.append(',').append(Math.log(row.getDouble(2 + j)));
      }
      csv.append('\n');
    }
    Files.writeString(scores, csv, StandardCharsets.UTF_8);
    SparkTestData.spark(); // the session the commands find running
  }

  record Result(int code, String out, String err) {}

  /** Runs {@code calibra-spark args} in this JVM. */
  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

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
    assertThat(SparkTestData.spark().sparkContext().isStopped())
        .as("the session the command found running is left running")
        .isFalse();
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
    String[] calibrate = {
      "calibrate",
      "--calibrator",
      model.toString(),
      "--input",
      scores.toString(),
      "--scores",
      "logprob",
      "--output",
      out.toString()
    };
    // a live process's folder: this JVM's parent (the build), which runs as long as the test
    Path parent =
        folder.resolve(
            ".calibrated.calibra-tmp-" + ProcessHandle.current().parent().orElseThrow().pid());
    Files.createDirectories(parent);
    Result r = run(calibrate);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(stale).doesNotExist();
    assertThat(parent).as("a live process's temporary folder is left alone").isDirectory();
    Files.delete(parent);
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
    assertThat(rows).hasSize(5_000);
    for (Row row : rows) {
      double[] q = expected.get(row.<String>getAs("id"));
      LabelDistribution d = LabelDistribution.ofProbabilities(labels, q);
      for (int j = 0; j < labels.size(); j++) {
        assertThat(row.<Double>getAs("calibrated_" + labels.name(j))).isEqualTo(q[j]);
      }
      assertThat(row.<String>getAs("prediction")).isEqualTo(labels.name(d.argmax()));
      assertThat(row.<Double>getAs("confidence")).isEqualTo(q[d.argmax()]);
    }

    // an existing output is a usage error (exit 2), as in calibra; nothing is written
    Result again = run(calibrate);
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err().strip())
        .isEqualTo(
            "calibra-spark: --output "
                + out
                + " exists; give a new folder (nothing is overwritten) (see calibra-spark"
                + " calibrate --help)");
  }

  /** Bad data exits 3 with one line naming the file, whether found on the driver or in a task. */
  @Test
  void badDataExits3WithOneLineNamingTheFile() throws IOException {
    String header = "id,gold," + String.join(",", SparkTestData.LABELS) + "\n";
    Map<String, String> files = new java.util.LinkedHashMap<>();
    files.put("text-cell.csv", header + "a,world,0.1,0.2,0.3,0.4\nb,world,0.1,high,0.3,0.4\n");
    files.put("ragged.csv", header + "a,world,0.1,0.2,0.3,0.4\nb,world,0.1,0.2\n");
    files.put("unknown-gold.csv", header + "a,weather,0.1,0.2,0.3,0.4\n");
    files.put("not-distribution.csv", header + "a,world,0.5,0.5,0.5,0.5\n");
    files.put("no-labels.csv", "id,gold\na,world\n");
    files.put("empty.csv", header);
    Map<String, String> expected =
        Map.of(
            "text-cell.csv", "column 'sports' holds 'high'; expected a decimal number",
            "ragged.csv", "malformed CSV record",
            "unknown-gold.csv", "weather",
            "not-distribution.csv", "row with id 'a'",
            "no-labels.csv", "have no label column",
            "empty.csv", "no rows");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = folder.resolve(f.getKey());
      Files.writeString(file, f.getValue());
      Result r = run("metrics", "--input", file.toString(), "--scores", "prob");
      assertThat(r.code()).as(f.getKey() + ": " + r.err()).isEqualTo(3);
      assertThat(r.err().lines()).as(f.getKey()).hasSize(1);
      assertThat(r.err())
          .as(f.getKey())
          .startsWith("calibra-spark: " + file + ": ")
          .contains(expected.get(f.getKey()))
          .doesNotContain("\tat ");
    }
    Path missing = folder.resolve("missing.csv");
    Result r = run("metrics", "--input", missing.toString(), "--scores", "prob");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err().strip()).isEqualTo("calibra-spark: " + missing + ": file not found");
  }

  /** Option values are checked as calibra checks them: exit 2, one line, before Spark starts. */
  @Test
  void badOptionsAreUsageErrors() {
    String input = scores.toString();
    Map<String[], String> cases = new java.util.LinkedHashMap<>();
    cases.put(
        new String[] {"metrics", "--input", input, "--scores", "prob", "--bins", "0"},
        "0 is not between 1 and 10000");
    cases.put(
        new String[] {"metrics", "--input", input, "--scores", "prob", "--bins", "10001"},
        "10001 is not between 1 and 10000");
    cases.put(
        new String[] {"metrics", "--input", input, "--scores", "odds"},
        "score format 'odds' is unknown; expected prob, logprob or logit");
    cases.put(new String[] {"metrics", "--scores", "prob"}, "--input=<file>");
    cases.put(
        new String[] {
          "calibrate",
          "--calibrator",
          input,
          "--input",
          input,
          "--scores",
          "prob",
          "--output",
          folder.resolve("x").toString(),
          "--format",
          "xml"
        },
        "--format is xml; expected parquet or csv");
    cases.put(new String[] {}, "missing command");
    for (Map.Entry<String[], String> c : cases.entrySet()) {
      Result r = run(c.getKey());
      assertThat(r.code()).as(String.join(" ", c.getKey()) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("calibra-spark: ").contains(c.getValue());
    }
    assertThat(folder.resolve("x")).doesNotExist();
  }

  /** Help as calibra's: at most 60 lines, in sections, placeholders that say what to give. */
  @Test
  void helpIsShortWithSectionsPlaceholdersAndDefaults() {
    for (String command : List.of("metrics", "calibrate")) {
      Result help = run(command, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out().lines().count()).as(command).isLessThanOrEqualTo(60);
      assertThat(help.out())
          .contains("Usage: calibra-spark " + command)
          .contains("Input:", "--input=<file>", "--scores=<format>", "--master=<url>")
          .doesNotContainPattern("<[a-z]+[A-Z][a-zA-Z]*>"); // no Java field names
    }
    assertThat(run("metrics", "--help").out()).contains("--bins=<count>", "(default: 15)");
    assertThat(run("calibrate", "--help").out())
        .contains("--calibrator=<file>", "--output=<folder>", "parquet, csv (default: parquet)");
  }

  /**
   * The one check in its own JVM, as ./calibra-spark runs it (its Java options, System.exit): a
   * malformed file exits 3, and standard error ends with the one line naming it, with no stack
   * trace.
   */
  @Test
  void aProcessExits3OnAMalformedFile() throws Exception {
    Path bad = folder.resolve("process-bad.csv");
    Files.writeString(
        bad, "id,gold," + String.join(",", SparkTestData.LABELS) + "\na,world,x,0.2,0.3,0.4\n");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:TieredStopAtLevel=1"); // a short run: the JIT's first tier only, as the tests
    command.add("-Dspark.ui.enabled=false"); // Spark's web UI is not what is checked here
    command.add("-D" + SparkMain.LOGGING_PROPERTY + "=" + SparkMain.LOGGING);
    command.addAll(List.of(System.getProperty("calibra.spark.java.options").trim().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(SparkMain.class.getName());
    command.addAll(
        List.of("metrics", "--input", bad.toString(), "--scores", "prob", "--master", "local[1]"));
    Process p =
        new ProcessBuilder(command).redirectError(folder.resolve("stderr.txt").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    String err = Files.readString(folder.resolve("stderr.txt"));
    assertThat(code).as(err).isEqualTo(3);
    assertThat(out).isEmpty();
    List<String> lines = err.lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "calibra-spark: "
                + bad
                + ": row with id 'a': column 'world' holds 'x'; expected a decimal number");
    assertThat(err).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
