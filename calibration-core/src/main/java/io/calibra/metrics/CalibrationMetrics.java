package io.calibra.metrics;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The metrics of a set of predictions, as defined in {@link io.calibra.metrics}. Every value is
 * finite; the equal-mass ECE is absent when it was not computed.
 *
 * @param rows the number of rows
 * @param accuracy fraction of rows whose argmax is the gold label
 * @param macroF1 mean per-class F1
 * @param ece top-label ECE with equal-width bins
 * @param eceEqualMass top-label ECE with equal-mass bins; empty when not computed (a {@link
 *     MetricsAccumulator} built without equal-mass tracking), never a placeholder 0
 * @param mce largest bin gap over non-empty equal-width bins
 * @param classwiseEce mean over classes of the equal-width ECE of {@code p_k} against {@code gold
 *     == k}
 * @param brier mean over rows of {@code sum_k (p_k - 1[gold == k])^2}
 * @param nll {@code -mean log(clip(p_gold, 1e-15, 1))}
 * @param predictionCounts how many rows predict each label, in label order
 * @param reliability the non-empty equal-width bins of top-label confidence
 * @param labelBias how far the mean predicted distribution is from uniform
 */
public record CalibrationMetrics(
    long rows,
    double accuracy,
    double macroF1,
    double ece,
    OptionalDouble eceEqualMass,
    double mce,
    double classwiseEce,
    double brier,
    double nll,
    List<Long> predictionCounts,
    List<ReliabilityBin> reliability,
    LabelBias labelBias) {

  /** Copies the lists. */
  public CalibrationMetrics {
    java.util.Objects.requireNonNull(eceEqualMass, "eceEqualMass");
    predictionCounts = List.copyOf(predictionCounts);
    reliability = List.copyOf(reliability);
  }
}
