package io.calibra.testkit;

import static io.calibra.testkit.CalibraAssertions.assertThat;
import static io.calibra.testkit.CalibraAssertions.assertThatProbabilities;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each assertion passes when it should and fails, with its message, when it should not. */
class CalibraAssertionsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static LabelDistribution p(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  @Test
  void distributionAssertions() {
    assertThat(LabelDistribution.uniform(AB))
        .isUniform(0)
        .predicts("a")
        .hasProbability("b", 0.5, 0);
    assertThat(p(0.7)).isCloseTo(p(0.7 + 1e-12), 1e-9);
    assertThatThrownBy(() -> assertThat(p(0.7)).isUniform(0.01))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("label 'a' has 0.7");
    assertThatThrownBy(() -> assertThat(p(0.7)).predicts("b"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected prediction 'b' but was 'a'");
    assertThatProbabilities(AB, new double[] {0.25, 0.75}).isValidDistribution();
    assertThatThrownBy(
            () ->
                assertThatProbabilities(AB, new double[] {0.25, Double.NaN}).isValidDistribution())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("label 'b' is NaN");
  }

  @Test
  void calibratorAssertions() {
    Calibrator contextual = ContextualCalibration.fit(List.of(p(0.8)));
    assertThat(contextual)
        .mapsToUniform(p(0.8), 1e-12)
        .outputsValidDistributions(List.of(p(0.1), p(1.0)));
    assertThatThrownBy(() -> assertThat(contextual).mapsToUniform(p(0.6), 1e-3))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to uniform");
    // an over-confident model: T = 3 lowers its NLL (hand-made: p(0.95) right 70% of the time)
    LabelledSet overconfident =
        LabelledSet.of(
            List.of(
                p(0.95), p(0.95), p(0.95), p(0.95), p(0.95), p(0.95), p(0.95), p(0.95), p(0.95),
                p(0.95)),
            new int[] {0, 0, 0, 0, 0, 0, 0, 1, 1, 1});
    assertThat(TemperatureScaling.of(AB, 3))
        .lowersNllOn(overconfident)
        .preservesPredictions(overconfident.distributions());
    assertThatThrownBy(() -> assertThat(TemperatureScaling.of(AB, 0.3)).lowersNllOn(overconfident))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to lower the NLL of 10 rows");
    assertThatThrownBy(() -> assertThat(contextual).preservesPredictions(List.of(p(0.75))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("prediction changed from 'a' to 'b'");
  }
}
