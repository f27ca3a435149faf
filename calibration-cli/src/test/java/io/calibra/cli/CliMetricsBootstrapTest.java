package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.golden.GoldenCase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code calibra metrics --bootstrap B --seed S [--confidence c]}: a "ci" entry for every metric
 * key, equal (1e-9) to the numpy reference of calibration-core's
 * golden/statistics/make_bootstrap_cases.py on the SST-2 zero-shot golden case.
 */
class CliMetricsBootstrapTest {
  @TempDir Path tmp;

  private static JsonNode reference() throws IOException {
    try (InputStream in =
        CliMetricsBootstrapTest.class.getResourceAsStream(
            "/golden/statistics/bootstrap-cases.json")) {
      return new ObjectMapper().readTree(in).get("cases").get(0);
    }
  }

  @Test
  void jsonHasAnIntervalForEveryMetricKeyMatchingNumpy() throws IOException {
    JsonNode ref = reference();
    Path scores = GoldenCsv.scores(GoldenCase.load(ref.get("name").asText()), tmp);
    Cli r =
        Cli.run(
            "metrics",
            "--input",
            scores.toString(),
            "--scores",
            "logit",
            "--json",
            "--bootstrap",
            "200",
            "--seed",
            "42",
            "--confidence",
            "0.9");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode out = new ObjectMapper().readTree(r.out());
    JsonNode ci = out.get("ci");
    List<String> metricKeys = new ArrayList<>();
    out.fieldNames()
        .forEachRemaining(
            k -> {
              if (!k.equals("ci")) {
                metricKeys.add(k);
              }
            });
    List<String> ciKeys = new ArrayList<>();
    ci.fieldNames().forEachRemaining(ciKeys::add);
    assertThat(ciKeys).isEqualTo(metricKeys);
    JsonNode want = ref.get("intervals").get("0.9");
    // the numpy reference has the metric keys; the statistics' intervals are checked against
    // Java's Bootstrap in CliMetricsStatisticsTest
    List<String> referenceKeys = new ArrayList<>();
    want.fieldNames().forEachRemaining(referenceKeys::add);
    assertThat(metricKeys).containsAll(referenceKeys);
    assertThat(referenceKeys).contains("accuracy", "ece", "nll");
    for (String k : referenceKeys) {
      assertThat(ci.get(k).get(0).asDouble())
          .as(k)
          .isCloseTo(want.get(k).get(0).asDouble(), within(1e-9));
      assertThat(ci.get(k).get(1).asDouble())
          .as(k)
          .isCloseTo(want.get(k).get(1).asDouble(), within(1e-9));
      assertThat(ci.get(k).get(0).asDouble()).isLessThanOrEqualTo(ci.get(k).get(1).asDouble());
    }
  }

  @Test
  void textOutputShowsIntervalsAndStandardInputWorks() throws IOException {
    Path scores = GoldenCsv.scores(GoldenCase.load("agnews-zeroshot-minilm"), tmp);
    Cli r =
        Cli.runWithInput(
            Files.readAllBytes(scores),
            "metrics",
            "--input",
            "-",
            "--scores",
            "logit",
            "--bootstrap",
            "20");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("accuracy +0\\.\\d{6}  \\[0\\.\\d{6}, 0\\.\\d{6}\\]");
    assertThat(r.out()).contains("95% percentile bootstrap intervals, 20 resamples, seed 0");
    Cli again =
        Cli.run("metrics", "--input", scores.toString(), "--scores", "logit", "--bootstrap", "20");
    assertThat(again.out()).isEqualTo(r.out());
  }

  @Test
  void reportShowsIntervalsWhenAsked() throws IOException {
    Path scores = GoldenCsv.scores(GoldenCase.load("sst2-zeroshot-minilm"), tmp);
    Path with = tmp.resolve("with");
    Path without = tmp.resolve("without");
    Cli r =
        Cli.run(
            "report",
            "--input",
            scores.toString(),
            "--scores",
            "logit",
            "--output",
            with.toString(),
            "--bootstrap",
            "50",
            "--seed",
            "42");
    assertThat(r.code()).as(r.err()).isZero();
    String page = Files.readString(with.resolve("index.html"));
    assertThat(page)
        .contains("Intervals: 95% percentile bootstrap, 50 resamples, seed 42.")
        // each value with its interval beside it
        .containsPattern(
            "<td( class=\"best\")?>0\\.\\d{4} <span class=\"ci\">\\[0\\.\\d{4}, 0\\.\\d{4}\\]</span></td>");
    r =
        Cli.run(
            "report",
            "--input",
            scores.toString(),
            "--scores",
            "logit",
            "--output",
            without.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(without.resolve("index.html"))).doesNotContain("class=\"ci\"");
    r =
        Cli.run(
            "report",
            "--input",
            scores.toString(),
            "--scores",
            "logit",
            "--output",
            without.toString(),
            "--seed",
            "1");
    assertThat(r.code()).isEqualTo(Main.USAGE);
    // --seed and --confidence belong to the bootstrap's option group, which needs --bootstrap
    assertThat(r.err()).contains("Missing required argument(s): --bootstrap=<count>");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "--bootstrap 0;--bootstrap is 0",
        "--bootstrap 10 --confidence 1;--confidence is 1; expected a value in (0, 1)",
        "--bootstrap 10 --confidence NaN;expected a value in (0, 1)",
        "--seed 3;Missing required argument(s): --bootstrap=<count>",
        "--confidence 0.9;Missing required argument(s): --bootstrap=<count>",
      })
  void badOptionsAreUsageErrors(String options, String message) throws IOException {
    Path scores = GoldenCsv.scores(GoldenCase.load("sst2-zeroshot-minilm"), tmp);
    List<String> args =
        new ArrayList<>(List.of("metrics", "--input", scores.toString(), "--scores", "logit"));
    args.addAll(List.of(options.split(" ")));
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains(message);
  }
}
