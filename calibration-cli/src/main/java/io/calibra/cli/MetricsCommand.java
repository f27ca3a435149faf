package io.calibra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.cli.options.BinsOption;
import io.calibra.cli.options.BootstrapOptions;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.ScoreInputOptions;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.MetricsAccumulator;
import io.calibra.metrics.StreamingEqualMassEce;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code calibra metrics}: accuracy and calibration metrics of a score file with gold labels. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the accuracy and calibration of a score file whose rows all have gold labels.",
      "Prints accuracy, macro_f1, ece, ece_equal_mass, mce, classwise_ece, brier and nll.",
      "With --statistics also debiased_ece, debiased_ece_equal_width, ace, smooth_ece, ks,"
          + " spiegelhalter_z, spiegelhalter_p, rsd and bias_score (null where undefined, with a"
          + " note on standard error); these read every row into memory, the metrics stream."
    })
final class MetricsCommand implements Callable<Integer> {
  @Mixin ScoreInputOptions options;

  @Option(
      names = "--json",
      order = HelpSections.OUTPUT,
      description =
          "Print a JSON object with the metric keys (the statistic keys with --statistics, and"
              + " \"ci\" with --bootstrap).")
  boolean json;

  @Option(
      names = "--statistics",
      order = HelpSections.METHOD,
      description =
          "Also compute the calibration statistics (debiased ECE, ACE, smooth ECE, KS,"
              + " Spiegelhalter, RSD, BiasScore); reads every row into memory.")
  boolean withStatistics;

  @Mixin BinsOption bins;

  @ArgGroup(exclusive = false)
  BootstrapOptions bootstrap;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The statistic {@code --bootstrap} gives no interval (null), for its cost. */
  static final String NOT_BOOTSTRAPPED = "smooth_ece";

