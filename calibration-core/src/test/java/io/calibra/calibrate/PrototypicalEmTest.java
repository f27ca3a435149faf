package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The EM of prototypical calibration from a start that is already its fixed point: the four corners
 * of the unit square, both components starting at the data's mean (0.5, 0.5) with the data's
 * covariance. Both components stay identical, so every row's responsibilities are equal and nothing
 * moves. Expected values are hand computed.
 */
class PrototypicalEmTest {
  private static final double[][] SQUARE = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  private static final double[][] AT_THE_MEAN = {{0.5, 0.5}, {0.5, 0.5}};

  /**
   * The covariance is diag(v, v), v = 0.25 + 1e-6 (variance with divisor n, plus the
   * regularisation); every corner is at squared Mahalanobis distance 0.5 / v, so each row's
   * log-density, and the mean log-likelihood, is -log(2 pi) - log v - 0.25 / v.
   */
  private static final double LOG_LIKELIHOOD =
      -Math.log(2 * Math.PI) - Math.log(0.250001) - 0.25 / 0.250001;

  @Test
  void aFixedPointStopsAtTheSecondIteration() {
    PrototypicalCalibration.Em em = PrototypicalCalibration.em(SQUARE, AT_THE_MEAN);
    // iteration 2's log-likelihood equals iteration 1's up to rounding: below the tolerance
    assertThat(em.iterations()).isEqualTo(2);
    assertThat(em.logLikelihood()).isCloseTo(LOG_LIKELIHOOD, within(1e-12));
    // identical components share the weight exactly: w / (w + w) is 0.5 for any w
    assertThat(em.weights()).containsExactly(0.5, 0.5);
    for (double[] mean : em.means()) {
      assertThat(mean).containsExactly(new double[] {0.5, 0.5}, within(1e-12));
    }
    for (double[] covariance : em.covariances()) {
      assertThat(covariance)
          .containsExactly(new double[] {0.250001, 0, 0, 0.250001}, within(1e-12));
    }
  }

  @Test
  void theIterationBudgetIsKept() {
    assertThat(PrototypicalCalibration.em(SQUARE, AT_THE_MEAN, 1, 1e-10).iterations()).isOne();
    // a tolerance of 0 is never undercut (the change must be below it): the budget runs out
    assertThat(PrototypicalCalibration.em(SQUARE, AT_THE_MEAN, 25, 0.0).iterations()).isEqualTo(25);
  }
}
