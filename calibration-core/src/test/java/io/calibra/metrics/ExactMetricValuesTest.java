package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed label bias and reliability bins. */
class ExactMetricValuesTest {
  @Test
  void labelBiasTotalVariationAndKlFromUniform() {
    LabelBias b =
        LabelBias.of(
            LabelDistribution.ofProbabilities(LabelSet.of("a", "b", "c"), 0.5, 0.25, 0.25));
    // TV = (|1/2 - 1/3| + 2 |1/4 - 1/3|) / 2 = 1/6; KL = 1/2 log(3/2) + 2 * 1/4 log(3/4).
    assertThat(b.totalVariation()).isCloseTo(1.0 / 6, within(1e-15));
    assertThat(b.klFromUniform())
        .isCloseTo(0.5 * Math.log(1.5) + 0.5 * Math.log(0.75), within(1e-15));
    assertThat(b.distribution()).containsExactly(0.5, 0.25, 0.25);

    // A one-hot mean: KL = log K, TV = 1 - 1/K; a zero entry adds nothing (0 log 0 = 0).
    LabelBias oneHot = LabelBias.of(new double[] {0, 1, 0, 0});
    assertThat(oneHot.klFromUniform()).isCloseTo(Math.log(4), within(1e-15));
    assertThat(oneHot.totalVariation()).isCloseTo(0.75, within(1e-15));
    assertThat(LabelBias.of(new double[] {0.25, 0.25, 0.25, 0.25}).klFromUniform()).isZero();
  }

  @Test
  void reliabilityBinEdgesCountsAndMeans() {
    EqualWidthBins bins = new EqualWidthBins(4);
    // Bins are (lo, hi]; 0 falls in the first. 0.25 -> bin 0, 0.26 -> bin 1, 1.0 -> bin 3.
    bins.add(0.0, false);
    bins.add(0.25, true);
    bins.add(0.26, true);
    bins.add(0.5, false);
    bins.add(1.0, true);
    List<ReliabilityBin> out = bins.nonEmptyBins();
    assertThat(out).hasSize(3);
    double[][] expected = {
      {0.0, 0.25, 2, 0.125, 0.5}, {0.25, 0.5, 2, 0.38, 0.5}, {0.75, 1, 1, 1, 1}
    };
    for (int i = 0; i < 3; i++) {
      ReliabilityBin b = out.get(i);
      double[] e = expected[i];
      assertThat(b.lower()).as("lower %d", i).isEqualTo(e[0]);
      assertThat(b.upper()).as("upper %d", i).isEqualTo(e[1]);
      assertThat(b.count()).as("count %d", i).isEqualTo((long) e[2]);
      assertThat(b.meanConfidence()).as("confidence %d", i).isCloseTo(e[3], within(1e-15));
      assertThat(b.accuracy()).as("accuracy %d", i).isEqualTo(e[4]);
    }
    assertThat(out.get(0).gap()).isEqualTo(0.375);
    // ECE = (2 * 0.375 + 2 * 0.12 + 1 * 0) / 5; MCE = 0.375.
    assertThat(bins.ece()).isCloseTo((2 * 0.375 + 2 * 0.12) / 5, within(1e-15));
    assertThat(bins.mce()).isEqualTo(0.375);
    assertThat(EqualWidthBins.binOf(0.75, 4)).isEqualTo(2);
    assertThat(EqualWidthBins.binOf(0.7500001, 4)).isEqualTo(3);
    assertThat(EqualWidthBins.binOf(1e-300, 4)).isZero();
  }
}
