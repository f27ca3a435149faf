package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/** {@link LabelBias}'s distances from the uniform distribution, hand computed. */
class LabelBiasTest {
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
}
