package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelledSet;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Percentile bootstrap intervals against the numpy reference {@code
 * golden/statistics/make_bootstrap_cases.py} (same resamples, reproduced SplitMix64), to 1e-9.
 */
class BootstrapTest {
  static Stream<JsonNode> cases() throws IOException {
    try (InputStream in =
        BootstrapTest.class.getResourceAsStream("/golden/statistics/bootstrap-cases.json")) {
      List<JsonNode> out = new ArrayList<>();
      new ObjectMapper().readTree(in).get("cases").forEach(out::add);
      return out.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void intervalsMatchNumpy(JsonNode c) {
    GoldenCase g = GoldenCase.load(c.get("name").asText());
    LabelledSet data = g.raw();
    int[] head = Bootstrap.resampleIndices(c.get("seed").asLong(), 0, data.size());
    for (int j = 0; j < c.get("first_resample_head").size(); j++) {
      assertThat(head[j]).isEqualTo(c.get("first_resample_head").get(j).asInt());
    }
    c.get("intervals")
        .fields()
        .forEachRemaining(
            e -> {
              double confidence = Double.parseDouble(e.getKey());
              Map<String, Bootstrap.Interval> got =
                  Bootstrap.metricIntervals(
                      data,
                      c.get("bins").asInt(),
                      c.get("resamples").asInt(),
                      c.get("seed").asLong(),
                      confidence);
              List<String> keys = new ArrayList<>();
              e.getValue().fieldNames().forEachRemaining(keys::add);
              assertThat(got.keySet()).containsExactlyElementsOf(keys);
              for (String k : keys) {
                JsonNode want = e.getValue().get(k);
                assertThat(got.get(k).lower())
                    .as(k)
                    .isCloseTo(want.get(0).asDouble(), within(1e-9));
                assertThat(got.get(k).upper())
                    .as(k)
                    .isCloseTo(want.get(1).asDouble(), within(1e-9));
              }
            });
  }

  @Test
  void resultsDoNotDependOnTheNumberOfThreads() throws Exception {
    LabelledSet data = GoldenCase.load("agnews-zeroshot-minilm").raw();
    Map<String, Bootstrap.Interval> serial = inPool(1, data);
    Map<String, Bootstrap.Interval> parallel = inPool(4, data);
    assertThat(parallel).isEqualTo(serial);
    assertThat(Bootstrap.metricIntervals(data, 15, 64, 1, 0.95)).isEqualTo(serial);
    assertThat(Bootstrap.metricIntervals(data, 15, 64, 2, 0.95)).isNotEqualTo(serial);
  }

  private static Map<String, Bootstrap.Interval> inPool(int threads, LabelledSet data)
      throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      return pool.submit(() -> Bootstrap.metricIntervals(data, 15, 64, 1, 0.95)).get();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void intervalsContainThePointEstimateAndNarrowWithConfidence() {
    LabelledSet data = GoldenCase.load("sst2-fourshot-minilm").raw();
    CalibrationMetrics m = Metrics.evaluate(data);
    Map<String, Bootstrap.Interval> wide = Bootstrap.metricIntervals(data, 15, 200, 3, 0.99);
    Map<String, Bootstrap.Interval> narrow = Bootstrap.metricIntervals(data, 15, 200, 3, 0.5);
    Bootstrap.metricValues(m)
        .forEach(
            (k, v) -> {
              if (!k.equals("mce")) { // the MCE's bootstrap distribution is biased upwards
                assertThat(wide.get(k).contains(v)).as("%s %s in %s", k, v, wide.get(k)).isTrue();
              }
              assertThat(wide.get(k).lower()).isLessThanOrEqualTo(narrow.get(k).lower());
              assertThat(wide.get(k).upper()).isGreaterThanOrEqualTo(narrow.get(k).upper());
            });
  }

  @Test
  void percentileIsNumpysLinearInterpolation() {
    double[] v = {1, 2, 4, 8, 16};
    // numpy.percentile([1, 2, 4, 8, 16], [0, 2.5, 50, 90, 100]) = 1, 1.1, 4, 12.8, 16
    assertThat(Bootstrap.percentile(v, 0)).isEqualTo(1);
    assertThat(Bootstrap.percentile(v, 0.025)).isCloseTo(1.1, within(1e-12));
    assertThat(Bootstrap.percentile(v, 0.5)).isEqualTo(4);
    assertThat(Bootstrap.percentile(v, 0.9)).isCloseTo(12.8, within(1e-12));
    assertThat(Bootstrap.percentile(v, 1)).isEqualTo(16);
    assertThat(Bootstrap.percentile(new double[] {3}, 0.3)).isEqualTo(3);
  }

  @Test
  void resampleIndicesAreInRangeAndRoughlyUniform() {
    int n = 7;
    long[] counts = new long[n];
    for (int b = 0; b < 100; b++) {
      for (int i : Bootstrap.resampleIndices(9, b, 700)) {
        counts[i % n]++;
        assertThat(i).isBetween(0, 699);
      }
    }
    // 70000 draws, 10000 expected per residue class; sd ~ 93: 5 sd
    for (long c : counts) {
      assertThat(c).isBetween(9535L, 10465L);
    }
  }

  @Test
  void badArgumentsAndStatisticsAreRejected() {
    LabelledSet data = GoldenCase.load("sst2-zeroshot-minilm").raw();
    assertThatThrownBy(() -> Bootstrap.metricIntervals(data, 15, 0, 1, 0.95))
        .hasMessageContaining("resamples is 0");
    assertThatThrownBy(() -> Bootstrap.metricIntervals(data, 15, 10, 1, 1.0))
        .hasMessageContaining("confidence is 1.0");
    assertThatThrownBy(() -> Bootstrap.metricIntervals(data, 15, 10, 1, Double.NaN))
        .hasMessageContaining("expected a value in (0, 1)");
    assertThatThrownBy(() -> Bootstrap.metricIntervals(data, 0, 10, 1, 0.9))
        .hasMessageContaining("bins is 0");
    assertThatThrownBy(
            () -> Bootstrap.percentileIntervals(data, d -> Map.of("x", Double.NaN), 10, 1, 0.9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gave NaN for 'x'");
    assertThatThrownBy(
            () ->
                Bootstrap.percentileIntervals(
                    data, d -> d.gold(0) == 0 ? Map.of("x", 1.0) : Map.of("y", 1.0), 50, 1, 0.9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected a finite value for each of");
    assertThatThrownBy(() -> new Bootstrap.Interval(2, 1)).hasMessageContaining("expected finite");
    assertThatThrownBy(() -> Bootstrap.percentile(new double[0], 0.5))
        .hasMessageContaining("percentile");
  }

  @Test
  void intervalsAreClosed() {
    Bootstrap.Interval i = new Bootstrap.Interval(0.25, 0.5);
    assertThat(i.contains(0.25)).isTrue();
    assertThat(i.contains(0.5)).isTrue();
    assertThat(i.contains(0.375)).isTrue();
    assertThat(i.contains(0.2)).isFalse();
    assertThat(i.contains(0.6)).isFalse();
  }

  @Test
  void oneRangeOneBinAndOneResampleAreAllowed() {
    LabelledSet data = FourRows.labelled();
    // one range per class holds every row: class a has mean p 0.5 and frequency 0.5, class b too
    assertThat(CalibrationStatistics.adaptiveCalibrationError(data, 1)).isCloseTo(0, within(1e-15));
    assertThat(Bootstrap.metricIntervals(data, 1, 1, 7, 0.9)).containsKey("accuracy");
    assertThat(Bootstrap.resampleIndices(7, 0, 1)).containsExactly(0);
    assertThatThrownBy(() -> Bootstrap.metricIntervals(data, 15, 10, 7, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence is 0.0; expected a value in (0, 1)");
    assertThatThrownBy(() -> Bootstrap.metricIntervals(data, 15, 10, 7, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence is 1.0; expected a value in (0, 1)");
  }
}
