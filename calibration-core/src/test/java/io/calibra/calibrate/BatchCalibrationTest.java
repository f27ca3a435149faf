package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void aBiasThatIsNotADistributionIsRefused() {
    // 0.5 + 0.7 = 1.2: every entry is in (0, 1], only the sum is wrong
    assertThatThrownBy(() -> BatchCalibration.fromBias(AB, new double[] {0.5, 0.7}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probabilities sum to 1.2");
    assertThatThrownBy(
            () ->
                ContextualCalibration.fromBias(
                    AB,
                    new double[] {0.5, 0.7},
                    ContextualCalibration.Form.SUBTRACTIVE,
                    ContextualCalibration.Rule.NORMALISED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probabilities sum to 1.2");
  }

  @Test
  void batchStrengthZeroAndTheMaximumAreAccepted() {
    // gamma = 0: q = normalise(p / bias^0) = p
    Calibrator none = BatchCalibration.fromBias(AB, new double[] {0.2, 0.8}, 0.0);
    assertThat(none.apply(d(AB, 0.3, 0.7)).toArray()).containsExactly(0.3, 0.7);
    assertThat(((Calibrator.BiasCorrection) none).strength()).isEqualTo(0.0);
    Calibrator max =
        BatchCalibration.fromBias(AB, new double[] {0.2, 0.8}, Calibrator.MAX_PARAMETER_MAGNITUDE);
    assertThat(((Calibrator.BiasCorrection) max).strength())
        .isEqualTo(Calibrator.MAX_PARAMETER_MAGNITUDE);
    assertThatThrownBy(
            () ->
                BatchCalibration.fromBias(
                    AB, new double[] {0.2, 0.8}, Math.nextUp(Calibrator.MAX_PARAMETER_MAGNITUDE)))
        .hasMessageContaining("strength (gamma) is");
  }

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }
}
