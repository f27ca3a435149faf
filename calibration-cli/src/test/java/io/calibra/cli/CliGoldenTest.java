package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.golden.GoldenCase;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command on the golden cases written out as score files; expected values are the numpy /
 * scipy reference of ../shared/golden (probabilities and metrics to 1e-9, temperatures to 1e-6
 * relative).
 */
class CliGoldenTest {
  @TempDir Path tmp;

  static Stream<GoldenCase> cases() {
    return GoldenCase.NAMES.stream().map(GoldenCase::load);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void contextualCalibrationOneStepAndThroughAModelFile(GoldenCase g) throws IOException {
    Path scores = GoldenCsv.scores(g, tmp);
    Path cf = GoldenCsv.contentFree(g, tmp);
    Path out = tmp.resolve("out.csv");
    Cli.run(
            "calibrate",
            "--method",
            "contextual",
            "--content-free",
            cf.toString(),
            "--scores",
            "logit",
            "--input",
            scores.toString(),
            "--output",
            out.toString())
        .ok();
    assertRowsEqual(out, g.expected.get("contextual").get("probabilities"), g);

    Path model = tmp.resolve("contextual.json");
    Cli.run(
            "fit",
            "--method",
            "contextual",
            "--scores",
            "logit",
            "--content-free",
            cf.toString(),
            "--output",
            model.toString())
        .ok();
    JsonNode pcf = g.expected.get("contextual").get("p_cf");
    double[] bias = CalibratorFiles.load(model).calibrator().parameters().get("bias");
    for (int k = 0; k < bias.length; k++) {
      assertThat(bias[k]).isCloseTo(pcf.get(k).asDouble(), within(1e-9));
    }
    Path out2 = tmp.resolve("out2.csv");
    Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "logit",
            "--input",
            scores.toString(),
            "--output",
            out2.toString())
        .ok();
    assertThat(Files.readAllLines(out2)).isEqualTo(Files.readAllLines(out));

    JsonNode metrics = metricsJson(out, "prob");
    assertMetrics(metrics, g.expected.get("contextual").get("metrics"));
    assertMetrics(metricsJson(scores, "logit"), g.expected.get("raw").get("metrics"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void temperatureFitsMatchTheReference(GoldenCase g) throws IOException {
    Path scores = GoldenCsv.scores(g, tmp);
    Path model = tmp.resolve("t.json");
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "logit",
            "--input",
            scores.toString(),
            "--output",
            model.toString())
        .ok();
    assertTemperature(model, g.expected.get("temperature").get("temperature").asDouble());

    Path cf = GoldenCsv.contentFree(g, tmp);
    Path calibrated = tmp.resolve("contextual.csv");
    Cli.run(
            "calibrate",
            "--method",
            "contextual",
            "--content-free",
            cf.toString(),
            "--scores",
            "logit",
            "--input",
            scores.toString(),
            "--output",
            calibrated.toString())
        .ok();
    Path model2 = tmp.resolve("ct.json");
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            calibrated.toString(),
            "--output",
            model2.toString())
        .ok();
    assertTemperature(
        model2, g.expected.get("contextual_then_temperature").get("temperature").asDouble());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void otherFitsReportAndHelpRun(GoldenCase g) throws IOException {
    Path scores = GoldenCsv.scores(g, tmp);
    for (String method : List.of("vector", "matrix", "batch")) {
      Path model = tmp.resolve(method + ".json");
      Cli fitRun =
          Cli.run(
              "fit",
              "--method",
              method,
              "--scores",
              "logit",
              "--input",
              scores.toString(),
              "--output",
              model.toString());
      fitRun.ok();
      assertThat(fitRun.err()).as("no convergence warning").doesNotContain("warning");
      assertThat(CalibratorFiles.load(model).calibrator().method()).isEqualTo(method);
      Path out = tmp.resolve(method + ".csv");
      Cli.run(
              "calibrate",
              "--calibrator",
              model.toString(),
              "--scores",
              "logit",
              "--input",
              scores.toString(),
              "--output",
              out.toString())
          .ok();
      // Independent references: golden/fits/make_fits.py (scipy), default lambda 1e-3 for vector
      // and matrix; the fit's NLL to 1e-9 and its first rows to 1e-6.
      JsonNode expected = FitsGolden.expected(g.name, method);
      JsonNode m = metricsJson(out, "prob");
      assertThat(m.get("nll").asDouble())
          .as("%s nll", method)
          .isCloseTo(expected.get("nll").asDouble(), within(1e-9));
      assertFirstRows(out, expected.get("probabilities"), method.equals("batch") ? 1e-12 : 1e-6);
    }
    Path auto = tmp.resolve("auto.json");
    Cli autoRun =
        Cli.run(
            "fit",
            "--method",
            "auto",
            "--scores",
            "logit",
            "--input",
            scores.toString(),
            "--content-free",
            GoldenCsv.contentFree(g, tmp).toString(),
            "--output",
            auto.toString());
    autoRun.ok();
    assertThat(autoRun.out())
        .contains("5-fold cross-validation on " + g.gold.length + " rows")
        .contains("best: ");
    String best = autoRun.out().substring(autoRun.out().indexOf("best: ") + 6).trim();
    assertThat(CalibratorFiles.load(auto).provenance().method()).isEqualTo(best);

    Path report = tmp.resolve("report");
    Cli.run(
            "report",
            "--input",
            scores.toString(),
            "--scores",
            "logit",
            "--output",
            report.toString())
        .ok();
    Png.assertReport(report.resolve("reliability.png"), 1);
    assertThat(Files.readString(report.resolve("reliability.svg"))).contains("<svg");
    String html = Files.readString(report.resolve("index.html"));
    assertThat(html)
        .contains("reliability.svg")
        .contains(
            String.format("%.4f", g.expected.get("raw").get("metrics").get("accuracy").asDouble()));
    for (String command : List.of("demo", "score", "fit", "calibrate", "metrics", "report")) {
      Cli help = Cli.run(command, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).contains("Usage: calibra " + command);
    }
  }

  private JsonNode metricsJson(Path file, String scores) throws IOException {
    Cli r = Cli.run("metrics", "--input", file.toString(), "--scores", scores, "--json");
    r.ok();
    JsonNode m = new ObjectMapper().readTree(r.out());
    List<String> keys = new ArrayList<>();
    m.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "accuracy",
            "macro_f1",
            "ece",
            "ece_equal_mass",
            "mce",
            "classwise_ece",
            "brier",
            "nll");
    return m;
  }

  private static void assertMetrics(JsonNode actual, JsonNode expected) {
    Iterator<String> names = expected.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      assertThat(actual.get(name).asDouble())
          .as(name)
          .isCloseTo(expected.get(name).asDouble(), within(1e-9));
    }
  }

