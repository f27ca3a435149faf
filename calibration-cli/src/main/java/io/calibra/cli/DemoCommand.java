package io.calibra.cli;

import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.DomainContextCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.DevComparison;
import io.calibra.metrics.Metrics;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code calibra demo}: classifiers built on the embedded MiniLM encoder, calibrated, measured and
 * reported. By default the headline: SST-2 zero-shot (label descriptions) and, when its test.csv is
 * found, AG News zero-shot with label descriptions and with label words, each raw, after contextual
 * calibration and after the automatic choice ({@link io.calibra.calibrate.MethodSelection} on dev).
 * With {@code --full}, also SST-2 few-shot (class prototypes), every method of the {@link
 * CalibrationMethod} registry that applies to an encoder's scores, contextual + temperature,
 * bootstrap intervals, a diagram per method, and (unless {@code --no-quantization-study}) the fp32
 * and int8 models side by side ({@link QuantizationStudy}). Each text is embedded once per model
 * ({@link SharedScoring}) and its scores reused by every setting on it.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Calibrates zero-shot classifiers built on the embedded MiniLM model, SST-2 sentiment and AG"
          + " News topics, comparing raw scores with contextual calibration and the automatic choice.",
      "AG News with label descriptions and with label words, when its test.csv is found.",
      "Prints one table per setting and writes an HTML report with reliability diagrams.",
      "--full adds SST-2 few-shot, every registered method that applies, bootstrap intervals and"
          + " the int8 against fp32 study."
    })
final class DemoCommand implements Callable<Integer> {
  static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", "The movie was terrible.")
          .add("positive", "The movie was great.")
          .build();

  @Option(
      names = "--data",
      description =
          "A folder with SST-2's train.txt, dev.txt and test.txt (default: ../shared/data/sst2 when it exists).")
  Path data;

