package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
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
}