  @Override
  public Integer call() throws Exception {
    MetricsBootstrap.Settings resampling = MetricsBootstrap.settings(bootstrap);
    CalibrationMetrics m;
    Map<String, Bootstrap.Interval> ci = null;
    Map<String, Double> statistics = null;
    try (CommandFiles files = CommandFiles.of(spec).input("--input", options.input()).check()) {
      // a non-seekable input (standard input, a FIFO) is read from a temporary copy: three passes
      ScoreFormat format = options.format();
      Path file = files.path(options.input());
      long[] nearZero = new long[1];
      m = compute(file, format, bins.bins(), nearZero);
      if (nearZero[0] > 0) {
        spec.commandLine()
            .getErr()
            .println(
                String.format(
                    java.util.Locale.ROOT,
                    "note: %d of %d rows give the gold label a probability below %s; nll clips"
                        + " p_gold at %s (as scikit-learn's log_loss), so each adds up to 34.5",
                    nearZero[0],
                    m.rows(),
                    io.calibra.metrics.Metrics.NEAR_ZERO,
                    io.calibra.metrics.Metrics.NLL_CLIP));
      }
      LabelledSet data =
          withStatistics || resampling != null ? MetricsBootstrap.rows(file, format) : null;
      if (withStatistics) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        statistics =
            MetricsStatistics.values(
                data,
                bins.bins(),
                (key, why) -> err.println("note: " + key + " is undefined (null): " + why));
        err.flush();
      }
      if (resampling != null) {
        // the statistics defined on the whole file get intervals too (in --json output), except
        // the smooth ECE: its bandwidth search costs about 0.5 s per resample of 1,821 rows, and
        // seconds on a resample that is perfectly calibrated
        java.io.PrintWriter err = spec.commandLine().getErr();
        List<String> withIntervals = new java.util.ArrayList<>();
        if (statistics != null) {
          statistics.forEach(
              (key, value) -> {
                if (value != null && !key.equals(NOT_BOOTSTRAPPED)) {
                  withIntervals.add(key);
                }
              });
          err.println(
              "note: "
                  + NOT_BOOTSTRAPPED
                  + " has no interval (null): not bootstrapped, for its cost (a bandwidth search"
                  + " per resample)");
        }
        Map<String, Bootstrap.Interval> intervals =
            MetricsBootstrap.intervals(
                file,
                data,
                bins.bins(),
                resampling,
                withIntervals,
                (key, why) -> err.println("note: " + key + " has no interval (null): " + why));
        err.flush();
        // every output key, in output order; null where there is no interval
        ci = new LinkedHashMap<>();
        for (Map.Entry<String, Bootstrap.Interval> e : intervals.entrySet()) {
          if (statistics == null || !statistics.containsKey(e.getKey())) {
            ci.put(e.getKey(), e.getValue());
          }
        }
        if (statistics != null) {
          for (String key : statistics.keySet()) {
            ci.put(key, intervals.get(key));
          }
        }
      }
    }
    Map<String, Double> values = keyed(m);
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>(values);
      if (statistics != null) {
        out.putAll(statistics);
      }
      if (ci != null) {
        out.put("ci", MetricsBootstrap.json(ci));
      }
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
    } else {
      for (Map.Entry<String, Double> e : values.entrySet()) { // the metrics only, as before
        Bootstrap.Interval i = ci == null ? null : ci.get(e.getKey());
        spec.commandLine()
            .getOut()
            .println(
                String.format(java.util.Locale.ROOT, "%-15s %.6f", e.getKey(), e.getValue())
                    + (i == null
                        ? ""
                        : String.format(
                            java.util.Locale.ROOT, "  [%.6f, %.6f]", i.lower(), i.upper())));
      }
      if (statistics != null) {
        statistics.forEach(
            (key, value) ->
                spec.commandLine()
                    .getOut()
                    .println(
                        value == null
                            ? String.format(java.util.Locale.ROOT, "%-15s null", key)
                            : String.format(java.util.Locale.ROOT, "%-15s %.6f", key, value)));
      }
      spec.commandLine().getOut().printf(java.util.Locale.ROOT, "%-15s %d%n", "rows", m.rows());
      if (resampling != null) {
        spec.commandLine()
            .getOut()
            .println(
                String.format(
                    java.util.Locale.ROOT,
                    "%.0f%% percentile bootstrap intervals, %d resamples, seed %d",
                    100 * resampling.confidence(),
                    resampling.resamples(),
                    resampling.seed()));
      }
    }
    return Main.OK;
  }

  /**
   * Streams the file three times, so that memory does not grow with its length: every metric but
   * the equal-mass ECE and a histogram of confidences on the first read, then the two remaining
   * passes of {@link StreamingEqualMassEce}.
   */
  static CalibrationMetrics compute(Path file, ScoreFormat format, int bins) {
    return compute(file, format, bins, new long[1]);
  }

  /**
   * {@link #compute(Path, ScoreFormat, int)}, counting into {@code nearZero[0]} the rows whose gold
   * label has probability below {@link io.calibra.metrics.Metrics#NEAR_ZERO}.
   */
  static CalibrationMetrics compute(Path file, ScoreFormat format, int bins, long[] nearZero) {
    StreamingEqualMassEce equalMass = new StreamingEqualMassEce(bins);
    CalibrationMetrics partial;
    try (ScoreFileReader reader = ScoreFileReader.open(file, format)) {
      if (!reader.hasGold()) {
        throw new DataFileException(file, 1, 0, "no gold column; metrics need gold labels");
      }
      MetricsAccumulator acc = new MetricsAccumulator(reader.labels(), bins, false);
      while (reader.hasNext()) {
        ScoreRow row = reader.next();
        if (!row.hasGold()) {
          throw new DataFileException(
              file, row.line(), 0, "row has no gold label; metrics need one per row");
        }
        acc.add(row.distribution(), row.gold());
        if (row.distribution().probability(row.gold()) < io.calibra.metrics.Metrics.NEAR_ZERO) {
          nearZero[0]++;
        }
        equalMass.count(row.distribution().confidence());
      }
      if (acc.rows() == 0) {
        throw new DataFileException(file, 2, 0, "no rows after the header");
      }
      ScoreRows.warnIfProbabilities(reader, file, format);
      partial = acc.result();
    }
    equalMass.endCountPass();
    try (ScoreFileReader reader = ScoreFileReader.open(file, format)) {
      reader.forEachRemaining(row -> equalMass.observe(row.distribution().confidence()));
    }
    equalMass.endObservePass();
    try (ScoreFileReader reader = ScoreFileReader.open(file, format)) {
      reader.forEachRemaining(
          row ->
              equalMass.assign(
                  row.distribution().confidence(), row.distribution().argmax() == row.gold()));
    }
    return partial.withEceEqualMass(equalMass.ece());
  }

  /** The eight metrics by their JSON keys, in a fixed order. */
  static Map<String, Double> keyed(CalibrationMetrics m) {
    return m.byKey();
  }
}
