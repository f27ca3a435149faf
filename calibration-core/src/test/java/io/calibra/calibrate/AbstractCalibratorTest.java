package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link AbstractCalibrator}'s hash codes: different calibrators spread over several values. */
class AbstractCalibratorTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void hashCodesOfDifferentCalibratorsDiffer() {
    Set<Integer> hashes = new HashSet<>();
    for (int i = 1; i <= 10; i++) {
      hashes.add(TemperatureScaling.of(AB, i * 0.5).hashCode());
    }
    assertThat(hashes).hasSizeGreaterThan(1);
    Calibrator raw =
        ContextualCalibration.fromBias(
            AB,
            new double[] {0.25, 0.75},
            ContextualCalibration.Form.DIAGONAL,
            ContextualCalibration.Rule.RAW_MASS);
    Calibrator normalised =
        ContextualCalibration.fromBias(
            AB,
            new double[] {0.25, 0.75},
            ContextualCalibration.Form.DIAGONAL,
            ContextualCalibration.Rule.NORMALISED);
    assertThat(raw).isNotEqualTo(normalised);
    assertThat(raw.hashCode()).isNotEqualTo(normalised.hashCode());
  }
}
