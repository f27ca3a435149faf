package io.calibra.cli;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.BatchCalibration;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code calibra demo}: SST-2 sentiment with the embedded MiniLM encoder, zero-shot (label
 * descriptions) and few-shot (class prototypes), calibrated by each method, measured, and reported;
 * then, unless {@code --no-quantization-study}, the fp32 and int8 models side by side on SST-2 and
 * AG News ({@link QuantizationStudy}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Calibrates an SST-2 sentiment classifier built on the embedded MiniLM model with each method"
          + " and reports the results.",
      "Zero-shot and few-shot; prints one table and writes reliability diagrams and an HTML report.",
      "Then compares the int8 model with fp32 (SST-2, and AG News when found)."
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
          "AG News test.csv for the quantisation study (default: ../shared/data/agnews/test.csv when it exists).")
  Path agnews;

  @Option(
      names = "--agnews-rows",
      defaultValue = "2000",
      description =
          "AG News rows the study samples (seeded; half dev, half test; 0: all) (default: ${DEFAULT-VALUE}).")
  int agnewsRows;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** One method's name and calibrator (null: raw). */
  private record Method(String name, String file, Calibrator calibrator) {}

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
    QuantizationStudy.Task agTask = quantizationStudy ? agNewsTask(out) : null;
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
    Map<String, List<String>> fewShot = fewShotExamples(demo.train());
    QuantizationStudy.Task zeroTask =
        new QuantizationStudy.Task("SST-2 zero-shot", LABELS, demo.dev(), demo.test(), Map.of());
    QuantizationStudy.Task fewTask =
        new QuantizationStudy.Task(
            "SST-2 " + shots + "-shot", LABELS, demo.dev(), demo.test(), fewShot);
    QuantizationStudy.Scored zeroScored;
    QuantizationStudy.Scored fewScored;
    try (Scorer zeroShot = OnnxScorers.encoder(source).build();
        Scorer prototypes = OnnxScorers.encoder(source).fewShot(fewShot).build()) {
      zeroScored = QuantizationStudy.score(zeroShot, zeroTask, "zero-shot");
      sections.addAll(runSetting("zero-shot", zeroShot, demo, out, zeroScored));
      fewScored = QuantizationStudy.score(prototypes, fewTask, shots + "-shot");
      sections.addAll(runSetting(shots + "-shot", prototypes, demo, out, fewScored));
    }
    List<HtmlReport.Table> tables = new ArrayList<>();
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
        known.add(null);
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
      if (agTask == null) {
        out.println(
            "(AG News not found at ../shared/data/agnews/test.csv; give --agnews FILE to add it)");
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
        java.util.Map.of(),
        tables);
    out.printf(Locale.ROOT, "%nreport: %s%n", index.toAbsolutePath().normalize());
    out.printf(Locale.ROOT, "finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return Main.OK;
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

  private List<HtmlReport.Section> runSetting(
      String setting,
      Scorer scorer,
      DemoData demo,
      PrintWriter out,
      QuantizationStudy.Scored scored) {
    List<LabelDistribution> test = scored.test();
    List<LabelDistribution> dev = scored.dev();
    List<LabelDistribution> contentFree = scored.contentFree();
    List<String> randomInDomain =
        DomainContextCalibration.contentFreeInputs(
            demo.test().texts(), DomainContextCalibration.DEFAULT_COUNT, seed);
    List<LabelDistribution> domain = distributions(scorer.scoreAll(randomInDomain, LABELS));

    LabelledSet devSet = LabelledSet.of(dev, demo.dev().gold());
    Calibrator contextual = ContextualCalibration.fit(contentFree);
    Calibrator temperature = TemperatureScaling.fit(devSet);
    Calibrator contextualThenTemperature =
        contextual.andThen(
            TemperatureScaling.fit(LabelledSet.of(contextual.applyAll(dev), demo.dev().gold())));
    List<Method> methods =
        List.of(
            new Method("raw", "raw", null),
            new Method("contextual (N/A, \"\", [MASK])", "contextual", contextual),
            new Method("domain-context", "domain-context", DomainContextCalibration.fit(domain)),
            new Method("batch", "batch", BatchCalibration.fit(test)),
            new Method("temperature (dev)", "temperature", temperature),
            new Method(
                "contextual + temperature (dev)",
                "contextual-temperature",
                contextualThenTemperature));

    LabelDistribution pcf = ContextualCalibration.estimateBias(contentFree);
    out.printf(Locale.ROOT, "%n%s (%s): %d test rows%n", setting, scorer.modelId(), test.size());
    out.printf(
        Locale.ROOT,
        "%-32s %8s %8s %7s %7s %7s  %-11s  %s%n",
        "method",
        "accuracy",
        "macro-F1",
        "ECE",
        "Brier",
        "NLL",
        "neg|pos",
        "content-free neg|pos");
    List<HtmlReport.Section> sections = new ArrayList<>();
    for (Method m : methods) {
      List<LabelDistribution> calibrated =
          m.calibrator() == null ? test : m.calibrator().applyAll(test);
      CalibrationMetrics metrics = Metrics.evaluate(LabelledSet.of(calibrated, demo.test().gold()));
      LabelDistribution cf = m.calibrator() == null ? pcf : m.calibrator().apply(pcf);
      String cfText = String.format(Locale.ROOT, "%.3f|%.3f", cf.probability(0), cf.probability(1));
      out.printf(
          Locale.ROOT,
          "%-32s %8.4f %8.4f %7.4f %7.4f %7.4f  %-11s  %s%n",
          m.name(),
          metrics.accuracy(),
          metrics.macroF1(),
          metrics.ece(),
          metrics.brier(),
          metrics.nll(),
          metrics.predictionCounts().get(0) + "|" + metrics.predictionCounts().get(1),
          cfText);
      String file = setting + "-" + m.file();
      ReliabilityDiagram.write(metrics, setting + ": " + m.name(), output, file);
      sections.add(new HtmlReport.Section(setting + ": " + m.name(), file, metrics, cfText));
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
    return sections;
  }

  private static List<LabelDistribution> distributions(List<LabelScores> scores) {
    List<LabelDistribution> out = new ArrayList<>(scores.size());
    for (LabelScores s : scores) {
      out.add(s.toDistribution());
    }
    return out;
  }
}
