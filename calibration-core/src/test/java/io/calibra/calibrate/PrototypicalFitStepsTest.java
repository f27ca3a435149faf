package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The steps of prototypical calibration on hand-built data: the k-means++ draw when the target
 * falls exactly on a row's cumulative mass, and EM from a start that is already its fixed point
 * (the four corners of the unit square, both components at the data's mean (0.5, 0.5) with the
 * data's covariance: they stay identical, so every row's responsibilities are equal and nothing
 * moves). Expected values are hand computed.
 */
class PrototypicalFitStepsTest {
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

  /**
   * k-means++ draws the second mean as the first row whose cumulative squared distance exceeds
   * {@code u * total} ({@code u} the seed's first nextDouble, after the nextInt that picks row 0):
   * the reference script's rule. Rows at squared distance 2^-j from the origin (row 0), one per set
   * bit of u and then one per set bit of 1 - u, make every sum exact and the total exactly 1, so
   * the target u equals the cumulative mass of the last "u" row exactly: the draw must take the row
   * after it.
   */
  @Test
  void aTargetExactlyOnACumulativeMassTakesTheNextRow() {
    for (long seed = 0; seed < 100_000; seed++) {
      Random draws = new Random(seed);
      draws.nextInt();
      double u = draws.nextDouble();
      List<double[]> rows = new ArrayList<>();
      rows.add(new double[] {0, 0});
      addRows(rows, u);
      int lastOfU = rows.size() - 1;
      addRows(rows, 1 - u);
      // the seed must also pick row 0 first (one in about n seeds does), and the two rows differ
      if (lastOfU == 0
          || java.util.Arrays.equals(rows.get(lastOfU), rows.get(lastOfU + 1))
          || new Random(seed).nextInt(rows.size()) != 0) {
        continue;
      }
      double[][] x = rows.toArray(new double[0][]);
      double[][] means = PrototypicalCalibration.initialMeans(x, 2, seed);
      assertThat(means[0]).containsExactly(0, 0);
      assertThat(means[1]).as("seed %d", seed).containsExactly(x[lastOfU + 1]);
      return;
    }
    throw new AssertionError("no seed below 100000 draws row 0 first");
  }

  /** One row at squared distance 2^-j from the origin per set bit 2^-j of {@code v} in (0, 1). */
  private static void addRows(List<double[]> rows, double v) {
    long bits = Math.round(v * 0x1p53);
    for (int j = 1; j <= 53; j++) {
      if ((bits & (1L << (53 - j))) != 0) {
        // 2^-j = a^2 with a = 2^(-j/2) for even j; = 2 a^2 with a = 2^(-(j+1)/2) for odd j
        rows.add(
            j % 2 == 0
                ? new double[] {Math.scalb(1.0, -j / 2), 0}
                : new double[] {Math.scalb(1.0, -(j + 1) / 2), Math.scalb(1.0, -(j + 1) / 2)});
      }
    }
  }
}
