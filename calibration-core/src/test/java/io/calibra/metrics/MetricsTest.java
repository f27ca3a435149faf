package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Metrics on a four-row example whose expected values are hand computed in the comments. */
class MetricsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static LabelledSet fourRows() {
    // rows (p_a, gold): (0.9, a) correct conf .9; (0.6, b) wrong conf .6;
    // (0.2, b) correct conf .8; (0.5, a) tie -> predicts a, correct, conf .5
    return LabelledSet.of(
        List.of(
            LabelDistribution.ofProbabilities(AB, 0.9, 0.1),
            LabelDistribution.ofProbabilities(AB, 0.6, 0.4),
            LabelDistribution.ofProbabilities(AB, 0.2, 0.8),
            LabelDistribution.ofProbabilities(AB, 0.5, 0.5)),
        new int[] {0, 1, 1, 0});
  }

  @Test
  void handComputedValuesWithTwoBins() {
    CalibrationMetrics m = Metrics.evaluate(fourRows(), 2);
    assertThat(m.accuracy()).isEqualTo(0.75);
    // class a: TP 2, FP 1, FN 0 -> 4/5; class b: TP 1, FP 0, FN 1 -> 2/3
    assertThat(m.macroF1()).isCloseTo((0.8 + 2.0 / 3) / 2, within(1e-15));
    // bins (0, .5] holds conf .5 (correct): gap .5; (.5, 1] holds .9, .6, .8 with 2 correct:
    // |2/3 - 2.3/3| = 0.1. ECE = (1 * .5 + 3 * .1) / 4 = 0.2; MCE = 0.5
    assertThat(m.ece()).isCloseTo(0.2, within(1e-15));
    assertThat(m.mce()).isCloseTo(0.5, within(1e-15));
    // equal mass, 2 groups of 2 in confidence order: {.5 c, .6 w} gap |.5 - .55| = .05;
    // {.8 c, .9 c} gap |1 - .85| = .15 -> (2 * .05 + 2 * .15) / 4 = 0.1
    assertThat(m.eceEqualMass().orElseThrow()).isCloseTo(0.1, within(1e-15));
    // Brier: (.01+.01) + (.36+.36) + (.04+.04) + (.25+.25) = 1.32 / 4 = 0.33
    assertThat(m.brier()).isCloseTo(0.33, within(1e-15));
    // NLL: -(ln .9 + ln .4 + ln .8 + ln .5) / 4
    assertThat(m.nll())
        .isCloseTo(
            -(Math.log(0.9) + Math.log(0.4) + Math.log(0.8) + Math.log(0.5)) / 4, within(1e-15));
    assertThat(m.predictionCounts()).containsExactly(3L, 1L);
    // mean distribution (0.55, 0.45): TV 0.05
    assertThat(m.labelBias().totalVariation()).isCloseTo(0.05, within(1e-15));
    assertThat(m.reliability()).hasSize(2);
    assertThat(m.reliability().get(0).count()).isEqualTo(1);
    assertThat(m.reliability().get(1).accuracy()).isCloseTo(2.0 / 3, within(1e-15));
  }

  @Test
  void classwiseEceIsTheMeanOverClassesOfPerClassEce() {
    // 2 bins. class a scores .9(y1) .6(y0) .2(y0) .5(y1): bin1 {.2,.5}: |1/2 - .35| = .15 * 2;
    // bin2 {.9,.6}: |1/2 - .75| = .25 * 2 -> (.3 + .5)/4 = .2. class b scores .1(0) .4(1) .8(1)
    // .5(0): bin1 {.1,.4,.5} |1/3 - 1/3| = 0; bin2 {.8} |1 - .8| = .2 -> .2/4 = .05. mean .125
    assertThat(Metrics.evaluate(fourRows(), 2).classwiseEce()).isCloseTo(0.125, within(1e-15));
  }

  @Test
  void zeroConfidenceFallsInFirstBinAndOneInLast() {
    assertThat(EqualWidthBins.binOf(0.0, 15)).isEqualTo(0);
    assertThat(EqualWidthBins.binOf(1.0 / 15, 15)).isEqualTo(0);
    assertThat(EqualWidthBins.binOf(1.0, 15)).isEqualTo(14);
  }

  @Test
  void nllClipsZeroProbabilityAt1eMinus15() {
    LabelledSet data =
        LabelledSet.of(List.of(LabelDistribution.ofProbabilities(AB, 1.0, 0.0)), new int[] {1});
    assertThat(Metrics.evaluate(data).nll()).isCloseTo(-Math.log(1e-15), within(1e-12));
  }

  @Test
  void emptyAccumulatorRefusesAResult() {
    assertThatThrownBy(() -> new MetricsAccumulator(AB).result())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no rows");
  }

  @Test
  void badRowsAreRejectedNamingLabelAndValue() {
    MetricsAccumulator acc = new MetricsAccumulator(AB);
    assertThatThrownBy(() -> acc.add(new double[] {Double.NaN, 1}, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> acc.add(new double[] {0.5, 0.5}, 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gold label index 2");
    assertThatThrownBy(() -> acc.add(LabelDistribution.uniform(LabelSet.of("x", "y")), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets");
    assertThatThrownBy(() -> acc.merge(new MetricsAccumulator(AB, 10, true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bins");
    assertThat(acc.rows()).isZero();
  }

  @Test
  void staticHelpersGiveTheHandComputedValues() {
    LabelledSet data = FourRows.labelled();
    assertThat(Metrics.accuracy(data)).isEqualTo(0.5);
    assertThat(Metrics.ece(data, 10)).isCloseTo(0.4, within(1e-15));
    assertThat(Metrics.ece(data, 1)).isCloseTo(0.25, within(1e-15));
    double nll = -(Math.log(0.9) + Math.log(0.3) + Math.log(0.4) + Math.log(0.8)) / 4;
    assertThat(Metrics.nll(data)).isCloseTo(nll, within(1e-15));

    // p_gold = 0 is clipped to 1e-15: -ln(1e-15) = 34.538776394910684
    LabelledSet zero =
        LabelledSet.of(List.of(LabelDistribution.ofProbabilities(AB, 1.0, 0.0)), new int[] {1});
    assertThat(Metrics.nll(zero)).isCloseTo(-Math.log(1e-15), within(1e-12));
  }

  @Test
  void evaluateByNameAndFromAFlatArrayEqualsEvaluateOfTheSet() {
    LabelledSet data = FourRows.labelled();
    CalibrationMetrics expected = Metrics.evaluate(data);
    assertThat(expected.rows()).isEqualTo(4);
    assertThat(expected.accuracy()).isEqualTo(0.5);
    List<LabelDistribution> rows = data.distributions();
    assertThat(Metrics.evaluate(rows, List.of("a", "a", "b", "b"))).isEqualTo(expected);

    double[] flat = {0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.2, 0.8};
    assertThat(Metrics.evaluate(AB, flat, FourRows.GOLD, MetricsAccumulator.DEFAULT_BINS))
        .isEqualTo(expected);
    assertThatThrownBy(() -> Metrics.evaluate(AB, new double[7], FourRows.GOLD, 15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected 4 rows of 2 probabilities, found 7 values");
    assertThatThrownBy(() -> Metrics.evaluate(AB, new double[6], FourRows.GOLD, 15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected 4 rows of 2 probabilities, found 6 values");
    double[] bad = flat.clone();
    bad[4] = 0.7; // row 2 sums to 1.1
    assertThatThrownBy(() -> Metrics.evaluate(AB, bad, FourRows.GOLD, 15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("row 2: ");
  }

  @Test
  void severalParallelChunksMergeToTheSequentialResult() {
    int n = 20_000; // three chunks of Parallel.CHUNK_ROWS (8192) rows
    SplittableRandom random = new SplittableRandom(17);
    double[] flat = new double[2 * n];
    int[] gold = new int[n];
    MetricsAccumulator sequential = new MetricsAccumulator(AB, 15, true);
    for (int i = 0; i < n; i++) {
      flat[2 * i] = random.nextInt(1, 100) / 100.0;
      flat[2 * i + 1] = 1 - flat[2 * i];
      gold[i] = random.nextInt(2);
      sequential.add(flat, 2 * i, gold[i]);
    }
    CalibrationMetrics parallel = Metrics.evaluate(AB, flat, gold, 15);
    CalibrationMetrics expected = sequential.result();
    assertThat(parallel.rows()).isEqualTo(n);
    assertThat(parallel.accuracy()).isEqualTo(expected.accuracy());
    assertThat(parallel.predictionCounts()).isEqualTo(expected.predictionCounts());
    assertThat(parallel.ece()).isCloseTo(expected.ece(), within(1e-12));
    assertThat(parallel.nll()).isCloseTo(expected.nll(), within(1e-12));
    assertThat(parallel.eceEqualMass().getAsDouble())
        .isEqualTo(expected.eceEqualMass().getAsDouble());
  }
}
