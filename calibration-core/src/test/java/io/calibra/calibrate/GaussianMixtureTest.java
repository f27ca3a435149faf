package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/** {@link GaussianMixture}, the fitted or loaded prototypical calibrator: its parameter checks. */
class GaussianMixtureTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static double[] covariances(double a00, double a11) {
    // label a's matrix diag(a00, a11), label b's the identity
    return new double[] {a00, 0, 0, a11, 1, 0, 0, 1};
  }

  @Test
  void aCovarianceWithAZeroOrInfinitePivotIsRefused() {
    double[] mixing = {0.5, 0.5};
    double[] means = {-0.1, -2.0, -2.0, -0.1};
    for (double bad : new double[] {0.0, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> PrototypicalCalibration.of(AB, mixing, means, covariances(1.0, bad)))
          .as("pivot %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "prototypical covariance of label 'a' is not positive definite (or not finite)");
    }
  }
}
