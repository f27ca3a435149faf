package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import org.junit.jupiter.api.Test;

/**
 * Exact values where a looser check lets real bugs through: the temperature optimum's optimality
 * condition, the log-space fallback of the diagonal bias correction, the batch length check.
 */
class ExactValuesTest {
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  /**
   * Brent alone lands within about 1e-8 of the optimum; only the Newton polish reaches it. The
   * derivative is computed here independently: d/d(beta) of mean NLL(softmax(beta z)) = mean over
   * rows of (E_q[z] - z_gold), with z = log softmax(logits), beta = 1/T. The reference optimum
   * 1.0851874864912598 is the extended-precision root quoted in GoldenTest.
   */
  @Test
  void temperatureFitSitsAtTheRootOfTheNllDerivative() {
    GoldenCase g = GoldenCase.load("sst2-zeroshot-minilm");
    LabelledSet raw = LabelledSet.of(g.rawDistributions(), g.gold);
    double t = TemperatureScaling.fit(raw).parameters().get("temperature")[0];
    assertThat(Math.abs(t - 1.0851874864912598) / t).isLessThan(1e-13);
    assertThat(Math.abs(derivative(g, 1.0 / t))).isLessThan(1e-10);
    // The golden (scipy) temperature is 1e-8 off: its derivative is visibly non-zero, so the
    // check above can fail.
    double golden = g.expected.get("temperature").get("temperature").asDouble();
    assertThat(Math.abs(derivative(g, 1.0 / golden))).isGreaterThan(1e-10);
  }

  private static double derivative(GoldenCase g, double beta) {
    double sum = 0;
    for (int r = 0; r < g.gold.length; r++) {
      double[] logits = g.logits.get(r);
      int k = logits.length;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : logits) {
        max = Math.max(max, v);
      }
      double norm = 0;
      for (double v : logits) {
        norm += Math.exp(v - max);
      }
      double[] z = new double[k];
      for (int j = 0; j < k; j++) {
        z[j] = logits[j] - max - Math.log(norm);
      }
      double zmax = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        zmax = Math.max(zmax, beta * v);
      }
      double qNorm = 0;
      double weighted = 0;
      for (int j = 0; j < k; j++) {
        double w = Math.exp(beta * z[j] - zmax);
        qNorm += w;
        weighted += w * z[j];
      }
      sum += weighted / qNorm - z[g.gold[r]];
    }
    return sum / g.gold.length;
  }

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

  @Test
  void applyBatchChecksBothLengthsAndTheRowCount() {
    Calibrator t = TemperatureScaling.of(ABC, 2.0);
    double[] two = {0.2, 0.3, 0.5, 1, 0, 0};
    double[] out = new double[6];
    t.applyBatch(two, out, 2); // exactly long enough
    assertThat(out[3]).isEqualTo(1.0);
    assertThat(out[0])
        .isCloseTo(
            Math.sqrt(0.2) / (Math.sqrt(0.2) + Math.sqrt(0.3) + Math.sqrt(0.5)), within(1e-15));
    assertThatThrownBy(() -> t.applyBatch(two, new double[5], 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "batch arrays too short: expected at least 6 values for 2 rows of 3 labels, found 6 in"
                + " and 5 out");
    assertThatThrownBy(() -> t.applyBatch(new double[5], out, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found 5 in and 6 out");
    assertThatThrownBy(() -> t.applyBatch(two, out, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for -1 rows");
    // rows * k overflows an int: the needed length is computed in long arithmetic.
    assertThatThrownBy(() -> t.applyBatch(two, out, Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected at least 6442450941 values");
    t.applyBatch(two, out, 0); // nothing to do, nothing thrown
  }

  @Test
  void aDistributionIsCalibratedRowByRow() {
    LabelDistribution p = LabelDistribution.ofProbabilities(ABC, 0.2, 0.3, 0.5);
    assertThat(TemperatureScaling.of(ABC, 0.5).apply(p).toArray())
        .containsExactly(new double[] {0.04 / 0.38, 0.09 / 0.38, 0.25 / 0.38}, within(1e-15));
  }
}
