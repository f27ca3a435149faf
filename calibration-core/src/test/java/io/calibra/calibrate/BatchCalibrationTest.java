package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BatchCalibration}'s choice of the strength gamma on labelled rows. */
class BatchCalibrationTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static LabelDistribution d(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  /**
   * A uniform batch mean makes every strength's calibrator the identity (the factors
   * (min/bias_i)^gamma are all 1), so every strength of the grid ties on the labelled NLL; the
   * documented tie rule picks the smallest, 0.
   */
  @Test
  void strengthTiesPickTheSmallest() {
    LabelledSet labelled = LabelledSet.of(List.of(d(0.8), d(0.3)), new int[] {0, 1});
    Calibrator c = BatchCalibration.fit(List.of(d(0.5), d(0.5)), labelled);
    assertThat(((Calibrator.BiasCorrection) c).strength()).isEqualTo(0.0);
    assertThat(BatchCalibration.STRENGTH_GRID.get(0)).isEqualTo(0.0);
  }
}
