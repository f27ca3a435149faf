package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/** {@link AffineScaling}'s vector and matrix kinds. */
class AffineScalingTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void scalingKindsReportWhetherTheyAreDiagonal() {
    Calibrator vector = VectorScaling.of(AB, new double[] {1, 1}, new double[] {0, 0});
    Calibrator matrix = MatrixScaling.of(AB, new double[] {1, 0, 0, 1}, new double[] {0, 0});
    assertThat(((Calibrator.Scaling) vector).diagonal()).isTrue();
    assertThat(((Calibrator.Scaling) matrix).diagonal()).isFalse();
  }
}
