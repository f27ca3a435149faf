package io.calibra.cli.demo;

import io.calibra.backend.Scorer;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.DomainContextCalibration;
import io.calibra.calibrate.MethodFit;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.cli.output.ReliabilityDiagram;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.DevComparison;
import io.calibra.metrics.Metrics;
import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One setting of the demo (a task scored by one model): every method fitted, measured on the test
 * rows, printed as one table, drawn as diagrams and described for the report; then contextual
 * calibration checked on the dev rows.
 */
final class SettingRun {
  /** Resamples of the percentile bootstrap intervals of accuracy and ECE on the HTML page. */
  static final int BOOTSTRAP_RESAMPLES = 200;

  /** Colours of raw, contextual and auto in the overlaid diagram (Okabe and Ito's palette). */
  private static final Map<DemoReport.Role, Color> COLOURS =
      Map.of(
          DemoReport.Role.RAW, new Color(0x555555),
          DemoReport.Role.CONTEXTUAL, new Color(0xe69f00),
          DemoReport.Role.AUTO, new Color(0x0072b2));

  /** One method's name, role, file name and how to fit it (a null calibrator: raw). */
  private record Method(String name, DemoReport.Role role, String file, Supplier<Calibrator> fit) {}

  private final boolean full;
  private final long seed;
  private final int shots;
  private final Path output;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * Settings run with or without the {@code full} study, seeded by {@code seed}, with {@code shots}
   * examples per label in few-shot tasks, writing diagrams to {@code output}, tables to {@code out}
   * and warnings to {@code err}.
   */
  SettingRun(boolean full, long seed, int shots, Path output, PrintWriter out, PrintWriter err) {
    this.full = full;
    this.seed = seed;
    this.shots = shots;
    this.output = output;
    this.out = out;
    this.err = err;
  }

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
                    () -> m.fitting(MethodFit.UnlabelledRows.class).orElseThrow().fit(test)));
        case LABELLED_ROWS ->
            methods.add(
                new Method(
                    m + " (dev)",
                    role,
                    m.methodName(),
                    () -> m.fitting(MethodFit.LabelledRows.class).orElseThrow().fit(devSet)));
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
  DemoReport.Setting run(
      String setting,
      String heading,
      Scorer scorer,
      QuantizationStudy.Task task,
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
    String short3 = DemoCommand.abbreviations(labels);
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
          DemoCommand.nearZeroMark(Metrics.nearZeroGold(measured)));
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
      out.println(DemoCommand.NEAR_ZERO_NOTE);
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

  private static MethodFit.ContentFreeRows contentFreeFit(CalibrationMethod m) {
    return m.fitting(MethodFit.ContentFreeRows.class).orElseThrow();
  }
}
