package io.calibra.cli;

import io.calibra.cli.options.BinsOption;
import io.calibra.cli.options.BootstrapOptions;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.OptionRules;
import io.calibra.cli.options.OptionValues;
import io.calibra.cli.output.HtmlReport;
import io.calibra.cli.output.OutputFolder;
import io.calibra.cli.output.OutputGroup;
import io.calibra.cli.output.ReliabilityDiagram;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code calibra report}: the reliability diagrams of one or more score files, each with the
 * histogram of its bin counts under it, on one page (PNG, SVG), and an HTML page with their
 * metrics.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Draws the reliability diagrams of one or more score files on one page and writes their"
          + " metrics as HTML.",
      "Each diagram has the histogram of its bins' row counts under it. Writes reliability.png,",
      "reliability.svg and index.html into --output. Give --input several times to compare files",
      "(such as raw and calibrated scores) side by side, with --name for each."
    })
final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description =
          "A score file whose rows all have gold (- for standard input); repeat it to draw several"
              + " files on one page, in order.")
  List<Path> inputs;

  @Option(
      names = "--scores",
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<format>",
      converter = OptionValues.Format.class,
      completionCandidates = OptionValues.FormatNames.class,
      description =
          "What the numbers are: ${COMPLETION-CANDIDATES}; once for every --input, or once per"
              + " --input in order.")
  List<ScoreFormat> scores;

  @Option(
      names = "--name",
      order = HelpSections.INPUT,
      paramLabel = "<name>",
      description =
          "The name of an --input on the page, one per --input in order (default: each file's"
              + " name).")
  List<String> names;

  @Option(
      names = "--output",
      required = true,
      order = HelpSections.OUTPUT,
      paramLabel = "<folder>",
      description = "The folder to write into (created if missing).")
  Path output;

  @Option(
      names = "--title",
      order = HelpSections.OUTPUT,
      paramLabel = "<text>",
      description = "The page title (default: the inputs' names, comma-separated).")
  String title;

  @Mixin BinsOption binsOption;

  @ArgGroup(exclusive = false)
  BootstrapOptions bootstrap;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    OutputFolder.requireFolderOrMissing(output);
    OptionRules.of(spec)
        .require(
            scores.size() == 1 || scores.size() == inputs.size(),
            "give one --scores for every --input, or one per --input in the same order; found "
                + inputs.size()
                + " --input and "
                + scores.size()
                + " --scores")
        .require(
            names == null || names.size() == inputs.size(),
            "give one --name per --input, in the same order; found "
                + inputs.size()
                + " --input and "
                + (names == null ? 0 : names.size())
                + " --name")
        .require(
            names == null || names.stream().noneMatch(String::isBlank),
            "--name is empty; give each --input a visible name")
        .check();
    List<String> shown = names();
    CommandFiles declared = CommandFiles.of(spec);
    for (Path in : inputs) {
      declared.input("--input", in);
    }
    try (CommandFiles files =
        declared
            .output("--output", output.resolve("reliability.png"))
            .output("--output", output.resolve("reliability.svg"))
            .output("--output", output.resolve("index.html"))
            .check()) {
      return report(files, shown);
    }
  }

  /**
   * The name of each input: {@code --name}, or the file's name (its path as given when two files
   * share a name).
   *
   * @throws Main.UsageException if the {@code --name} count is not the {@code --input} count, or
   *     two inputs would have the same name
   */
  private List<String> names() {
    List<String> shown = new ArrayList<>();
    if (names != null) {
      shown.addAll(names);
    } else {
      List<String> fileNames = new ArrayList<>();
      for (Path in : inputs) {
        fileNames.add(
            CommandFiles.isStandard(in)
                ? "standard input"
                : in.getFileName() == null ? in.toString() : in.getFileName().toString());
      }
      for (int i = 0; i < inputs.size(); i++) {
        String n = fileNames.get(i);
        boolean shared = fileNames.indexOf(n) != fileNames.lastIndexOf(n);
        shown.add(shared ? inputs.get(i).toString() : n);
      }
    }
    String twice =
        shown.stream().filter(n -> shown.indexOf(n) != shown.lastIndexOf(n)).findFirst().orElse("");
    OptionRules.of(spec)
        .require(
            twice.isEmpty(),
            "two inputs are both named '"
                + twice
                + "'; give each --input its own --name (one per --input, in order)")
        .check();
    return shown;
  }

  private Integer report(CommandFiles files, List<String> shown) {
    MetricsBootstrap.Settings resampling = MetricsBootstrap.settings(bootstrap);
    List<String> labels = null;
    Path first = null;
    List<HtmlReport.Section> sections = new ArrayList<>();
    List<ReliabilityDiagram.Panel> panels = new ArrayList<>();
    Map<String, Map<String, Bootstrap.Interval>> intervals = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      Path given = inputs.get(i);
      Path input = files.path(given);
      ScoreFormat format = scores.get(scores.size() == 1 ? 0 : i);
      List<String> these;
      try (ScoreFileReader reader = ScoreFileReader.open(input, format)) {
        these = reader.labels().names();
      }
      if (labels == null) {
        labels = these;
        first = given;
      } else if (!labels.equals(these)) {
        throw new DataFileException(
            input,
            1,
            0,
            "has the labels "
                + these
                + "; expected the labels of the first --input "
                + first
                + ", "
                + labels
                + " (the inputs of one report must have the same labels, in the same order)");
      }
      CalibrationMetrics m = MetricsCommand.compute(input, format, binsOption.bins());
      String name = shown.get(i);
      sections.add(new HtmlReport.Section(name, null, m, null));
      panels.add(new ReliabilityDiagram.Panel(name, m));
      if (resampling != null) {
        intervals.put(
            name, MetricsBootstrap.intervals(input, format, binsOption.bins(), resampling));
      }
    }
    String pageTitle = title != null ? title : String.join(", ", shown);
    int columns = Math.min(ReliabilityDiagram.COLUMNS, panels.size());
    int rows = (panels.size() + ReliabilityDiagram.COLUMNS - 1) / ReliabilityDiagram.COLUMNS;
    byte[] page =
        HtmlReport.page(
            "Calibration report: " + pageTitle,
            resampling == null
                ? null
                : String.format(
                    java.util.Locale.ROOT,
                    "Intervals: %.0f%% percentile bootstrap, %d resamples, seed %d.",
                    100 * resampling.confidence(),
                    resampling.resamples(),
                    resampling.seed()),
            labels,
            sections,
            intervals,
            List.of(),
            List.of(
                new HtmlReport.Figure(
                    "reliability",
                    "reliability diagrams with bin-count histograms: " + String.join(", ", shown),
                    String.join(" | ", shown),
                    columns * ReliabilityDiagram.WIDTH,
                    rows * ReliabilityDiagram.PANEL_HEIGHT)));
    // the three files are replaced together or not at all; the page that links the diagrams last
    Map<Path, byte[]> written = new LinkedHashMap<>();
    ReliabilityDiagram.page(panels, "reliability")
        .forEach((name, bytes) -> written.put(output.resolve(name), bytes));
    written.put(output.resolve("index.html"), page);
    OutputGroup.intoFolder(output, () -> OutputGroup.write(written));
    spec.commandLine().getErr().println("wrote " + output.resolve("index.html"));
    return Main.OK;
  }
}
