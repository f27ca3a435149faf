package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import java.util.List;

/**
 * Batch calibration (Zhou et al. 2024, "Batch Calibration: Rethinking Calibration for In-Context
 * Learning and Prompt Engineering", ICLR).
 *
 * <p>The label bias is the mean label distribution over an unlabelled batch of test inputs, {@code
 * p_bc = normalise(mean p)}, and a row is corrected to {@code q = normalise(p / p_bc)}, which is
 * {@code softmax(log p - log p_bc)}. {@link #online} gives the form whose estimate is updated as
 * predictions stream in.
 *
 * <p>With a strength gamma the correction is {@code log q = log p - gamma log p_bc} up to
 * normalisation ({@code q = normalise(p / p_bc^gamma)}): gamma = 1 is the correction above
 * (bit-identical), 0 leaves rows unchanged. {@link #fit(List, LabelledSet)} chooses gamma from
 * {@link #STRENGTH_GRID} by the NLL of labelled rows.
 */
public final class BatchCalibration {

  /** Batch calibration's fitting: on the unlabelled rows it calibrates, with a strength gamma. */
  static final MethodFit.UnlabelledRows FIT =
      new MethodFit.UnlabelledRows(
          CalibrationMethod.BATCH,
          (rows, options) ->
              options.strength().isPresent()
                  ? fit(rows, options.strength().getAsDouble())
                  : fit(rows));

  /**
   * Its saved stage: {@code bias}, and {@code strength} (one value, gamma) when it is not 1 (a
   * stage without it has gamma = 1).
   */
  static final StageFormat FORMAT =
      new StageFormat(
          (labels, p) ->
              p.optional("strength").isEmpty()
                  ? fromBias(labels, p.required("bias"))
                  : fromBias(labels, p.required("bias"), p.single("strength", "strengths")),
          "bias",
          "strength");

  /** The strengths {@link #fit(List, LabelledSet)} tries: 0, 0.05, ..., 2 (41 values). */
  public static final List<Double> STRENGTH_GRID =
      java.util.stream.IntStream.rangeClosed(0, 40).mapToObj(i -> i / 20.0).toList();

  private BatchCalibration() {}

  /**
   * The calibrator for the mean distribution of {@code batch} with strength {@code strength}.
   *
   * @throws IllegalArgumentException as {@link #fit(List)}, or if {@code strength} is negative, NaN
   *     or above {@link Calibrator#MAX_PARAMETER_MAGNITUDE}
   */
  public static Calibrator fit(List<LabelDistribution> batch, double strength) {
    LabelDistribution bias = BiasEstimates.mean(batch, "batch calibration");
    return new DiagonalBiasCorrection(bias.labels(), bias.toArray(), strength);
  }

  /**
   * The calibrator for the mean distribution of {@code batch}, with the strength from {@link
   * #STRENGTH_GRID} whose calibrated {@code labelled} rows have the lowest NLL, summed over the
   * rows (the order of their mean NLL without its last rounding; the smallest such strength on
   * exact ties). The labelled rows are only scored, never added to the bias estimate.
   *
   * @throws IllegalArgumentException as {@link #fit(List)}, if {@code labelled} is empty, or its
   *     label set is not the batch's
   */
  public static Calibrator fit(List<LabelDistribution> batch, LabelledSet labelled) {
    java.util.Objects.requireNonNull(labelled, "labelled");
    LabelDistribution bias = BiasEstimates.mean(batch, "batch calibration");
    bias.labels().requireSame(labelled.labels(), "batch calibration labelled rows");
    if (labelled.size() == 0) {
      throw new IllegalArgumentException(
          "batch calibration strength needs labelled rows to choose it; found none");
    }
    Calibrator best = null;
    double bestNll = Double.POSITIVE_INFINITY;
    for (double gamma : STRENGTH_GRID) {
      Calibrator c = new DiagonalBiasCorrection(bias.labels(), bias.toArray(), gamma);
      // The total NLL: the same rows for every strength, so it orders them as their mean does.
      double nll = 0;
      for (int i = 0; i < labelled.size(); i++) {
        nll -= Math.log(c.apply(labelled.distribution(i)).probability(labelled.gold(i)));
      }
      if (best == null || nll < bestNll) {
        best = c;
        bestNll = nll;
      }
    }
    return best;
  }

  /**
   * The calibrator for a known bias given as an array in label order, kept exactly, with strength
   * {@code strength} (as when loading a saved calibrator).
   *
   * @throws IllegalArgumentException as {@link #fromBias(io.calibra.label.LabelSet, double[])}, or
   *     if {@code strength} is negative, NaN or above {@link Calibrator#MAX_PARAMETER_MAGNITUDE}
   */
  public static Calibrator fromBias(
      io.calibra.label.LabelSet labels, double[] bias, double strength) {
    return new DiagonalBiasCorrection(labels, bias, strength);
  }

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
