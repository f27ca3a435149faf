package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link Calibrator} contract shared by every calibrator: batch arrays and their checks,
 * distributions calibrated row by row, label sets of the same size with other names refused, and
 * the bias-correction accessors. Expected values are hand computed unless stated.
 */
class CalibratorTest {
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet XY = LabelSet.of("x", "y");

  @Test
  void applyBatchChecksBothLengthsAndTheRowCount() {
    Calibrator t = TemperatureScaling.of(ABC, 2.0);
    double[] two = {0.2, 0.3, 0.5, 1, 0, 0};
    double[] out = new double[6];
    t.applyBatch(two, out, 2); // exactly long enough
    assertThat(out[3]).isEqualTo(1.0);
    assertThat(out[0])
        .isCloseTo(
            Math.sqrt(0.2) / (Math.sqrt(0.2) + Math.sqrt(0.3) + Math.sqrt(0.5)), within(1e-15));
    assertThatThrownBy(() -> t.applyBatch(two, new double[5], 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "batch arrays too short: expected at least 6 values for 2 rows of 3 labels, found 6 in"
                + " and 5 out");
    assertThatThrownBy(() -> t.applyBatch(new double[5], out, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found 5 in and 6 out");
    assertThatThrownBy(() -> t.applyBatch(two, out, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for -1 rows");
    // rows * k overflows an int: the needed length is computed in long arithmetic.
    assertThatThrownBy(() -> t.applyBatch(two, out, Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected at least 6442450941 values");
    t.applyBatch(two, out, 0); // nothing to do, nothing thrown
  }

  @Test
  void aDistributionIsCalibratedRowByRow() {
    LabelDistribution p = LabelDistribution.ofProbabilities(ABC, 0.2, 0.3, 0.5);
    assertThat(TemperatureScaling.of(ABC, 0.5).apply(p).toArray())
        .containsExactly(new double[] {0.04 / 0.38, 0.09 / 0.38, 0.25 / 0.38}, within(1e-15));
  }

  @Test
  void sameSizeOtherNamesIsRefusedEverywhere() {
    LabelDistribution ab = d(AB, 0.4, 0.6);
    LabelDistribution xy = d(XY, 0.4, 0.6);
    assertThatThrownBy(() -> BatchCalibration.fit(List.of(ab, xy)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for batch calibration distribution 1")
        .hasMessageContaining("[a, b]")
        .hasMessageContaining("[x, y]");
    assertThatThrownBy(() -> Calibrator.identity(AB).apply(xy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for identity calibration input");
    OnlineBatchCalibration online = BatchCalibration.online(AB, 1.0);
    assertThatThrownBy(() -> online.update(xy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for online batch calibration input");
    assertThat(online.count()).isZero();
    LabelScores sAb = LabelScores.of(AB, ScoreKind.LOG_PROBABILITY, Math.log(0.4), Math.log(0.6));
    LabelScores sXy = LabelScores.of(XY, ScoreKind.LOG_PROBABILITY, Math.log(0.4), Math.log(0.6));
    assertThatThrownBy(
            () ->
                ContextualCalibration.estimateBias(
                    List.of(sAb, sXy), ContextualCalibration.Rule.RAW_MASS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for contextual calibration score 1");
    assertThatThrownBy(() -> LeaveOneOutCalibration.fit(List.of(ab, xy, ab), new int[] {0, 1, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for leave-one-out distribution 1");
    assertThatThrownBy(() -> MethodSelection.defaultCandidatesFromScores(AB, List.of(sXy)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for content-free score");
  }

  @Test
  void biasAccessorsReturnTheEstimateAndDefaultStrength() {
    Calibrator.BiasCorrection diag =
        (Calibrator.BiasCorrection) BatchCalibration.fromBias(AB, new double[] {0.25, 0.75});
    assertThat(diag.bias()).isEqualTo(d(AB, 0.25, 0.75));
    Calibrator.BiasCorrection sub =
        (Calibrator.BiasCorrection)
            ContextualCalibration.fromBias(
                AB,
                new double[] {0.25, 0.75},
                ContextualCalibration.Form.SUBTRACTIVE,
                ContextualCalibration.Rule.NORMALISED);
    // the interface's documented default: 1 for every method but batch with another strength
    assertThat(sub.strength()).isEqualTo(1.0);
  }

  @Test
  void applyBatchNamesABadRowInTheSecondChunk() {
    int rows = io.calibra.internal.Parallel.CHUNK_ROWS + 10;
    double[] in = new double[rows * 2];
    for (int r = 0; r < rows; r++) {
      in[2 * r] = 0.25;
      in[2 * r + 1] = 0.75;
    }
    int bad = io.calibra.internal.Parallel.CHUNK_ROWS + 5;
    in[2 * bad] = 0.5; // row sums to 1.25
    double[] out = new double[rows * 2];
    Calibrator c = TemperatureScaling.of(AB, 2.0);
    assertThatThrownBy(() -> c.applyBatch(in, out, rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("row " + bad + ": ");
  }

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }
}
