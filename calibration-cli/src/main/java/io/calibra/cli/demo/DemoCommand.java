package io.calibra.cli.demo;

import io.calibra.backend.Scorer;
import io.calibra.cli.options.EmbeddedModel;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.OldNames;
import io.calibra.cli.output.Counts;
import io.calibra.cli.output.HtmlReport;
import io.calibra.cli.output.OutputFolder;
import io.calibra.io.AtomicOutput;
import io.calibra.label.LabelSet;
import io.calibra.metrics.Metrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code calibra demo}: classifiers built on the embedded MiniLM encoder, calibrated, measured and
 * reported. By default the headline: SST-2 zero-shot (label descriptions) and, when AG News is
 * given, AG News zero-shot with label descriptions and with label words, each raw, after contextual
 * calibration and after the automatic choice ({@link io.calibra.calibrate.MethodSelection} on dev).
 * With {@code --full}, also SST-2 few-shot (class prototypes), every method of the {@link
 * io.calibra.calibrate.CalibrationMethod} registry that applies to an encoder's scores, contextual
 * + temperature, bootstrap intervals, a diagram per method, and (unless {@code
 * --no-quantization-study}) the fp32 and int8 models side by side ({@link QuantizationStudy}). Each
 * text is embedded once per model ({@link SharedScoring}) and its scores reused by every setting on
 * it. The data come from {@link DemoInputs}: the options, else the folder {@code calibra.data}
 * names, else the built-in sample.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Calibrates zero-shot classifiers built on the embedded MiniLM model (SST-2 sentiment, AG"
          + " News topics): raw scores against contextual calibration and the automatic choice.",
      "Prints one table per setting and writes an HTML report with reliability diagrams.",
      "Data: the options below, else the project's shared data folder (./calibra passes"
          + " it), else a built-in sample of 48 SST-2 sentences."
    })
public final class DemoCommand implements Callable<Integer>, OldNames {
  /** The SST-2 labels, each described by a sentence for the zero-shot encoder. */
  public static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", "The movie was terrible.")
          .add("positive", "The movie was great.")
          .build();

  /**
   * AG News rows of the headline: 500 dev and 500 test rows keep the default demo's CPU time (the
   * encoder's, mostly) under 45 s on two cores.
   */
  static final int HEADLINE_AGNEWS_ROWS = 1000;

  /** AG News rows of the full study: 1000 dev and 1000 test rows. */
  static final int FULL_AGNEWS_ROWS = 2000;

  @Option(
      names = {"--sst2", "--data"},
      order = HelpSections.INPUT,
      converter = DemoOptionValues.Sst2Folder.class,
      paramLabel = "<folder>",
      description = "SST-2's train.txt, dev.txt and test.txt ('0 sentence' / '1 sentence' lines).")
  Path sst2;

  /** {@code --data} is the old name of {@code --sst2}. */
  @Override
  public Map<String, String> oldNames() {
    return Map.of("--data", "--sst2");
  }

  @Option(
      names = "--agnews",
      order = HelpSections.INPUT + 1,
      converter = DemoOptionValues.AgNewsFile.class,
      paramLabel = "<file>",
      description = "AG News test.csv (Class Index,Title,Description); adds the AG News settings.")
  Path agnews;

  @Option(
      names = "--agnews-rows",
      order = HelpSections.INPUT + 2,
      paramLabel = "<rows>",
      converter = DemoOptionValues.AgNewsRows.class,
      description =
          "AG News rows sampled (seeded; first half dev, rest test; 0: all) (default: "
              + HEADLINE_AGNEWS_ROWS
              + ", with --full "
              + FULL_AGNEWS_ROWS
              + ").")
  Integer agnewsRows;

