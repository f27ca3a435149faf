package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Error paths of the calibrate package's fitters that need a specific input to reach: a non-finite
 * objective at the optimiser's start, a regularisation strength at its bounds, a covariance with a
 * zero or infinite pivot, a cross-validation fold without both classes.
 */
class CalibrateEdgeCasesTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static LabelDistribution d(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  @Test
  void lbfgsRefusesANonFiniteStartingValue() {
    Lbfgs.Objective nan =
        (x, g) -> {
          g[0] = 0;
          return Double.NaN;
        };
    assertThatThrownBy(() -> Lbfgs.minimize(nan, new double[] {1.0}, 10, 1e-9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("objective is NaN at the starting point");
  }

  @Test
  void scalingLambdaZeroIsAcceptedInfinityIsNot() {
    LabelledSet data = CalibrateBoundariesTest.overlapping();
    assertThat(VectorScaling.fit(data, 0.0).kind()).isEqualTo(CalibrationMethod.VECTOR);
    assertThatThrownBy(() -> VectorScaling.fit(data, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is Infinity; expected a finite value >= 0");
  }

  private static double[] covariances(double a00, double a11) {
    // label a's matrix diag(a00, a11), label b's the identity
    return new double[] {a00, 0, 0, a11, 1, 0, 0, 1};
  }

  @Test
  void prototypicalCovarianceWithAZeroOrInfinitePivotIsRefused() {
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

  /**
   * Gold (a, a, a, b) in 2 folds: the fold holding out row 3 (the only b) trains on a's alone. Its
   * number (1-based) is recomputed here from the documented fold recipe: a Fisher-Yates shuffle
   * with java.util.Random(seed), then rows dealt round-robin.
   */
  @Test
  void dirichletNamesTheFoldWhoseTrainingRowsHaveOneClass() {
    LabelledSet data =
        LabelledSet.of(List.of(d(0.7), d(0.6), d(0.8), d(0.4)), new int[] {0, 0, 0, 1});
    for (long seed = 0; seed < 4; seed++) {
      int[] order = {0, 1, 2, 3};
      Random random = new Random(seed);
      for (int i = 3; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int foldOfRow3 = -1;
      for (int i = 0; i < 4; i++) {
        if (order[i] == 3) {
          foldOfRow3 = i % 2;
        }
      }
      // both folds hold two rows; the other fold holds out two a's and trains on one a and the b
      long s = seed;
      assertThatThrownBy(() -> DirichletCalibration.chooseOdir(data, 2, s))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("dirichlet cross-validation fold " + (foldOfRow3 + 1) + " of 2: ")
          .hasMessageContaining("needs rows of at least 2 gold classes to fit");
    }
  }

  /**
   * A uniform batch mean makes every strength's calibrator the identity (the factors
   * (min/bias_i)^gamma are all 1), so every strength of the grid ties on the labelled NLL; the
   * documented tie rule picks the smallest, 0.
   */
  @Test
  void batchStrengthTiesPickTheSmallest() {
    LabelledSet labelled = LabelledSet.of(List.of(d(0.8), d(0.3)), new int[] {0, 1});
    Calibrator c = BatchCalibration.fit(List.of(d(0.5), d(0.5)), labelled);
    assertThat(((Calibrator.BiasCorrection) c).strength()).isEqualTo(0.0);
    assertThat(BatchCalibration.STRENGTH_GRID.get(0)).isEqualTo(0.0);
  }
}
