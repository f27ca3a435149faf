package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DirichletCalibration}'s choice of ODIR strengths by cross-validation. */
class DirichletCalibrationTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static LabelDistribution d(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  /**
   * Gold (a, a, a, b) in 2 folds: the fold holding out row 3 (the only b) trains on a's alone and
   * is named. Row 3's fold for each seed comes from scripts/fold_assignment_reference.py (java.util
   * .Random re-implemented from its documented generator): fold 1 for seeds 0 to 3, fold 2 for
   * seeds 4 and 8.
   */
  @Test
  void namesTheFoldWhoseTrainingRowsHaveOneClass() {
    LabelledSet data =
        LabelledSet.of(List.of(d(0.7), d(0.6), d(0.8), d(0.4)), new int[] {0, 0, 0, 1});
    long[] seeds = {0, 1, 2, 3, 4, 8};
    int[] foldOfRow3 = {1, 1, 1, 1, 2, 2};
    for (int i = 0; i < seeds.length; i++) {
      long seed = seeds[i];
      assertThatThrownBy(() -> DirichletCalibration.chooseOdir(data, 2, seed))
          .as("seed %s", seed)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("dirichlet cross-validation fold " + foldOfRow3[i] + " of 2: ")
          .hasMessageContaining("needs rows of at least 2 gold classes to fit");
    }
  }

  /**
   * An ODIR grid pair wins only when its NLL is lower by more than 1e-12 of the best one's: at a
   * best NLL of 2 the margin is 2e-12, and a value exactly that far below is still a tie; at 0.5
   * the margin is 5e-13 (hand computed).
   */
  @Test
  void odirGridTiesAreRelativeToTheBestNll() {
    double edge = 2.0 - DirichletCalibration.TIE * 2.0;
    assertThat(DirichletCalibration.lowerBeyondRounding(edge, 2.0)).isFalse();
    assertThat(DirichletCalibration.lowerBeyondRounding(Math.nextDown(edge), 2.0)).isTrue();
    assertThat(DirichletCalibration.lowerBeyondRounding(2.0 - 1e-12, 2.0)).isFalse();
    assertThat(DirichletCalibration.lowerBeyondRounding(0.5 - 1e-12, 0.5)).isTrue();
    assertThat(DirichletCalibration.lowerBeyondRounding(0.5 - 4e-13, 0.5)).isFalse();
  }

  @Test
  void odirStrengthsZeroAcceptedInfinityRefused() {
    LabelledSet data = TwoLabelRows.overlapping();
    assertThat(DirichletCalibration.fit(data, 0.0, 0.0).kind())
        .isEqualTo(CalibrationMethod.DIRICHLET);
    assertThatThrownBy(() -> DirichletCalibration.fit(data, Double.POSITIVE_INFINITY, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ODIR lambda is Infinity; expected a finite value >= 0");
    assertThatThrownBy(() -> DirichletCalibration.fit(data, 0.0, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ODIR mu is Infinity; expected a finite value >= 0");
  }

  @Test
  void dirichletCrossValidationChecks() {
    LabelledSet oneClass =
        LabelledSet.of(
            List.of(d(AB, 0.7, 0.3), d(AB, 0.4, 0.6), d(AB, 0.2, 0.8)), new int[] {0, 0, 0});
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(oneClass, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dirichlet calibration needs rows of at least 2 gold classes to fit");
    // along p0 = 0.1, ..., 0.8 the gold labels change five times: no map a ln p0 + b ln p1 + c
    // (which changes sign at most twice) separates any seven of the eight rows, and the gold
    // labels lean to the larger probability, so every leave-one-out fold has a fit
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = {1, 1, 0, 1, 0, 1, 0, 0};
    for (int i = 0; i < 8; i++) {
      double p = 0.1 + 0.1 * i;
      rows.add(d(AB, p, 1 - p));
    }
    LabelledSet eight = LabelledSet.of(rows, gold);
    // folds == rows (leave-one-out) is allowed; every training fold keeps both classes
    assertThat(DirichletCalibration.chooseOdir(eight, 8, 0)).isNotNull();
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(eight, 9, 0))
        .hasMessageContaining("dirichlet cross-validation with 9 folds");
    // separable rows: a fold's fit does not exist, and the choice says which fold
    LabelledSet four =
        LabelledSet.of(
            List.of(d(AB, 0.7, 0.3), d(AB, 0.4, 0.6), d(AB, 0.8, 0.2), d(AB, 0.3, 0.7)),
            new int[] {0, 1, 0, 1});
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(four, 4, 0))
        .isInstanceOf(NoFitException.class)
        .hasMessageStartingWith(
            "dirichlet cross-validation fold 1 of 4: dirichlet calibration"
                + " has no maximum-likelihood fit");
  }

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }
}