  private static void assertTemperature(Path model, double expected) {
    double t = CalibratorFiles.load(model).calibrator().parameters().get("temperature")[0];
    assertThat(Math.abs(t - expected) / expected)
        .as("T=%s vs %s", t, expected)
        .isLessThanOrEqualTo(1e-6);
  }

  private static void assertFirstRows(Path out, JsonNode expected, double tolerance) {
    try (ScoreFileReader r = ScoreFileReader.open(out, ScoreFormat.PROB)) {
      for (int i = 0; i < expected.size(); i++) {
        double[] p = r.next().distribution().toArray();
        assertThat(p)
            .as("row %d", i)
            .containsExactly(GoldenCase.doubles(expected.get(i)), within(tolerance));
      }
    }
  }

  private static void assertRowsEqual(Path out, JsonNode expected, GoldenCase g) {
    try (ScoreFileReader r = ScoreFileReader.open(out, ScoreFormat.PROB)) {
      assertThat(r.hasId()).isTrue();
      assertThat(r.hasGold()).isTrue();
      int i = 0;
      while (r.hasNext()) {
        ScoreRow row = r.next();
        assertThat(row.id()).isEqualTo("row" + i);
        assertThat(row.gold()).isEqualTo(g.gold[i]);
        double[] p = row.distribution().toArray();
        for (int k = 0; k < p.length; k++) {
          assertThat(p[k])
              .as("row %d label %d", i, k)
              .isCloseTo(expected.get(i).get(k).asDouble(), within(1e-9));
        }
        i++;
      }
      assertThat(i).isEqualTo(expected.size());
    }
  }
}
