package io.calibra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.MetricsAccumulator;
import io.calibra.metrics.StreamingEqualMassEce;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code calibra metrics}: accuracy and calibration metrics of a score file with gold labels. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the accuracy and calibration of a score file whose rows have gold labels.",
      "Prints accuracy, macro_f1, ece, ece_equal_mass, mce, classwise_ece, brier and nll."
    })
final class MetricsCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin GoldScoresOptions options;

  @Option(
      names = "--json",
      description = "Print a JSON object with the metric keys (and \"ci\" with --bootstrap).")
  boolean json;

  @Option(
      names = "--bootstrap",
      description =
          "Percentile bootstrap intervals from this many resamples (reads every row into memory).")
  Integer bootstrap;

  @Option(names = "--seed", description = "Seed of --bootstrap's resamples (default 0).")
  Long seed;

  @Option(
      names = "--confidence",
      description = "Confidence level of --bootstrap's intervals (default 0.95).")
  Double confidence;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    MetricsBootstrap.Settings resampling = MetricsBootstrap.settings(bootstrap, seed, confidence);
    CalibrationMetrics m;
    Map<String, Bootstrap.Interval> ci = null;
    try (CommandFiles files = CommandFiles.of(spec).input("--input", options.input).check()) {
      // a non-seekable input (standard input, a FIFO) is read from a temporary copy: three passes
      ScoreFormat format = FitCommand.parseFormat(options.scores);
      m = compute(files.path(options.input), format, options.bins());
      if (resampling != null) {
        ci =
            MetricsBootstrap.intervals(
                files.path(options.input), format, options.bins(), resampling);
      }
    }
    Map<String, Double> values = keyed(m);
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>(values);
      if (ci != null) {
        out.put("ci", MetricsBootstrap.json(ci));
      }
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
    } else {
      for (Map.Entry<String, Double> e : values.entrySet()) {
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
      spec.commandLine().getOut().printf("%-15s %d%n", "rows", m.rows());
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