  @Option(
      names = "--output",
      defaultValue = "calibra-out/demo",
      description = "Where the report goes (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(
      names = "--model",
      defaultValue = "embedded-minilm",
      description = "embedded-minilm or embedded-minilm-int8 (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--shots",
      defaultValue = "4",
      description = "Few-shot examples per label (default: ${DEFAULT-VALUE}).")
  int shots;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description =
          "Seed for few-shot examples and domain-context strings (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--full",
      description =
          "The full study: SST-2 few-shot too, every registered method that applies, contextual +"
              + " temperature, 95%% bootstrap intervals, a diagram per method, and the int8 against"
              + " fp32 study (default: the headline, raw against contextual against auto).")
  boolean full;

  @Option(
      names = "--quantization-study",
      negatable = true,
      description =
          "Compare the int8 model with fp32: SST-2 zero- and few-shot, and AG News zero-shot"
              + " when its test.csv is found; accuracy, ECE, NLL and p_cf, raw and after"
              + " contextual, temperature and auto calibration (default: with --full;"
              + " --no-quantization-study skips it).")
  Boolean quantizationStudy;

  @Option(
      names = "--agnews",
      description =
          "AG News test.csv for the AG News section and the quantisation study (default:"
              + " ../shared/data/agnews/test.csv when it exists; without it both leave AG News out).")
  Path agnews;

  @Option(
      names = "--agnews-rows",
      description =
          "AG News rows sampled (seeded by --seed; the first half is dev, the rest test; 0: all)"
              + " (default: "
              + HEADLINE_AGNEWS_ROWS
              + ", with --full "
              + FULL_AGNEWS_ROWS
              + ").")
  Integer agnewsRows;

  /**
   * AG News rows of the headline: 500 dev and 500 test rows keep the default demo's CPU time (the
   * encoder's, mostly) under 45 s on two cores.
   */
  static final int HEADLINE_AGNEWS_ROWS = 1000;

  /** AG News rows of the full study: 1000 dev and 1000 test rows. */
  static final int FULL_AGNEWS_ROWS = 2000;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** One method's name, role, file name and how to fit it (a null calibrator: raw). */
  private record Method(String name, DemoReport.Role role, String file, Supplier<Calibrator> fit) {}

  /** Colours of raw, contextual and auto in the overlaid diagram (Okabe and Ito's palette). */
  private static final Map<DemoReport.Role, Color> COLOURS =
      Map.of(
          DemoReport.Role.RAW, new Color(0x555555),
          DemoReport.Role.CONTEXTUAL, new Color(0xe69f00),
          DemoReport.Role.AUTO, new Color(0x0072b2));

  @Override
  public Integer call() {
    long start = System.nanoTime();
    PrintWriter out = spec.commandLine().getOut();
    DemoData demo = loadData(out);
    ModelSource source =
        switch (model) {
          case "embedded-minilm" -> ModelSource.embeddedMiniLm();
          case "embedded-minilm-int8" -> ModelSource.embeddedMiniLmInt8();
          default ->
              throw new Main.UsageException(
                  "--model "
                      + model
                      + " is unknown; expected embedded-minilm or embedded-minilm-int8");
        };
    if (shots < 1) {
      throw new Main.UsageException("--shots is " + shots + "; expected at least 1");
    }
    int agRows = agnewsRows != null ? agnewsRows : full ? FULL_AGNEWS_ROWS : HEADLINE_AGNEWS_ROWS;
    if (agRows < 0 || agRows == 1 || agRows == 2 || agRows == 3) {
      throw new Main.UsageException(
          "--agnews-rows is " + agRows + "; expected 0 (all) or at least 4");
    }
    boolean study = quantizationStudy == null ? full : quantizationStudy;
    QuantizationStudy.Task agTask = agNewsTask(out, agRows);
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new Main.UsageException("--output " + output + " exists and is not a folder");
    }
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output folder " + output + ": " + io.calibra.io.AtomicOutput.reason(e),
          e);
    }
    Map<String, List<String>> fewShot = fewShotExamples(demo.train());
    QuantizationStudy.Task zeroTask =
        new QuantizationStudy.Task("SST-2 zero-shot", LABELS, demo.dev(), demo.test(), Map.of());
    QuantizationStudy.Task fewTask =
        new QuantizationStudy.Task(
            "SST-2 " + shots + "-shot", LABELS, demo.dev(), demo.test(), fewShot);
    // the few-shot classifier's scores come with the zero-shot ones (the same texts), but only
    // when something shows them
    List<QuantizationStudy.Task> sstTasks =
        full || study ? List.of(zeroTask, fewTask) : List.of(zeroTask);
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
    List<DemoReport.Setting> settings = new ArrayList<>();
    List<QuantizationStudy.Scored> sstScored;
    List<QuantizationStudy.Scored> agScored;
    try (Scorer scorer = encoder(source)) {
      sstScored = SharedScoring.score(scorer, sstTasks, "SST-2");
      agScored = agTasks.isEmpty() ? List.of() : SharedScoring.score(scorer, agTasks, "AG News");
      settings.add(
          runSetting("zero-shot", zeroTask.name(), scorer, zeroTask, out, sstScored.get(0)));
      if (full) {
        settings.add(
            runSetting(shots + "-shot", fewTask.name(), scorer, fewTask, out, sstScored.get(1)));
      }
      if (!agTasks.isEmpty()) {
        settings.add(
            runSetting(
                "agnews-descriptions",
                "AG News zero-shot, label descriptions",
                scorer,
                agTasks.get(0),
                out,
                agScored.get(0)));
        settings.add(
            runSetting(
                "agnews-words",
                agTasks.get(1).name(),
                scorer,
                agTasks.get(1),
                out,
                agScored.get(1)));
      }
    }
    if (agTask == null) {
      out.println(
          "(AG News not found at ../shared/data/agnews/test.csv; give --agnews FILE to add it)");
    }
    List<HtmlReport.Table> tables = new ArrayList<>();
    if (study) {
      tables.addAll(quantizationStudy(out, sstTasks, sstScored, agTasks, agScored));
    }
    Path index = output.resolve("index.html");
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
                BOOTSTRAP_RESAMPLES,
                seed)
            : null);
    if (full) {
      out.printf(
          Locale.ROOT,
          "%nthe report shows 95%% percentile bootstrap intervals of accuracy and ECE (%d resamples"
              + " of the test rows, seed %d)%n",
          BOOTSTRAP_RESAMPLES,
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
    out.printf(Locale.ROOT, "finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    out.printf(Locale.ROOT, "report: %s%n", index.toAbsolutePath().normalize());
    return Main.OK;
  }

  /**
   * The 8-bit against 32-bit study of SST-2 zero- and few-shot and AG News with label descriptions,
   * reusing the scores of the main model ({@code sstScored}, {@code agScored}) and scoring the
   * texts once with the other.
   */
  private List<HtmlReport.Table> quantizationStudy(
      PrintWriter out,
      List<QuantizationStudy.Task> sstTasks,
      List<QuantizationStudy.Scored> sstScored,
      List<QuantizationStudy.Task> agTasks,
      List<QuantizationStudy.Scored> agScored) {
    boolean mainIsInt8 = model.equals("embedded-minilm-int8");
    ModelSource other =
        mainIsInt8 ? ModelSource.embeddedMiniLm() : ModelSource.embeddedMiniLmInt8();
    String otherName = mainIsInt8 ? "fp32" : "int8";
    out.printf(
        Locale.ROOT,
        "%n8-bit against 32-bit: all-MiniLM-L6-v2 fp32 (batched) and int8 (each prompt on its"
            + " own)%n");
    List<QuantizationStudy.Task> tasks = new ArrayList<>(sstTasks);
    List<QuantizationStudy.Scored> known = new ArrayList<>(sstScored);
    List<QuantizationStudy.Scored> others;
    try (Scorer scorer = encoder(other)) {
      others = new ArrayList<>(SharedScoring.score(scorer, sstTasks, otherName + " SST-2"));
      if (!agTasks.isEmpty()) {
        // the study compares the label descriptions only
        tasks.add(agTasks.get(0));
        known.add(agScored.get(0));
        others.add(
            SharedScoring.score(scorer, agTasks.subList(0, 1), otherName + " AG News").get(0));
      }
    }
    List<HtmlReport.Table> tables = new ArrayList<>();
    for (int t = 0; t < tasks.size(); t++) {
      QuantizationStudy.Task task = tasks.get(t);
      QuantizationStudy.Scored fp32 = mainIsInt8 ? others.get(t) : known.get(t);
      QuantizationStudy.Scored int8 = mainIsInt8 ? known.get(t) : others.get(t);
      QuantizationStudy.Result a = QuantizationStudy.evaluate(task, fp32, seed);
      QuantizationStudy.Result b = QuantizationStudy.evaluate(task, int8, seed);
      double[] agreement = QuantizationStudy.agreement(fp32, int8);
      QuantizationStudy.print(out, task, a, b, agreement);
      tables.add(QuantizationStudy.table(task, a, b, agreement));
    }
    return tables;
  }

  /**
   * The zero-shot encoder over {@code source}, its model on one intra-op thread and run on as many
   * threads as there are cores ({@link ParallelScorer}: the same scores for less CPU time).
   */
  private static Scorer encoder(ModelSource source) {
    return new ParallelScorer(
        OnnxScorers.encoder(source).intraOpThreads(1).build(),
        Runtime.getRuntime().availableProcessors());
  }

  /** The AG News task, or null when there is no file (and none was asked for). */
  private QuantizationStudy.Task agNewsTask(PrintWriter out, int rowsWanted) {
    Path file = agnews;
    if (file == null) {
      Path shared = Paths.get("..", "shared", "data", "agnews", "test.csv");
      if (!Files.isRegularFile(shared)) {
        return null;
      }
      file = shared;
    }
    if (!Files.isRegularFile(file)) {
      throw new Main.UsageException("--agnews " + file + " is not a file");
    }
    AgNews.Rows rows = AgNews.read(file);
    DemoData.Split[] split = AgNews.devAndTest(rows, rowsWanted, seed);
    out.println(
        "AG News from "
            + file.toAbsolutePath().normalize()
            + " ("
            + (split[0].size() + split[1].size())
            + " of "
            + rows.texts().size()
            + " rows, seed "
            + seed
            + ")");
    return new QuantizationStudy.Task(
        "AG News zero-shot", AgNews.LABELS, split[0], split[1], Map.of());
  }

  private DemoData loadData(PrintWriter out) {
    Path dir = data;
    if (dir == null) {
      Path shared = Paths.get("..", "shared", "data", "sst2");
      if (Files.isDirectory(shared)) {
        dir = shared;
      }
    }
    if (dir == null) {
      out.println(
          "No SST-2 data found at ../shared/data/sst2 (give --data DIR): running on the built-in"
              + " sample of 48 sentences written for this demo.");
      return DemoData.builtIn();
    }
    if (!Files.isDirectory(dir)) {
      throw new Main.UsageException("--data " + dir + " is not a folder");
    }
    out.println("SST-2 from " + dir.toAbsolutePath().normalize());
    return DemoData.load(dir);
  }

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
      java.util.Collections.shuffle(pool, random);
      out.put(LABELS.name(label), new ArrayList<>(pool.subList(0, Math.min(shots, pool.size()))));
    }
    return out;
  }

  /** Resamples of the percentile bootstrap intervals of accuracy and ECE on the HTML page. */
  static final int BOOTSTRAP_RESAMPLES = 200;

  /**
   * The methods of a setting: raw, contextual and auto; with {@code --full}, raw, every method of
   * the {@link CalibrationMethod} registry that an encoder's scores can be fitted with
   * (content-free rows, random in-domain strings, the unlabelled test rows, or the labelled dev
   * rows), contextual + temperature and auto. {@code notShown} receives the registered methods left
   * out.
   */
  private List<Method> methods(
      LabelSet labels,
      QuantizationStudy.Task task,
      QuantizationStudy.Scored scored,
      Scorer scorer,
      List<String> notShown) {
    List<LabelDistribution> test = scored.test();
    List<LabelDistribution> dev = scored.dev();
    List<LabelDistribution> contentFree = scored.contentFree();
    LabelledSet devSet = LabelledSet.of(dev, task.dev().gold());
    // random in-domain strings are scored only if domain-context calibration is fitted
    Supplier<List<LabelDistribution>> domain =
        com.google.common.base.Suppliers.memoize(
            () ->
                SharedScoring.score(
                    scorer,
                    task,
                    DomainContextCalibration.contentFreeInputs(
                        task.test().texts(), DomainContextCalibration.DEFAULT_COUNT, seed)));
    List<Method> methods = new ArrayList<>();
    methods.add(new Method("raw", DemoReport.Role.RAW, "raw", () -> null));
    for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
      DemoReport.Role role =
          m == CalibrationMethod.CONTEXTUAL ? DemoReport.Role.CONTEXTUAL : DemoReport.Role.OTHER;
      if (!full && role != DemoReport.Role.CONTEXTUAL) {
        continue;
      }
      switch (m.fitsOn()) {
        case CONTENT_FREE_ROWS -> {
          boolean random = m == CalibrationMethod.DOMAIN_CONTEXT;
          methods.add(
              new Method(
                  m + (random ? " (random in-domain)" : " (N/A, \"\", [MASK])"),
                  role,
                  m.methodName(),
                  () -> contentFreeFit(m).fit(random ? domain.get() : contentFree)));
        }
        case UNLABELLED_ROWS ->
            methods.add(
                new Method(
                    m + " (test rows)",
                    role,
                    m.methodName(),
                    () ->
                        m.fitting(io.calibra.calibrate.MethodFit.UnlabelledRows.class)
                            .orElseThrow()
                            .fit(test)));
        case LABELLED_ROWS ->
            methods.add(
                new Method(
                    m + " (dev)",
                    role,
                    m.methodName(),
                    () ->
                        m.fitting(io.calibra.calibrate.MethodFit.LabelledRows.class)
                            .orElseThrow()
                            .fit(devSet)));
        case NOTHING -> {} // the identity: the raw row
        default -> notShown.add(m.methodName());
      }
    }
    if (full) {
      Calibrator contextual = ContextualCalibration.fit(contentFree);
      methods.add(
          new Method(
              "contextual + temperature (dev)",
              DemoReport.Role.OTHER,
              "contextual-temperature",
              () ->
                  contextual.andThen(
                      TemperatureScaling.fit(
                          LabelledSet.of(contextual.applyAll(dev), task.dev().gold())))));
    }
    return methods;
  }

  /**
   * Fits the setting's {@link #methods}, then auto, measures each on the test rows, prints one
   * table, draws the diagrams, and checks contextual calibration on the dev rows.
   */
  private DemoReport.Setting runSetting(
      String setting,
      String heading,
      Scorer scorer,
      QuantizationStudy.Task task,
      PrintWriter out,
      QuantizationStudy.Scored scored) {
    LabelSet labels = task.labels();
    List<LabelDistribution> test = scored.test();
    List<LabelDistribution> dev = scored.dev();
    List<LabelDistribution> contentFree = scored.contentFree();
    LabelledSet devSet = LabelledSet.of(dev, task.dev().gold());
    List<String> notShown = new ArrayList<>();
    List<Method> methods = methods(labels, task, scored, scorer, notShown);
    QuantizationStudy.Auto auto = QuantizationStudy.auto(labels, devSet, contentFree, seed);
    methods.add(
        new Method(
            "auto (dev: " + auto.choice() + ")", DemoReport.Role.AUTO, "auto", auto::calibrator));

    LabelDistribution pcf = ContextualCalibration.estimateBias(contentFree);
    String short3 = abbreviations(labels);
    int width = 8;
    for (Method m : methods) {
      width = Math.max(width, m.name().length());
    }
    out.printf(
        Locale.ROOT,
        "%n%s (%s): %d test rows, %d dev rows%n",
        setting,
        scorer.modelId(),
        test.size(),
        dev.size());
    String header =
        String.format(
            Locale.ROOT,
            "%-" + width + "s %8s %8s %7s %7s %7s  %-15s  %s",
            "method",
            "accuracy",
            "macro-F1",
            "ECE",
            "Brier",
            "NLL",
            short3,
            "content-free " + short3);
    out.println(header);
    List<DemoReport.Method> results = new ArrayList<>();
    boolean anyNearZero = false;
    List<ReliabilityDiagram.Series> overlay = new ArrayList<>();
    for (Method m : methods) {
      Calibrator calibrator;
      try {
        calibrator = m.fit().get();
      } catch (IllegalArgumentException e) {
        // A registered method that does not apply to these scores (such as one for two labels
        // only): the row says why, as fit --method would.
        out.printf(Locale.ROOT, "%-" + width + "s not fitted: %s%n", m.name(), e.getMessage());
        results.add(
            new DemoReport.Method(
                m.name(), m.role(), null, null, null, Map.of(), 0, e.getMessage()));
        continue;
      }
      List<LabelDistribution> calibrated = calibrator == null ? test : calibrator.applyAll(test);
      LabelledSet measured = LabelledSet.of(calibrated, task.test().gold());
      CalibrationMetrics metrics = Metrics.evaluate(measured);
      String cfText = QuantizationStudy.format(calibrator == null ? pcf : calibrator.apply(pcf));
      String counts =
          metrics.predictionCounts().stream()
              .map(String::valueOf)
              .collect(java.util.stream.Collectors.joining("|"));
      out.printf(
          Locale.ROOT,
          "%-" + width + "s %8.4f %8.4f %7.4f %7.4f %7.4f  %-15s  %s%s%n",
          m.name(),
          metrics.accuracy(),
          metrics.macroF1(),
          metrics.ece(),
          metrics.brier(),
          metrics.nll(),
          counts,
          cfText,
          nearZeroMark(Metrics.nearZeroGold(measured)));
      anyNearZero |= Metrics.nearZeroGold(measured) > 0;
      String file = setting + "-" + m.file();
      ReliabilityDiagram.write(metrics, m.name(), output, file);
      Map<String, io.calibra.metrics.Bootstrap.Interval> intervals =
          full
              ? io.calibra.metrics.Bootstrap.percentileIntervals(
                  measured,
                  d -> {
                    CalibrationMetrics r = Metrics.evaluate(d);
                    return Map.of("accuracy", r.accuracy(), "ece", r.ece());
                  },
                  BOOTSTRAP_RESAMPLES,
                  seed,
                  0.95)
              : Map.of();
      results.add(
          new DemoReport.Method(
              m.name(),
              m.role(),
              file,
              metrics,
              cfText,
              intervals,
              AgainstRaw.nearZeroGold(measured),
              null));
      if (m.role() != DemoReport.Role.OTHER) {
        String name = m.role() == DemoReport.Role.AUTO ? "auto: " + auto.choice() : m.file();
        overlay.add(new ReliabilityDiagram.Series(name, metrics, COLOURS.get(m.role())));
      }
    }
    if (anyNearZero) {
      out.println(NEAR_ZERO_NOTE);
    }
    if (!notShown.isEmpty()) {
      out.println(
          "(not fitted here: "
              + String.join(", ", notShown)
              + ": fitted on a language model's prompt or on samples from it)");
    }
    // contextual calibration can make a classifier worse; the dev rows show it.
    Calibrator contextual = ContextualCalibration.fit(contentFree);
    DevComparison check =
        DevComparison.of(
            "contextual", devSet, LabelledSet.of(contextual.applyAll(dev), devSet.goldArray()));
    out.println("check of contextual calibration, " + check.summary());
    if (check.worse()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("warning: " + setting + ": " + check.warning());
      err.flush();
    }
    String overlayFile = setting + "-overlay";
    ReliabilityDiagram.writeOverlay(overlay, heading, output, overlayFile);
    return new DemoReport.Setting(
        setting, heading, describe(task), labels.names(), results, auto.choice(), overlayFile);
  }

  /** What a setting's rows and labels are, for the report. */
  private String describe(QuantizationStudy.Task task) {
    LabelSet labels = task.labels();
    List<String> words = new ArrayList<>();
    for (int k = 0; k < labels.size(); k++) {
      words.add(labels.name(k) + " = \"" + labels.words(k).get(0) + "\"");
    }
    String how =
        task.fewShot().isEmpty()
            ? "label score: cosine to the label's text / 0.05; labels " + String.join(", ", words)
            : "label score: cosine to the mean of "
                + shots
                + " training examples of the label / 0.05";
    return String.format(
        Locale.ROOT, "%d test rows, %d dev rows; %s.", task.test().size(), task.dev().size(), how);
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
   */
  static String nearZeroMark(long nearZero) {
    return nearZero == 0
        ? ""
        : String.format(
            Locale.ROOT,
            "  ! p_gold < %s on %d %s",
            Metrics.NEAR_ZERO,
            nearZero,
            nearZero == 1 ? "row" : "rows");
  }

  /** What the mark means, printed under a table that has one. */
  static final String NEAR_ZERO_NOTE =
      "(!: the method gave the gold label a probability below "
          + Metrics.NEAR_ZERO
          + " on that many test rows, certainties the data contradict; NLL clips p_gold at "
          + Metrics.NLL_CLIP
          + ", so each such row adds up to 34.5)";

  private static io.calibra.calibrate.MethodFit.ContentFreeRows contentFreeFit(
      CalibrationMethod m) {
    return m.fitting(io.calibra.calibrate.MethodFit.ContentFreeRows.class).orElseThrow();
  }
}
