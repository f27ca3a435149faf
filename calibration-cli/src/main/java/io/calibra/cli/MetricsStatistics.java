package io.calibra.cli;

import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationStatistics;
import io.calibra.metrics.StatisticsAccumulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code calibra metrics --json}: the statistics of {@link CalibrationStatistics} under their keys
 * (debiased_ece, debiased_ece_equal_width, ace, smooth_ece, ks, spiegelhalter_z, spiegelhalter_p,
 * rsd, bias_score), {@code --bins} bins or ranges where they have them.
 */
final class MetricsStatistics {
  private MetricsStatistics() {}

  /** One statistic: its key and how to compute it. */
  private record Statistic(String key, Function<Inputs, Double> value) {}

  /** The data with its accumulator (shared by the mergeable statistics). */
  private record Inputs(LabelledSet data, int bins, StatisticsAccumulator acc) {}

  private static final List<Statistic> STATISTICS =
      List.of(
          new Statistic("debiased_ece", in -> CalibrationStatistics.debiasedEce(in.data, in.bins)),
          new Statistic("debiased_ece_equal_width", in -> in.acc.debiasedEce()),
          new Statistic(
              "ace", in -> CalibrationStatistics.adaptiveCalibrationError(in.data, in.bins)),
          new Statistic("smooth_ece", in -> CalibrationStatistics.smoothEce(in.data).value()),
          new Statistic("ks", in -> CalibrationStatistics.ksCalibrationError(in.data)),
          new Statistic("spiegelhalter_z", in -> in.acc.spiegelhalter().z()),
          new Statistic("spiegelhalter_p", in -> in.acc.spiegelhalter().pValue()),
          new Statistic("rsd", in -> in.acc.rsd()),
          new Statistic("bias_score", in -> in.acc.biasScore()));

  /** The keys, in output order. */
  static List<String> keys() {
    return STATISTICS.stream().map(Statistic::key).toList();
  }

  /**
   * Every statistic of {@code data}; one that is undefined on it (for example the Spiegelhalter
   * test when every confidence is 1/2 or 1, or the debiased ECE with more bins than rows) maps to
   * null, and {@code undefined} receives its key and the reason.
   */
  static Map<String, Double> values(
      LabelledSet data, int bins, java.util.function.BiConsumer<String, String> undefined) {
    Inputs in = new Inputs(data, bins, CalibrationStatistics.accumulate(data, bins));
    Map<String, Double> out = new LinkedHashMap<>();
    for (Statistic s : STATISTICS) {
      try {
        out.put(s.key, s.value.apply(in));
      } catch (IllegalStateException | IllegalArgumentException e) {
        out.put(s.key, null);
        undefined.accept(s.key, e.getMessage());
      }
    }
    return out;
  }

  /**
   * The statistics named by {@code keys} of {@code data} (a bootstrap resample).
   *
   * @throws IllegalStateException if one is undefined on it, naming the key and why
   */
  static Map<String, Double> strict(LabelledSet data, int bins, List<String> keys) {
    Inputs in = new Inputs(data, bins, CalibrationStatistics.accumulate(data, bins));
    Map<String, Double> out = new LinkedHashMap<>();
    for (Statistic s : STATISTICS) {
      if (keys.contains(s.key)) {
        try {
          out.put(s.key, s.value.apply(in));
        } catch (IllegalStateException | IllegalArgumentException e) {
          throw new IllegalStateException(
              "'" + s.key + "' is undefined on a bootstrap resample: " + e.getMessage(), e);
        }
      }
    }
    return out;
  }
}
