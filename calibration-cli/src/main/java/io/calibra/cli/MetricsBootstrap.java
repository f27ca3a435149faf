package io.calibra.cli;

import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.Metrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code calibra metrics --bootstrap}: percentile intervals for every metric key of the output. */
final class MetricsBootstrap {
  private MetricsBootstrap() {}

  /** The checked options. */
  record Settings(int resamples, long seed, double confidence) {}

  /** The settings of {@code options}, or null without {@code --bootstrap}. */
  static Settings settings(io.calibra.cli.options.BootstrapOptions options) {
    return options == null
        ? null
        : new Settings(options.resamples(), options.seed(), options.confidence());
  }

  /** Every row of {@code file} with its gold label (checked to be present by the first pass). */
  static LabelledSet rows(Path file, ScoreFormat format) {
    ScoreRows rows = ScoreRows.read(file, format, null);
    List<ScoreRow> all = rows.rows();
    int[] gold = new int[all.size()];
    for (int i = 0; i < gold.length; i++) {
      gold[i] = all.get(i).gold(); // every row has gold: checked by the first pass
    }
    return LabelledSet.of(rows.distributions(), gold);
  }

  /** Intervals for every key of {@link MetricsCommand#keyed}, over the rows of {@code file}. */
  static Map<String, Bootstrap.Interval> intervals(
      Path file, ScoreFormat format, int bins, Settings settings) {
    return intervals(file, rows(file, format), bins, settings, List.of(), (key, why) -> {});
  }

  /**
   * Intervals for every key of {@link MetricsCommand#keyed}, then for each statistic named by
   * {@code statistics} (see {@link MetricsStatistics}), over the rows {@code data} of {@code file}.
   * A statistic undefined on some resample gets a null interval, and {@code undefined} its key and
   * why.
   */
  static Map<String, Bootstrap.Interval> intervals(
      Path file,
      LabelledSet data,
      int bins,
      Settings settings,
      List<String> statistics,
      java.util.function.BiConsumer<String, String> undefined) {
    Map<String, Bootstrap.Interval> out = new LinkedHashMap<>();
    try {
      out.putAll(
          Bootstrap.percentileIntervals(
              data,
              d -> MetricsCommand.keyed(Metrics.evaluate(d, bins)),
              settings.resamples(),
              settings.seed(),
              settings.confidence()));
    } catch (IllegalStateException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
    for (String key : statistics) {
      // one bootstrap per statistic (the same resamples: they depend on the seed only), so that
      // one undefined on a resample loses its own interval only
      try {
        out.putAll(
            Bootstrap.percentileIntervals(
                data,
                d -> MetricsStatistics.strict(d, bins, List.of(key)),
                settings.resamples(),
                settings.seed(),
                settings.confidence()));
      } catch (IllegalStateException e) {
        out.put(key, null);
        undefined.accept(key, message(e));
      }
    }
    return out;
  }

  /**
   * The message of {@code e} without the wrappers the fork-join pool adds when it rethrows an
   * exception of another thread (whose message is the cause's {@code toString()}).
   */
  static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && String.valueOf(t.getMessage()).equals(t.getCause().toString())) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** The intervals as JSON-ready {@code key -> [lower, upper]}. */
  static Map<String, double[]> json(Map<String, Bootstrap.Interval> ci) {
    Map<String, double[]> out = new LinkedHashMap<>();
    ci.forEach((k, v) -> out.put(k, v == null ? null : new double[] {v.lower(), v.upper()}));
    return out;
  }
}
