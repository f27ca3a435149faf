package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/**
 * {@link PrototypicalCalibration}'s parameter ranges and checks, its per-thread buffer and rows too
 * far from every component. Expected values are hand computed unless stated.
 */
class PrototypicalCalibrationTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  @Test
  void prototypicalParameterRanges() {
    double[] means = {-0.1, -2.0, -2.0, -0.1};
    // a mixing weight of exactly 1 is in (0, 1]; 1 + 1e-7 sums to one within 1e-6
    assertThat(PrototypicalCalibration.of(AB, new double[] {1.0, 1e-7}, means, covariances(2, 1)))
        .isNotNull();
    assertThatThrownBy(
            () -> PrototypicalCalibration.of(AB, new double[] {0.0, 1.0}, means, covariances(2, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixing weight for label 'a' is 0.0; expected a value in (0, 1]");
    // means exactly 0 and exactly LOG_FLOOR are log-probabilities in [LOG_FLOOR, 0]
    Calibrator edges =
        PrototypicalCalibration.of(
            AB,
            new double[] {0.5, 0.5},
            new double[] {0.0, Probabilities.LOG_FLOOR, Probabilities.LOG_FLOOR, 0.0},
            covariances(2, 1));
    assertThat(edges.parameters().get("means"))
        .containsExactly(0.0, Probabilities.LOG_FLOOR, Probabilities.LOG_FLOOR, 0.0);
    assertThatThrownBy(
            () ->
                PrototypicalCalibration.of(
                    AB,
                    new double[] {0.5, 0.5},
                    new double[] {Math.ulp(0.0), -1, -1, 0},
                    covariances(2, 1)))
        .hasMessageContaining("prototypical means[0] is");
  }

  @Test
  void prototypicalCovarianceChecksNameTheFault() {
    double[] mixing = {0.5, 0.5};
    double[] means = {-0.1, -2.0, -2.0, -0.1};
    double[] nanDiagonal = covariances(2, 1);
    nanDiagonal[3] = Double.NaN; // label a's (1, 1) entry
    assertThatThrownBy(() -> PrototypicalCalibration.of(AB, mixing, means, nanDiagonal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "prototypical covariance of label 'a' is not positive definite (or not finite)");
    // K = 3, label a's matrix symmetric except at (2, 1): m[7] = 0.07, m[5] = 0.05; the other
    // off-diagonal entries (0.01, 0.02) differ from both, so the message shows the right pair
    double[] cov = covariances(3, 1);
    cov[1] = 0.01;
    cov[3] = 0.01;
    cov[2] = 0.02;
    cov[6] = 0.02;
    cov[5] = 0.05;
    cov[7] = 0.07;
    double[] means3 = {-0.1, -2, -2, -2, -0.1, -2, -2, -2, -0.1};
    assertThatThrownBy(
            () -> PrototypicalCalibration.of(ABC, new double[] {0.3, 0.3, 0.4}, means3, cov))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "prototypical covariance of label 'a' is not symmetric at (2, 1): 0.07 and 0.05");
  }

  /**
   * Applying a K = 2 then a K = 3 prototypical calibrator on one fresh thread: the per-thread
   * buffer the first allocates is too small for the second and must be replaced. The output is
   * compared with another fresh thread's that applies only the K = 3 calibrator.
   */
  @Test
  void prototypicalBufferGrowsWithTheLabelCount() throws Exception {
    Calibrator two =
        PrototypicalCalibration.of(
            AB, new double[] {0.5, 0.5}, new double[] {-0.1, -2.0, -2.0, -0.1}, covariances(2, 1));
    Calibrator three =
        PrototypicalCalibration.of(
            ABC,
            new double[] {0.3, 0.3, 0.4},
            new double[] {-0.1, -2, -2, -2, -0.1, -2, -2, -2, -0.1},
            covariances(3, 1));
    LabelDistribution row3 = LabelDistribution.ofProbabilities(ABC, 0.2, 0.3, 0.5);
    LabelDistribution alone = onAFreshThread(() -> three.apply(row3));
    LabelDistribution after =
        onAFreshThread(
            () -> {
              two.apply(d(0.3));
              return three.apply(row3);
            });
    assertThat(after).isEqualTo(alone);
  }

  private static <T> T onAFreshThread(java.util.function.Supplier<T> task) throws Exception {
    Object[] result = new Object[1];
    Throwable[] error = new Throwable[1];
    Thread t =
        new Thread(
            () -> {
              try {
                result[0] = task.get();
              } catch (Throwable e) {
                error[0] = e;
              }
            });
    t.start();
    t.join();
    if (error[0] != null) {
      throw new AssertionError("the task failed", error[0]);
    }
    @SuppressWarnings("unchecked")
    T r = (T) result[0];
    return r;
  }

  /**
   * Covariance 1e-305 I: a row with log p(a) = log 1e-300 = -690.8 is (690.8)^2 / 1e-305 = 4.8e310
   * away in squared Mahalanobis distance from both means (0, 0): both log-densities overflow to
   * -infinity, which must be an error, not a NaN row.
   */
  @Test
  void prototypicalRowTooFarFromEveryComponentIsAnError() {
    Calibrator c =
        PrototypicalCalibration.of(
            AB, new double[] {0.5, 0.5}, new double[] {0, 0, 0, 0}, covariances(2, 1e-305));
    assertThatThrownBy(() -> c.apply(LabelDistribution.ofProbabilities(AB, 1e-300, 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the row is too far from every component");
  }

  private static LabelDistribution d(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  private static double[] covariances(int k, double scale) {
    double[] out = new double[k * k * k];
    for (int c = 0; c < k; c++) {
      System.arraycopy(identity(k, scale), 0, out, c * k * k, k * k);
    }
    return out;
  }

  private static double[] identity(int k, double scale) {
    double[] m = new double[k * k];
    for (int i = 0; i < k; i++) {
      m[i * k + i] = scale;
    }
    return m;
  }
}
