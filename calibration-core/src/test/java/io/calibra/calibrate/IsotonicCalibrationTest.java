package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link IsotonicCalibration}'s pooling, interpolation and threshold checks at exact boundaries,
 * where an off-by-one comparison gives another result. Expected values are hand computed unless
 * stated.
 */
class IsotonicCalibrationTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /**
   * PAVA pools a block with an equal neighbour: rows at x = 0.1 (i + 1) with counts {@code count}
   * and positives {@code positive} are one block, whose value is positives / rows (7/12 and 7/13,
   * correctly rounded), as scikit-learn 1.2.1's IsotonicRegression gives bit for bit (checked with
   * /usr/bin/python3). Pooling equal values in another order rounds the last bit differently.
   */
  @Test
  void isotonicPoolsEqualNeighboursAsScikitLearn() {
    assertPooled(new int[] {1, 9, 6, 8}, new int[] {1, 9, 3, 1}, 7.0 / 12);
    assertPooled(new int[] {12, 3, 10, 1}, new int[] {12, 2, 0, 0}, 7.0 / 13);
  }

  private static void assertPooled(int[] count, int[] positive, double expected) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i < count.length; i++) {
      for (int r = 0; r < count[i]; r++) {
        x.add(0.1 * (i + 1));
        y.add(r < positive[i] ? 1.0 : 0.0);
      }
    }
    double[][] fit =
        IsotonicCalibration.regression(
            x.stream().mapToDouble(Double::doubleValue).toArray(),
            y.stream().mapToDouble(Double::doubleValue).toArray());
    assertThat(fit[0]).containsExactly(0.1, 0.4);
    assertThat(fit[1]).containsExactly(expected, expected);
  }

  /**
   * numpy's interp returns fp[j] exactly at a knot xp[j]. Interpolating from the neighbouring
   * segment instead rounds: with knots (0.1, 0.1) and (0.2, 0.45), 3.5 * 0.1 + 0.1 =
   * 0.44999999999999996 (checked in Python), not 0.45.
   */
  @Test
  void interpolationAtAKnotReturnsItsValueExactly() {
    // an inner knot
    assertThat(
            IsotonicCalibration.interpolate(
                0.2, new double[] {0.1, 0.2, 0.3}, new double[] {0.1, 0.45, 0.5}))
        .isEqualTo(0.45);
    // the last knot
    assertThat(
            IsotonicCalibration.interpolate(
                0.2, new double[] {0.05, 0.1, 0.2}, new double[] {0.0, 0.1, 0.45}))
        .isEqualTo(0.45);
    // the first knot and beyond either end
    assertThat(
            IsotonicCalibration.interpolate(
                0.05, new double[] {0.05, 0.1, 0.2}, new double[] {0.0, 0.1, 0.45}))
        .isEqualTo(0.0);
    assertThat(
            IsotonicCalibration.interpolate(
                0.9, new double[] {0.05, 0.1, 0.2}, new double[] {0.0, 0.1, 0.45}))
        .isEqualTo(0.45);
  }

  /**
   * scikit-learn's _make_unique pools x values while {@code x - current_x < eps}: two values
   * exactly eps apart (0 and 1e-15; 1e-15 - 0 is exact) stay two thresholds.
   */
  @Test
  void isotonicThresholdsExactlyMergeEpsApartAreKept() {
    double eps = IsotonicCalibration.MERGE_EPS;
    double[][] fit = IsotonicCalibration.regression(new double[] {eps, 0.0}, new double[] {1, 0});
    assertThat(fit[0]).containsExactly(0.0, eps);
    assertThat(fit[1]).containsExactly(0.0, 1.0);
    // and a calibrator with such thresholds is valid
    Calibrator c =
        IsotonicCalibration.of(
            AB, new double[][] {{0.0, eps}, {0.0, eps}}, new double[][] {{0, 1}, {0, 1}});
    assertThat(((Calibrator.Isotonic) c).thresholds(0)).containsExactly(0.0, eps);
    assertThatThrownBy(
            () ->
                IsotonicCalibration.of(
                    AB,
                    new double[][] {{0.0, eps / 2}, {0.0, eps}},
                    new double[][] {{0, 1}, {0, 1}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold 1 is");
  }
}
