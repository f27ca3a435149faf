package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/**
 * {@link DiagonalBiasCorrection}'s direct and log-space paths, at the edges where they differ.
 * Expected values are hand computed unless stated.
 */
class DiagonalBiasCorrectionTest {
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");
  private static final LabelSet AB = LabelSet.of("a", "b");

  /**
   * Bias (1e-320, .5, .5), row (1e-320, 1, 0): every product p_i * min/bias_i underflows, so the
   * ratio is taken in log space: (log 1e-320 - log 1e-320, log 1 - log .5, -inf) = (0, log 2,
   * -inf), whose softmax is (1/3, 2/3, 0) (hand computed).
   */
  @Test
  void diagonalBiasCorrectionLogSpaceFallbackIsExact() {
    Calibrator batch = BatchCalibration.fromBias(ABC, new double[] {1e-320, 0.5, 0.5});
    double[] out = new double[3];
    batch.applyInto(new double[] {1e-320, 1, 0}, 0, out, 0);
    assertThat(out).containsExactly(new double[] {1.0 / 3, 2.0 / 3, 0.0}, within(1e-15));
    // The ordinary path on the same bias: (0.5, 0.5, 0) -> ratios (0, 1, 1) -> (0, 0.5, 0.5).
    batch.applyInto(new double[] {0, 0.5, 0.5}, 0, out, 0);
    assertThat(out).containsExactly(new double[] {0.0, 0.5, 0.5}, within(1e-15));
  }

  /**
   * Bias (2^-1023, .5, .5), row (0, .125, .875): the products p_i * min / bias_i are (0, 2^-1025, 7
   * 2^-1025), whose sum is exactly Double.MIN_NORMAL, the smallest sum still taken directly. b and
   * c have the same bias, so their ratio 1 : 7 is kept: (0, .125, .875) exactly. The log-space path
   * would round it (softmax of log .25 and log 1.75 gives 0.12500000000000006 in Python).
   */
  @Test
  void aProductSumOfExactlyMinNormalIsTakenDirectly() {
    Calibrator c = BatchCalibration.fromBias(ABC, new double[] {0x1p-1023, 0.5, 0.5});
    double[] out = new double[3];
    c.applyInto(new double[] {0, 0.125, 0.875}, 0, out, 0);
    assertThat(out).containsExactly(0, 0.125, 0.875);
  }

  /**
   * Bias (1e-320, .5, .5), gamma 2, row (1e-320, 1, 0): every product underflows, so the log-space
   * path runs: q is proportional to p / bias^2 = (1e-320 / 1e-640, 1 / .25, 0) = (1e320, 4, 0),
   * hence q = (1, 4e-320, 0) up to subnormal rounding (hand computed). Dropping gamma in log space
   * would give softmax(0, log 2, -inf) = (1/3, 2/3, 0).
   */
  @Test
  void logSpacePathAppliesTheStrength() {
    Calibrator c = BatchCalibration.fromBias(ABC, new double[] {1e-320, 0.5, 0.5}, 2.0);
    double[] out = new double[3];
    c.applyInto(new double[] {1e-320, 1, 0}, 0, out, 0);
    assertThat(out[0]).isEqualTo(1.0);
    assertThat(out[1]).isGreaterThan(3e-320).isLessThan(5e-320);
    assertThat(out[2]).isEqualTo(0.0);
  }

  /**
   * A uniform bias makes every factor min/bias_i exactly 1, so the direct path returns the row
   * bit-for-bit (each row's two doubles sum to exactly 1, asserted, so the normaliser is 1). The
   * log-space path (log p - log bias, then softmax) rounds: for 0.1 it gives 0.10000000000000002.
   */
  @Test
  void uniformBiasReturnsTheRowBitForBit() {
    Calibrator c = BatchCalibration.fromBias(AB, new double[] {0.5, 0.5});
    double[][] rows = {{0.3, 0.7}, {0.1, 0.9}, {0.375, 0.625}, {0.123, 0.877}, {0.01, 0.99}};
    for (double[] row : rows) {
      assertThat(row[0] + row[1]).as("row %s sums to exactly one", row[0]).isEqualTo(1.0);
      double[] out = new double[2];
      c.applyInto(row, 0, out, 0);
      assertThat(out).as("row %s", java.util.Arrays.toString(row)).containsExactly(row);
    }
  }
}
