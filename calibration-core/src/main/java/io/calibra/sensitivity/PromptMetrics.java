package io.calibra.sensitivity;

import io.calibra.metrics.CalibrationMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics reported per prompt and method (as {@link CalibrationMetrics}).
 *
 * @param accuracy the fraction of rows whose argmax is the gold label
 * @param macroF1 the mean per-class F1
 * @param ece the top-label ECE with equal-width bins
 * @param nll the mean negative log-likelihood of the gold label, {@code p_gold} clipped to {@code
 *     [1e-15, 1]}
 */
public record PromptMetrics(double accuracy, double macroF1, double ece, double nll) {
  /** The metric keys, in the order of {@link #byKey()}. */
  public static final List<String> KEYS = List.of("accuracy", "macro_f1", "ece", "nll");

  /** Checks that every value is finite. */
  public PromptMetrics {
    if (!Double.isFinite(accuracy)
        || !Double.isFinite(macroF1)
        || !Double.isFinite(ece)
        || !Double.isFinite(nll)) {
      throw new IllegalArgumentException(
          "prompt metrics "
              + accuracy
              + ", "
              + macroF1
              + ", "
              + ece
              + ", "
              + nll
              + "; expected finite");
    }
  }

  /** The four metrics of {@code m}. */
  public static PromptMetrics of(CalibrationMetrics m) {
    return new PromptMetrics(m.accuracy(), m.macroF1(), m.ece(), m.nll());
  }

  /** The values by {@link #KEYS}, in that order. */
  public Map<String, Double> byKey() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("accuracy", accuracy);
    out.put("macro_f1", macroF1);
    out.put("ece", ece);
    out.put("nll", nll);
    return out;
  }
}
