package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelledSet;
import org.junit.jupiter.api.Test;

/** {@link VectorScaling}'s regularisation strength at its bounds. */
class VectorScalingTest {
  @Test
  void lambdaZeroIsAcceptedInfinityIsNot() {
    LabelledSet data = TwoLabelRows.overlapping();
    assertThat(VectorScaling.fit(data, 0.0).kind()).isEqualTo(CalibrationMethod.VECTOR);
    assertThatThrownBy(() -> VectorScaling.fit(data, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is Infinity; expected a finite value >= 0");
  }
}
