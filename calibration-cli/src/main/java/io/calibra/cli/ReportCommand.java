package io.calibra.cli;

import io.calibra.io.AtomicOutput;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code calibra report}: a reliability diagram (PNG, SVG) and an HTML page with the metrics. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Writes reliability.png, reliability.svg and index.html into --output.")
final class ReportCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin GoldScoresOptions options;

  @Option(
      names = "--output",
      required = true,
      description = "The folder to write into (created if missing).")
  Path output;

  @Option(names = "--title", description = "The page title (default: the input file's name).")
  String title;

  @Option(
      names = "--bootstrap",
      description =
          "Add percentile bootstrap intervals from this many resamples (reads every row into"
              + " memory).")
  Integer bootstrap;

  @Option(names = "--seed", description = "Seed of --bootstrap's resamples (default 0).")
  Long seed;

  @Option(
      names = "--confidence",
      description = "Confidence level of --bootstrap's intervals (default 0.95).")
  Double confidence;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new Main.UsageException("--output " + output + " exists and is not a folder");
    }
    try (CommandFiles files =
        CommandFiles.of(spec)
            .input("--input", options.input)
            .output("--output", output.resolve("reliability.png"))
            .output("--output", output.resolve("reliability.svg"))
            .output("--output", output.resolve("index.html"))
            .check()) {
      return report(files.path(options.input));
    }
  }

  private Integer report(Path input) {
    MetricsBootstrap.Settings resampling = MetricsBootstrap.settings(bootstrap, seed, confidence);
    ScoreFormat format = FitCommand.parseFormat(options.scores);
    CalibrationMetrics m = MetricsCommand.compute(input, format, options.bins());
    Map<String, Bootstrap.Interval> ci =
        resampling == null
            ? null
            : MetricsBootstrap.intervals(input, format, options.bins(), resampling);
    List<String> labels;
    try (ScoreFileReader reader = ScoreFileReader.open(input, format)) {
      labels = reader.labels().names();
    }
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output folder " + output + ": " + AtomicOutput.reason(e), e);
    }
    String name =
        title != null
            ? title
            : CommandFiles.isStandard(options.input)
                ? "standard input"
                : options.input.getFileName().toString();
    // each file is written atomically, the page that links the diagrams last
    ReliabilityDiagram.write(m, name, output, "reliability");
    HtmlReport.write(
        output.resolve("index.html"),
        "Calibration report: " + name,
        resampling == null
            ? null
            : String.format(
                java.util.Locale.ROOT,
                "Intervals: %.0f%% percentile bootstrap, %d resamples, seed %d.",
                100 * resampling.confidence(),
                resampling.resamples(),
                resampling.seed()),
        labels,
        List.of(new HtmlReport.Section(name, "reliability", m, null)),
        ci == null ? Map.of() : Map.of(name, ci));
    spec.commandLine().getErr().println("wrote " + output.resolve("index.html"));
    return Main.OK;
  }
}
