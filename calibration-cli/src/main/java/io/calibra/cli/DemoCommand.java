package io.calibra.cli;

import io.calibra.backend.LabelScores;
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
 * {@code calibra demo}: SST-2 sentiment with the embedded MiniLM encoder, zero-shot (label
 * descriptions) and few-shot (class prototypes), and AG News zero-shot (label descriptions and
 * label words) when its test.csv is found, each calibrated by every method of the {@link
 * CalibrationMethod} registry that applies to an encoder's scores, by contextual + temperature and
 * by the automatic choice ({@link io.calibra.calibrate.MethodSelection} on dev), measured, and
 * reported; then, unless {@code --no-quantization-study}, the fp32 and int8 models side by side
 * ({@link QuantizationStudy}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Calibrates few-shot and zero-shot classifiers built on the embedded MiniLM model with every"
          + " registered method that applies, and with the automatic choice, then reports the results.",
      "SST-2 sentiment, and AG News topics (label descriptions and label words) when its test.csv is",
      "found; prints one table per setting and writes reliability diagrams and an HTML report.",
      "Then compares the int8 model with fp32."
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
      names = "--quantization-study",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Also compare the int8 model with fp32: SST-2 zero- and few-shot, and AG News zero-shot"
              + " when its test.csv is found; accuracy, ECE, NLL and p_cf, raw and after"
              + " contextual, temperature and auto calibration (default: on;"
              + " --no-quantization-study skips it).")
  boolean quantizationStudy;

  @Option(
      names = "--agnews",
      description =
          "AG News test.csv for the AG News section and the quantisation study (default:"
              + " ../shared/data/agnews/test.csv when it exists; without it both leave AG News out).")
  Path agnews;

  @Option(
      names = "--agnews-rows",
      defaultValue = "2000",
      description =
          "AG News rows sampled (seeded by --seed; the first half is dev, the rest test; 0: all)"
              + " (default: ${DEFAULT-VALUE}).")
  int agnewsRows;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** One method's name, file name and how to fit it (a null calibrator: raw). */
  private record Method(String name, String file, Supplier<Calibrator> fit) {}

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
    if (agnewsRows < 0 || agnewsRows == 1 || agnewsRows == 2 || agnewsRows == 3) {
      throw new Main.UsageException(
          "--agnews-rows is " + agnewsRows + "; expected 0 (all) or at least 4");
    }
    QuantizationStudy.Task agTask = agNewsTask(out);
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
    List<HtmlReport.Section> sections = new ArrayList<>();
    List<HtmlReport.Table> tables = new ArrayList<>();
    Map<String, Map<String, io.calibra.metrics.Bootstrap.Interval>> intervals =
        new java.util.LinkedHashMap<>();
    Map<String, List<String>> fewShot = fewShotExamples(demo.train());
    QuantizationStudy.Task zeroTask =
        new QuantizationStudy.Task("SST-2 zero-shot", LABELS, demo.dev(), demo.test(), Map.of());
    QuantizationStudy.Task fewTask =
        new QuantizationStudy.Task(
            "SST-2 " + shots + "-shot", LABELS, demo.dev(), demo.test(), fewShot);
    QuantizationStudy.Scored zeroScored;
    QuantizationStudy.Scored fewScored;
    QuantizationStudy.Scored agScored = null;
    try (Scorer zeroShot = OnnxScorers.encoder(source).build();
        Scorer prototypes = OnnxScorers.encoder(source).fewShot(fewShot).build()) {
      zeroScored = QuantizationStudy.score(zeroShot, zeroTask, "zero-shot");
      Setting zero = runSetting("zero-shot", zeroShot, zeroTask, out, zeroScored);
      sections.addAll(zero.sections());
      intervals.putAll(zero.intervals());
      fewScored = QuantizationStudy.score(prototypes, fewTask, shots + "-shot");
      Setting few = runSetting(shots + "-shot", prototypes, fewTask, out, fewScored);
      sections.addAll(few.sections());
      intervals.putAll(few.intervals());
      if (agTask != null) {
        // AG News twice: each topic described by a sentence, and by one label word (the words of
        // Zhao et al. 2021), so the page shows a case where contextual calibration helps and one
        // where it hurts on the same rows.
        agScored = QuantizationStudy.score(zeroShot, agTask, "AG News descriptions");
        tables.add(
            agNewsTable(
                "AG News zero-shot, label descriptions",
                agTask,
                runSetting("agnews-descriptions", zeroShot, agTask, out, agScored)));
        QuantizationStudy.Task words =
            new QuantizationStudy.Task(
                "AG News zero-shot, label words",
                AgNews.LABEL_WORDS,
                agTask.dev(),
                agTask.test(),
                Map.of());
        QuantizationStudy.Scored wordsScored =
            QuantizationStudy.score(zeroShot, words, "AG News label words");
        tables.add(
            agNewsTable(
                "AG News zero-shot, label words",
                words,
                runSetting("agnews-words", zeroShot, words, out, wordsScored)));
      }
    }
    if (agTask == null) {
      out.println(
          "(AG News not found at ../shared/data/agnews/test.csv; give --agnews FILE to add it)");
    }
    if (quantizationStudy) {
      boolean mainIsInt8 = model.equals("embedded-minilm-int8");
      out.printf(
          Locale.ROOT,
          "%n8-bit against 32-bit: all-MiniLM-L6-v2 fp32 (batched) and int8 (each prompt on its"
              + " own)%n");
      List<QuantizationStudy.Task> tasks = new ArrayList<>(List.of(zeroTask, fewTask));
      List<QuantizationStudy.Scored> known = new ArrayList<>(List.of(zeroScored, fewScored));
      if (agTask != null) {
        tasks.add(agTask);
        known.add(agScored);
      }
      for (int t = 0; t < tasks.size(); t++) {
        QuantizationStudy.Task task = tasks.get(t);
        QuantizationStudy.Scored fp32 = mainIsInt8 ? null : known.get(t);
        QuantizationStudy.Scored int8 = mainIsInt8 ? known.get(t) : null;
        if (fp32 == null) {
          fp32 = scoreWith(ModelSource.embeddedMiniLm(), task, "fp32 " + task.name());
        }
        if (int8 == null) {
          int8 = scoreWith(ModelSource.embeddedMiniLmInt8(), task, "int8 " + task.name());
        }
        QuantizationStudy.Result a = QuantizationStudy.evaluate(task, fp32, seed);
        QuantizationStudy.Result b = QuantizationStudy.evaluate(task, int8, seed);
        double[] agreement = QuantizationStudy.agreement(fp32, int8);
        QuantizationStudy.print(out, task, a, b, agreement);
        tables.add(QuantizationStudy.table(task, a, b, agreement));
      }
    }
    Path index = output.resolve("index.html");
    HtmlReport.write(
        index,
        "calibra demo: SST-2 sentiment with all-MiniLM-L6-v2",
        "Data: "
            + demo.source()
            + " ("
            + demo.test().size()
            + " test rows, "
            + demo.dev().size()
            + " dev rows). Zero-shot: cosine to \"The movie was terrible.\" / \"The movie was great.\" / 0.05;"
            + " few-shot: cosine to the mean of "
            + shots
            + " training examples per label.",
        LABELS.names(),
        sections,
        intervals,
        tables);
    out.printf(
        Locale.ROOT,
        "%nthe report shows 95%% percentile bootstrap intervals of accuracy and ECE (%d resamples of"
            + " the test rows, seed %d)%n",
        BOOTSTRAP_RESAMPLES,
        seed);
    out.printf(Locale.ROOT, "report: %s%n", index.toAbsolutePath().normalize());
    out.printf(Locale.ROOT, "finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return Main.OK;
  }

  /** A setting's rows as a table of the HTML report (its diagrams are files beside the page). */
  private static HtmlReport.Table agNewsTable(
      String heading, QuantizationStudy.Task task, Setting setting) {
    LabelSet labels = task.labels();
    List<String> words = new ArrayList<>();
    for (int k = 0; k < labels.size(); k++) {
      words.add(labels.name(k) + " = \"" + labels.words(k).get(0) + "\"");
    }
    String diagrams = setting.sections().isEmpty() ? "" : setting.sections().get(0).image();
    return new HtmlReport.Table(
        heading,
        String.format(
            Locale.ROOT,
            "%d test rows, %d dev rows; labels %s. Reliability diagrams: %s.svg and the other"
                + " methods' beside this page.",
            task.test().size(),
            task.dev().size(),
            String.join(", ", words),
            diagrams),
        List.of(
            "method",
            "accuracy",
            "macro-F1",
            "ECE",
            "Brier",
            "NLL",
            "predictions " + String.join("|", labels.names()),
            "content-free distribution"),
        setting.rows());
  }

  private QuantizationStudy.Scored scoreWith(
      ModelSource source, QuantizationStudy.Task task, String what) {
    try (Scorer scorer = OnnxScorers.encoder(source).fewShot(task.fewShot()).build()) {
      return QuantizationStudy.score(scorer, task, what);
    }
  }

  /** The AG News task, or null when there is no file (and none was asked for). */
  private QuantizationStudy.Task agNewsTask(PrintWriter out) {
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
    DemoData.Split[] split = AgNews.devAndTest(rows, agnewsRows, seed);
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

  /** One setting's measured methods: the rows printed, as report sections. */
  private record Setting(
      List<HtmlReport.Section> sections,
      List<List<String>> rows,
      Map<String, Map<String, io.calibra.metrics.Bootstrap.Interval>> intervals) {}

  /** Resamples of the percentile bootstrap intervals of accuracy and ECE on the HTML page. */
  static final int BOOTSTRAP_RESAMPLES = 200;

  /**
   * Fits every method of the {@link CalibrationMethod} registry that an encoder's scores can be
   * fitted with (content-free rows, random in-domain strings, the unlabelled test rows, or the
   * labelled dev rows), then contextual + temperature and the automatic choice, measures each on
   * the test rows and prints one table.
   */
  private Setting runSetting(
      String setting,
      Scorer scorer,
      QuantizationStudy.Task task,
      PrintWriter out,
      QuantizationStudy.Scored scored) {
    LabelSet labels = task.labels();
    List<LabelDistribution> test = scored.test();
    List<LabelDistribution> dev = scored.dev();
    List<LabelDistribution> contentFree = scored.contentFree();
    List<String> randomInDomain =
        DomainContextCalibration.contentFreeInputs(
            task.test().texts(), DomainContextCalibration.DEFAULT_COUNT, seed);
    List<LabelDistribution> domain = distributions(scorer.scoreAll(randomInDomain, labels));
    LabelledSet devSet = LabelledSet.of(dev, task.dev().gold());

    List<Method> methods = new ArrayList<>();
    List<String> notShown = new ArrayList<>();
    methods.add(new Method("raw", "raw", () -> null));
    for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
      switch (m.fitsOn()) {
        case CONTENT_FREE_ROWS -> {
          boolean random = m == CalibrationMethod.DOMAIN_CONTEXT;
          methods.add(
              new Method(
                  m + (random ? " (random in-domain)" : " (N/A, \"\", [MASK])"),
                  m.methodName(),
                  () -> m.fit(labels, random ? domain : contentFree)));
        }
        case UNLABELLED_ROWS ->
            methods.add(new Method(m + " (test rows)", m.methodName(), () -> m.fit(labels, test)));
        case LABELLED_ROWS ->
            methods.add(new Method(m + " (dev)", m.methodName(), () -> m.fit(devSet)));
        case NOTHING -> {} // the identity: the raw row
        default -> notShown.add(m.methodName());
      }
    }
    Calibrator contextual = ContextualCalibration.fit(contentFree);
    methods.add(
        new Method(
            "contextual + temperature (dev)",
            "contextual-temperature",
            () ->
                contextual.andThen(
                    TemperatureScaling.fit(
                        LabelledSet.of(contextual.applyAll(dev), task.dev().gold())))));
    QuantizationStudy.Auto auto = QuantizationStudy.auto(labels, devSet, contentFree, seed);
    methods.add(new Method("auto (dev: " + auto.choice() + ")", "auto", auto::calibrator));

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
    List<HtmlReport.Section> sections = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    boolean anyNearZero = false;
    Map<String, Map<String, io.calibra.metrics.Bootstrap.Interval>> intervals =
        new java.util.LinkedHashMap<>();
    for (Method m : methods) {
      Calibrator calibrator;
      try {
        calibrator = m.fit().get();
      } catch (IllegalArgumentException e) {
        // A registered method that does not apply to these scores (such as one for two labels
        // only): the row says why, as fit --method would.
        out.printf(Locale.ROOT, "%-" + width + "s not fitted: %s%n", m.name(), e.getMessage());
        rows.add(List.of(m.name(), "not fitted: " + e.getMessage(), "", "", "", "", "", ""));
        continue;
      }
      List<LabelDistribution> calibrated = calibrator == null ? test : calibrator.applyAll(test);
      CalibrationMetrics metrics = Metrics.evaluate(LabelledSet.of(calibrated, task.test().gold()));
      String cfText = QuantizationStudy.format(calibrator == null ? pcf : calibrator.apply(pcf));
      String counts =
          metrics.predictionCounts().stream()
              .map(String::valueOf)
              .collect(java.util.stream.Collectors.joining("|"));
      long nearZero = Metrics.nearZeroGold(LabelledSet.of(calibrated, task.test().gold()));
      String nearZeroMark = nearZeroMark(nearZero);
      anyNearZero |= nearZero > 0;
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
          nearZeroMark);
      String file = setting + "-" + m.file();
      ReliabilityDiagram.write(metrics, setting + ": " + m.name(), output, file);
      sections.add(new HtmlReport.Section(setting + ": " + m.name(), file, metrics, cfText));
      intervals.put(
          setting + ": " + m.name(),
          io.calibra.metrics.Bootstrap.percentileIntervals(
              LabelledSet.of(calibrated, task.test().gold()),
              d -> {
                CalibrationMetrics r = Metrics.evaluate(d);
                return Map.of("accuracy", r.accuracy(), "ece", r.ece());
              },
              BOOTSTRAP_RESAMPLES,
              seed,
              0.95));
      rows.add(
          List.of(
              m.name(),
              String.format(Locale.ROOT, "%.4f", metrics.accuracy()),
              String.format(Locale.ROOT, "%.4f", metrics.macroF1()),
              String.format(Locale.ROOT, "%.4f", metrics.ece()),
              String.format(Locale.ROOT, "%.4f", metrics.brier()),
              String.format(Locale.ROOT, "%.4f", metrics.nll()) + nearZeroMark,
              counts,
              cfText));
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
    // Issue 10 item 13: contextual calibration can make a classifier worse; the dev rows show it.
    DevComparison check =
        DevComparison.of(
            "contextual", devSet, LabelledSet.of(contextual.applyAll(dev), devSet.goldArray()));
    out.println("check of contextual calibration, " + check.summary());
    if (check.worse()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("warning: " + setting + ": " + check.warning());
      err.flush();
    }
    return new Setting(sections, rows, intervals);
  }

  /** The labels' first three letters, joined by {@code |}: {@code neg|pos}. */
  static String abbreviations(LabelSet labels) {
    List<String> out = new ArrayList<>();
    for (String name : labels.names()) {
      out.add(name.substring(0, Math.min(3, name.length())));
    }
    return String.join("|", out);
  }

  private static List<LabelDistribution> distributions(List<LabelScores> scores) {
    List<LabelDistribution> out = new ArrayList<>(scores.size());
    for (LabelScores s : scores) {
      out.add(s.toDistribution());
    }
    return out;
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
}