  @Option(
      names = "--output",
      order = HelpSections.OUTPUT,
      paramLabel = "<folder>",
      defaultValue = "calibra-out/demo",
      description = "Where the report goes (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(
      names = "--model",
      order = HelpSections.MODEL,
      paramLabel = "<model>",
      defaultValue = "embedded-minilm",
      converter = DemoOptionValues.Model.class,
      completionCandidates = DemoOptionValues.ModelNames.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  EmbeddedModel model;

  @Option(
      names = "--full",
      order = HelpSections.METHOD,
      description =
          "SST-2 few-shot too, every registered method that applies, contextual + temperature,"
              + " 95%% bootstrap intervals, a diagram per method and the int8 against fp32 study.")
  boolean full;

  @Option(
      names = "--quantization-study",
      order = HelpSections.METHOD + 1,
      negatable = true,
      description = "Compare the int8 model with fp32, raw and calibrated (default: with --full).")
  Boolean quantizationStudy;

  @Option(
      names = "--shots",
      order = HelpSections.METHOD + 2,
      paramLabel = "<n>",
      defaultValue = "4",
      converter = DemoOptionValues.Shots.class,
      description = "Few-shot examples per label (default: ${DEFAULT-VALUE}).")
  int shots;

  @Option(
      names = "--seed",
      order = HelpSections.METHOD + 3,
      paramLabel = "<n>",
      defaultValue = "0",
      description =
          "Seed of few-shot examples, AG News rows and domain strings (default: ${DEFAULT-VALUE}).")
  long seed;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    PrintWriter out = spec.commandLine().getOut();
    int agRows = agnewsRows != null ? agnewsRows : full ? FULL_AGNEWS_ROWS : HEADLINE_AGNEWS_ROWS;
    boolean compare = quantizationStudy == null ? full : quantizationStudy;
    DemoInputs inputs = DemoInputs.resolve(sst2, agnews);
    DemoData sst2Data = inputs.sst2(out);
    QuantizationStudy.Task agTask = inputs.agNews(out, agRows, seed);
    OutputFolder.requireFolderOrMissing(output);
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output folder " + output + ": " + AtomicOutput.reason(e), e);
    }
    QuantizationStudy.Task zeroTask =
        new QuantizationStudy.Task(
            "SST-2 zero-shot", LABELS, sst2Data.dev(), sst2Data.test(), Map.of());
    QuantizationStudy.Task fewTask =
        new QuantizationStudy.Task(
            "SST-2 " + shots + "-shot",
            LABELS,
            sst2Data.dev(),
            sst2Data.test(),
            fewShotExamples(sst2Data.train()));
    // the few-shot classifier's scores come with the zero-shot ones (the same texts), but only
    // when something shows them
    List<QuantizationStudy.Task> sstTasks =
        full || compare ? List.of(zeroTask, fewTask) : List.of(zeroTask);
    // AG News twice: each topic described by a sentence, and by one label word (the words of
    // Zhao et al. 2021), so the page shows a case where contextual calibration helps and one
    // where it hurts on the same rows.
    List<QuantizationStudy.Task> agTasks =
        agTask == null
            ? List.of()
            : List.of(
                agTask,
                new QuantizationStudy.Task(
                    "AG News zero-shot, label words",
                    AgNews.LABEL_WORDS,
                    agTask.dev(),
                    agTask.test(),
                    Map.of()));
    SettingRun run = new SettingRun(full, seed, shots, output, out, spec.commandLine().getErr());
    List<DemoReport.Setting> settings = new ArrayList<>();
    List<QuantizationStudy.Scored> sstScored;
    List<QuantizationStudy.Scored> agScored;
    try (Scorer scorer = DemoModels.encoder(model)) {
      sstScored = SharedScoring.score(scorer, sstTasks, "SST-2");
      agScored = agTasks.isEmpty() ? List.of() : SharedScoring.score(scorer, agTasks, "AG News");
      settings.add(run.run("zero-shot", zeroTask.name(), scorer, zeroTask, sstScored.get(0)));
      if (full) {
        settings.add(run.run(shots + "-shot", fewTask.name(), scorer, fewTask, sstScored.get(1)));
      }
      if (!agTasks.isEmpty()) {
        settings.add(
            run.run(
                "agnews-descriptions",
                "AG News zero-shot, label descriptions",
                scorer,
                agTasks.get(0),
                agScored.get(0)));
        settings.add(
            run.run(
                "agnews-words", agTasks.get(1).name(), scorer, agTasks.get(1), agScored.get(1)));
      }
    }
    if (agTask == null) {
      out.println("(no AG News data: give --agnews <file>, AG News's test.csv, to add it)");
    }
    List<HtmlReport.Table> tables = new ArrayList<>();
    if (compare) {
      // the study compares the AG News label descriptions only
      List<List<QuantizationStudy.Task>> groups = new ArrayList<>(List.of(sstTasks));
      List<QuantizationStudy.Scored> known = new ArrayList<>(sstScored);
      if (!agTasks.isEmpty()) {
        groups.add(agTasks.subList(0, 1));
        known.add(agScored.get(0));
      }
      tables.addAll(QuantizationStudy.compare(out, model, groups, known, seed));
    }
    Path index = output.resolve("index.html");
    writeReport(index, settings, tables);
    printClosing(out);
    out.printf(Locale.ROOT, "finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    out.printf(Locale.ROOT, "report: %s%n", index.toAbsolutePath().normalize());
    return CommandLine.ExitCode.OK;
  }

