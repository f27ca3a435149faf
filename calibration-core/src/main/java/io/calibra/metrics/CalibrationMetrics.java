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

  /**
   * The scalar metrics by the keys of {@code calibra metrics --json}, in that order: {@code
   * accuracy}, {@code macro_f1}, {@code ece}, {@code ece_equal_mass} (when computed), {@code mce},
   * {@code classwise_ece}, {@code brier}, {@code nll}.
   */
  public java.util.Map<String, Double> byKey() {
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    out.put("accuracy", accuracy);
    out.put("macro_f1", macroF1);
    out.put("ece", ece);
    eceEqualMass.ifPresent(v -> out.put("ece_equal_mass", v));
    out.put("mce", mce);
    out.put("classwise_ece", classwiseEce);
    out.put("brier", brier);
    out.put("nll", nll);
    return out;
  }

  /**
   * These metrics with the equal-mass ECE replaced by {@code value} (computed separately, for
   * example by {@link StreamingEqualMassEce} over rows read again).
   */
  public CalibrationMetrics withEceEqualMass(double value) {
    return new CalibrationMetrics(
        rows,
        accuracy,
        macroF1,
        ece,
        OptionalDouble.of(value),
        mce,
        classwiseEce,
        brier,
        nll,
        predictionCounts,
        reliability,
        labelBias);
  }
}
