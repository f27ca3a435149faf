package io.calibra.cli;

import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.metrics.CalibrationMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @Override
  public Integer call() {
    ScoreFormat format = FitCommand.parseFormat(options.scores);
    CalibrationMetrics m = MetricsCommand.compute(options.input, format, options.bins());
    List<String> labels;
    try (ScoreFileReader reader = ScoreFileReader.open(options.input, format)) {
      labels = reader.labels().names();
    }
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output folder " + output + ": " + e.getMessage(), e);
    }
    String name = title == null ? options.input.getFileName().toString() : title;
    ReliabilityDiagram.write(m, name, output, "reliability");
    HtmlReport.write(
        output.resolve("index.html"),
        "Calibration report: " + name,
        null,
        labels,
        List.of(new HtmlReport.Section(name, "reliability", m, null)));
    System.err.println("wrote " + output.resolve("index.html"));
    return Main.OK;
  }
}
