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
 * descriptions) and few-shot (class prototypes), calibrated by each method, measured, and reported.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Calibrates an SST-2 sentiment classifier built on the embedded MiniLM model, zero-shot and",
      "few-shot, with each method; prints one table and writes reliability diagrams and an HTML report."
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
    try (Scorer zeroShot = OnnxScorers.encoder(source).build();
        Scorer prototypes = OnnxScorers.encoder(source).fewShot(fewShot).build()) {
      sections.addAll(runSetting("zero-shot", zeroShot, demo, out));
      sections.addAll(runSetting(shots + "-shot", prototypes, demo, out));
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
        sections);
    out.printf(Locale.ROOT, "%nreport: %s%n", index.toAbsolutePath().normalize());
    out.printf(Locale.ROOT, "finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return Main.OK;
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
      String setting, Scorer scorer, DemoData demo, PrintWriter out) {
    List<LabelDistribution> test =
        distributions(Progress.scoreAll(scorer, demo.test().texts(), LABELS, setting + " test"));
    List<LabelDistribution> dev =
        distributions(Progress.scoreAll(scorer, demo.dev().texts(), LABELS, setting + " dev"));
    List<LabelDistribution> contentFree =
        distributions(scorer.scoreAll(ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS, LABELS));
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
