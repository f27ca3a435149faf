package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import java.util.List;

/**
 * Batch calibration (Zhou et al. 2024, "Batch Calibration: Rethinking Calibration for In-Context
 * Learning and Prompt Engineering", ICLR).
 *
 * <p>The label bias is the mean label distribution over an unlabelled batch of test inputs, {@code
 * p_bc = normalise(mean p)}, and a row is corrected to {@code q = normalise(p / p_bc)}, which is
 * {@code softmax(log p - log p_bc)}. {@link #online} gives the form whose estimate is updated as
 * predictions stream in.
 */
public final class BatchCalibration {
  private BatchCalibration() {}

  /**
   * The calibrator for the mean distribution of {@code batch}.
   *
   * @throws IllegalArgumentException if the batch is empty, mixes label sets, or its mean gives a
   *     label probability 0 (naming the label)
   */
  public static Calibrator fit(List<LabelDistribution> batch) {
    return new DiagonalBiasCorrection(
        CalibrationMethod.BATCH, BiasEstimates.mean(batch, "batch calibration"));
  }

  /**
   * The calibrator for a known bias (for example one loaded from a file).
   *
   * @throws IllegalArgumentException if the bias has a zero entry (naming the label)
   */
  public static Calibrator fromBias(LabelDistribution bias) {
    return new DiagonalBiasCorrection(CalibrationMethod.BATCH, bias);
  }

  /**
   * The calibrator for a known bias given as an array in label order, kept exactly (no
   * renormalisation), as when loading a saved calibrator.
   *
   * @throws IllegalArgumentException if an entry is NaN, zero, negative or over one, or the sum is
   *     not one within 1e-6, naming the label
   */
  public static Calibrator fromBias(io.calibra.label.LabelSet labels, double[] bias) {
    return new DiagonalBiasCorrection(CalibrationMethod.BATCH, labels, bias);
  }

  /**
   * An online batch calibrator over {@code labels} whose running estimate starts from {@code
   * priorStrength} uniform pseudo-observations (a positive value keeps the first rows from being
   * mapped to uniform by their own estimate; {@code 0} gives the plain running mean).
   *
   * @throws IllegalArgumentException if {@code priorStrength} is negative or not finite
   */
  public static OnlineBatchCalibration online(
      io.calibra.label.LabelSet labels, double priorStrength) {
    return new OnlineBatchCalibration(labels, priorStrength);
  }
}
