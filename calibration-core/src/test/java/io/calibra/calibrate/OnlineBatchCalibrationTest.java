package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/** {@link OnlineBatchCalibration}'s prior bounds, labels and toString. */
class OnlineBatchCalibrationTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void onlineBatchPriorBoundariesLabelsAndToString() {
    OnlineBatchCalibration zero = BatchCalibration.online(AB, 0.0);
    assertThat(zero.labels()).isEqualTo(AB);
    assertThat(zero.toString()).isEqualTo("OnlineBatchCalibration{labels=[a, b], rows=0}");
    zero.update(d(AB, 0.25, 0.75));
    assertThat(zero.toString()).isEqualTo("OnlineBatchCalibration{labels=[a, b], rows=1}");
    assertThatThrownBy(() -> BatchCalibration.online(AB, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priorStrength is Infinity; expected a finite value >= 0");
    assertThatThrownBy(() -> BatchCalibration.online(AB, -Double.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a finite value >= 0");
    // the largest finite prior is accepted
    assertThat(BatchCalibration.online(AB, Double.MAX_VALUE).count()).isZero();
  }

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }
}