  private void writeReport(
      Path index, List<DemoReport.Setting> settings, List<HtmlReport.Table> tables) {
    DemoReport.write(
        index,
        "calibra demo: calibrating all-MiniLM-L6-v2 classifiers",
        "Each setting leads with the raw scores against contextual calibration (Zhao et al. 2021:"
            + " the bias shown by the content-free inputs N/A, \"\" and [MASK], divided out) and"
            + " against auto (the method 5-fold cross-validation on the dev rows picks, refitted on"
            + " all of them), measured on the test rows. "
            + (full
                ? "Below each: every registered method that applies to an encoder's scores."
                : "./calibra demo --full adds SST-2 few-shot, every registered method, bootstrap"
                    + " intervals and the int8 against fp32 study, on "
                    + FULL_AGNEWS_ROWS
                    + " AG News rows."),
        settings,
        tables,
        full
            ? String.format(
                Locale.ROOT,
                "Intervals: 95%% percentile bootstrap, %d resamples of the test rows, seed %d.",
                SettingRun.BOOTSTRAP_RESAMPLES,
                seed)
            : null);
  }

  private void printClosing(PrintWriter out) {
    if (full) {
      out.printf(
          Locale.ROOT,
          "%nthe report shows 95%% percentile bootstrap intervals of accuracy and ECE (%d resamples"
              + " of the test rows, seed %d)%n",
          SettingRun.BOOTSTRAP_RESAMPLES,
          seed);
    } else {
      out.printf(
          Locale.ROOT,
          "%nthe headline only; --full adds SST-2 %d-shot, every registered method, bootstrap"
              + " intervals and the int8 against fp32 study (and samples %d AG News rows, not"
              + " %d)%n",
          shots,
          FULL_AGNEWS_ROWS,
          HEADLINE_AGNEWS_ROWS);
    }
  }

  /** {@code --shots} seeded training examples of each label. */
  private Map<String, List<String>> fewShotExamples(DemoData.Split train) {
    Random random = new Random(seed);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int label = 0; label < 2; label++) {
      List<String> pool = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        if (train.gold()[i] == label) {
          pool.add(train.texts().get(i));
        }
      }
      Collections.shuffle(pool, random);
      out.put(LABELS.name(label), new ArrayList<>(pool.subList(0, Math.min(shots, pool.size()))));
    }
    return out;
  }

  /** The labels' first three letters, joined by {@code |}: {@code neg|pos}. */
  static String abbreviations(LabelSet labels) {
    List<String> out = new ArrayList<>();
    for (String name : labels.names()) {
      out.add(name.substring(0, Math.min(3, name.length())));
    }
    return String.join("|", out);
  }

  /**
   * The mark of a method that gave {@code nearZero} test rows' gold label a probability below
   * {@link Metrics#NEAR_ZERO} (such as prototypical calibration, whose posteriors underflow), or ""
   * for none: its NLL is then dominated by those rows, each clipped at {@link Metrics#NLL_CLIP}.
   *
   * @param nearZero the number of such rows
   * @return the mark printed after the method's row
   */
  public static String nearZeroMark(long nearZero) {
    return nearZero == 0
        ? ""
        : String.format(
            Locale.ROOT, "  ! p_gold < %s on %s", Metrics.NEAR_ZERO, Counts.of(nearZero, "row"));
  }

  /** What the mark means, printed under a table that has one. */
  public static final String NEAR_ZERO_NOTE =
      "(!: the method gave the gold label a probability below "
          + Metrics.NEAR_ZERO
          + " on that many test rows, certainties the data contradict; NLL clips p_gold at "
          + Metrics.NLL_CLIP
          + ", so each such row adds up to 34.5)";
}
