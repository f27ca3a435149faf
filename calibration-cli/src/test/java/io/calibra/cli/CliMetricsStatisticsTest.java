package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationStatistics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code calibra metrics --json}: the statistics of {@link CalibrationStatistics} under their keys,
 * equal to the numpy reference golden/statistics/make_statistics_cases.py (calibration-core's test
 * resources; the whole-file cases) to 1e-9 and to the Java API on the same rows; null with a note
 * where undefined; and their bootstrap intervals equal to {@link Bootstrap} over the same
 * statistic.
 */
class CliMetricsStatisticsTest {
  private static final List<String> KEYS =
      List.of(
          "debiased_ece",
          "debiased_ece_equal_width",
          "ace",
          "smooth_ece",
          "ks",
          "spiegelhalter_z",
          "spiegelhalter_p",
          "rsd",
          "bias_score");

  @TempDir Path tmp;

  static Stream<JsonNode> wholeFileCases() throws IOException {
    try (InputStream in =
        CliMetricsStatisticsTest.class.getResourceAsStream(
            "/golden/statistics/statistics-cases.json")) {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        if (c.get("rows").asInt() == GoldenCase.load(c.get("name").asText()).gold.length) {
          out.add(c);
        }
      }
      return out.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("wholeFileCases")
  void jsonHasEveryStatisticMatchingNumpyAndJava(JsonNode c) throws IOException {
    GoldenCase g = GoldenCase.load(c.get("name").asText());
    Path scores = GoldenCsv.scores(g, tmp);
    Cli r =
        Cli.run(
            "metrics", "--input", scores.toString(), "--scores", "logit", "--json", "--statistics");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode out = new ObjectMapper().readTree(r.out());
    List<String> keys = new ArrayList<>();
    out.fieldNames().forEachRemaining(keys::add);
    assertThat(keys.subList(keys.size() - KEYS.size(), keys.size())).isEqualTo(KEYS);
    assertThat(keys).startsWith("accuracy", "macro_f1", "ece");
    JsonNode e = c.get("expected");
    Map<String, Double> java = CalibrationStatistics.values(g.raw(), 15);
    for (String k : KEYS) {
      double v = out.get(k).asDouble();
      double want = e.get(k).asDouble();
      assertThat(v)
          .as("%s vs numpy", k)
          .isCloseTo(want, within(1e-9 * Math.max(1, Math.abs(want))));
      // the CLI reads the logits from a CSV written with Double.toString: the same doubles
      assertThat(v).as("%s vs Java", k).isEqualTo(java.get(k));
    }
    // without --statistics the output holds the metrics only (they stream)
    Cli text = Cli.run("metrics", "--input", scores.toString(), "--scores", "logit");
    assertThat(text.out()).doesNotContain("smooth_ece").contains("accuracy");
    Cli plain = Cli.run("metrics", "--input", scores.toString(), "--scores", "logit", "--json");
    assertThat(plain.out()).doesNotContain("smooth_ece").contains("\"ece_equal_mass\"");
    // with it, the text output lists them too, with the same values
    Cli withText =
        Cli.run("metrics", "--input", scores.toString(), "--scores", "logit", "--statistics");
    assertThat(withText.out())
        .contains(String.format(Locale.ROOT, "%-15s %.6f", "ks", java.get("ks")));
  }

  @Test
  void undefinedStatisticsAreNullWithANote() throws IOException {
    // every confidence is 1/2 or 1: the Spiegelhalter test has zero variance; 2 rows < 15 bins:
    // Kumar's debiased ECE is undefined too
    Path scores = Files.writeString(tmp.resolve("s.csv"), "gold,a,b\nb,0.5,0.5\nb,0,1\n");
    Cli r =
        Cli.run(
            "metrics", "--input", scores.toString(), "--scores", "prob", "--json", "--statistics");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode out = new ObjectMapper().readTree(r.out());
    assertThat(out.get("spiegelhalter_z").isNull()).isTrue();
    assertThat(out.get("spiegelhalter_p").isNull()).isTrue();
    assertThat(out.get("debiased_ece").isNull()).isTrue();
    assertThat(r.err())
        .contains("note: spiegelhalter_z is undefined (null): the Spiegelhalter test is undefined")
        .contains("note: debiased_ece is undefined (null): bins is 15; expected 1 to the number");
    // hand computed: row 1 predicts a (argmax ties to the lowest index), wrongly, with confidence
    // 1/2; row 2 predicts b, rightly, with 1. Mean prediction (0.25, 0.75), gold frequencies (0,
    // 1): BiasScore = total variation = 0.25. Per-class accuracy: b 1/2 (a has no rows), RSD 0.
    assertThat(out.get("bias_score").asDouble()).isCloseTo(0.25, within(1e-15));
    assertThat(out.get("rsd").asDouble()).isEqualTo(0.0);
    assertThat(out.get("ks").isNumber()).isTrue();
    // with --bootstrap, the undefined ones get no interval, nor those undefined on a resample (RSD
    // on a resample of row 1 twice: every class's accuracy 0); the others do
    Cli b =
        Cli.run(
            "metrics",
            "--input",
            scores.toString(),
            "--scores",
            "prob",
            "--json",
            "--statistics",
            "--bootstrap",
            "50");
    assertThat(b.code()).as(b.err()).isZero();
    JsonNode ci = new ObjectMapper().readTree(b.out()).get("ci");
    List<String> ciKeys = new ArrayList<>();
    ci.fieldNames().forEachRemaining(ciKeys::add);
    List<String> outKeys = new ArrayList<>();
    out.fieldNames().forEachRemaining(outKeys::add);
    assertThat(ciKeys).isEqualTo(outKeys);
    assertThat(ci.get("spiegelhalter_z").isNull()).isTrue();
    assertThat(ci.get("debiased_ece").isNull()).isTrue();
    assertThat(ci.get("rsd").isNull()).isTrue();
    assertThat(b.err())
        .contains(
            "note: rsd has no interval (null): 'rsd' is undefined on a bootstrap resample: RSD is undefined");
    assertThat(ci.get("bias_score").get(0).asDouble())
        .isLessThanOrEqualTo(ci.get("bias_score").get(1).asDouble());
    assertThat(ci.get("accuracy").size()).isEqualTo(2);
  }

  @Test
  void statisticIntervalsEqualJavasBootstrap() throws IOException {
    GoldenCase g = GoldenCase.load("sst2-zeroshot-minilm");
    Path scores = GoldenCsv.scores(g, tmp);
    Cli r =
        Cli.run(
            "metrics",
            "--input",
            scores.toString(),
            "--scores",
            "logit",
            "--json",
            "--statistics",
            "--bootstrap",
            "30",
            "--seed",
            "5");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode ci = new ObjectMapper().readTree(r.out()).get("ci");
    LabelledSet data = g.raw();
    Map<String, Bootstrap.Interval> want =
        Bootstrap.percentileIntervals(
            data,
            d -> {
              // CalibrationStatistics.values without the smooth ECE (which has no interval)
              Map<String, Double> v = new java.util.LinkedHashMap<>();
              var acc = CalibrationStatistics.accumulate(d, 15);
              v.put("debiased_ece", CalibrationStatistics.debiasedEce(d, 15));
              v.put("debiased_ece_equal_width", acc.debiasedEce());
              v.put("ace", CalibrationStatistics.adaptiveCalibrationError(d, 15));
              v.put("ks", CalibrationStatistics.ksCalibrationError(d));
              v.put("spiegelhalter_z", acc.spiegelhalter().z());
              v.put("spiegelhalter_p", acc.spiegelhalter().pValue());
              v.put("rsd", acc.rsd());
              v.put("bias_score", acc.biasScore());
              return v;
            },
            30,
            5,
            0.95);
    assertThat(ci.get("smooth_ece").isNull()).isTrue();
    assertThat(r.err()).contains("note: smooth_ece has no interval (null): not bootstrapped");
    for (String k : KEYS) {
      if (k.equals("smooth_ece")) {
        continue;
      }
      assertThat(ci.get(k).get(0).asDouble()).as(k).isEqualTo(want.get(k).lower());
      assertThat(ci.get(k).get(1).asDouble()).as(k).isEqualTo(want.get(k).upper());
    }
  }
}
