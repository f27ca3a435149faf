package io.calibra.cli.demo;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.MethodSelection;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.cli.options.EmbeddedModel;
import io.calibra.cli.output.HtmlReport;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's 8-bit against 32-bit study: one task (data, labels, zero- or few-shot) scored by the
 * fp32 and the int8 MiniLM, each measured raw and after contextual, temperature and automatically
 * chosen calibration, printed side by side.
 */
final class QuantizationStudy {
  /**
   * Folds of the cross-validation that picks the automatic method (as {@code fit --method auto}).
   */
  static final int AUTO_FOLDS = 5;

  /**
   * A classification task: its labels, dev rows for fitting and test rows for measuring, and for a
   * few-shot task the examples of each label (empty for zero-shot).
   */
  record Task(
      String name,
      LabelSet labels,
      DemoData.Split dev,
      DemoData.Split test,
      Map<String, List<String>> fewShot) {

    /**
     * The labels as a zero-shot encoder scores them: zero-shot, the labels themselves (their words
     * describe them); few-shot, each label with its examples as its words. The encoder's prototype
     * of a label is the normalised mean embedding of its words, so the second is the few-shot
     * classifier of {@code OnnxScorers.encoder(...).fewShot(examples)}.
     *
     * @throws IllegalArgumentException if a label has no examples in a few-shot task
     */
    LabelSet prototypes() {
      if (fewShot.isEmpty()) {
        return labels;
      }
      LabelSet.Builder b = LabelSet.builder();
      for (String name : labels.names()) {
        List<String> examples = fewShot.get(name);
        if (examples == null || examples.isEmpty()) {
          throw new IllegalArgumentException(
              "no few-shot examples for label '"
                  + name
                  + "'; found examples for "
                  + fewShot.keySet());
        }
        b.add(name, examples.toArray(String[]::new));
      }
      return b.build();
    }
  }

  /** One model's label distributions for a task's dev, test and content-free inputs. */
  record Scored(
      List<LabelDistribution> dev,
      List<LabelDistribution> test,
      List<LabelDistribution> contentFree) {}

  /** One method's test metrics. */
  record Outcome(String method, CalibrationMetrics metrics, String failure) {
    /** A method that was fitted and measured. */
    Outcome(String method, CalibrationMetrics metrics) {
      this(method, metrics, null);
    }
  }

  /** One model's results on a task: p_cf, and raw, contextual, temperature and auto outcomes. */
  record Result(LabelDistribution pcf, List<Outcome> outcomes, String autoChoice) {}

  /** The automatic choice: the winning candidate's name and its calibrator fitted on all of dev. */
  record Auto(String choice, Calibrator calibrator) {}

  private QuantizationStudy() {}

  /**
   * As {@code fit --method auto}: ranks {@link MethodSelection#defaultCandidates} (raw rows, not
   * calibrated ones) by {@value #AUTO_FOLDS}-fold cross-validation on {@code dev}, then fits the
   * best on all of {@code dev}.
   */
  static Auto auto(
      LabelSet labels, LabelledSet dev, List<LabelDistribution> contentFree, long seed) {
    MethodSelection.Selection s =
        MethodSelection.select(
            dev, MethodSelection.defaultCandidates(labels, contentFree), AUTO_FOLDS, seed);
    return new Auto(s.chosen(), s.calibrator());
  }

  static List<LabelDistribution> distributions(List<LabelScores> scores) {
    List<LabelDistribution> out = new ArrayList<>(scores.size());
    for (LabelScores s : scores) {
      out.add(s.toDistribution());
    }
    return out;
  }

  /**
   * Measures raw scores and the calibrators fitted on the task's dev rows (contextual on the
   * content-free inputs; temperature on dev; auto: the best of {@link
   * MethodSelection#defaultCandidates} by {@value #AUTO_FOLDS}-fold cross-validation on dev,
   * refitted on all of dev) on its test rows.
   */
  static Result evaluate(Task task, Scored s, long seed) {
    LabelledSet dev = LabelledSet.of(s.dev(), task.dev().gold());
    Calibrator contextual = ContextualCalibration.fit(s.contentFree());
    Calibrator temperature;
    String temperatureFailure = null;
    try {
      temperature = TemperatureScaling.fit(dev);
    } catch (IllegalArgumentException e) {
      // a small dev set the model gets all right has no temperature fit: shown as not fitted
      temperature = null;
      temperatureFailure = e.getMessage();
    }
    Auto chosen = auto(task.labels(), dev, s.contentFree(), seed);
    Calibrator auto = chosen.calibrator();
    String best = chosen.choice();
    List<Outcome> outcomes = new ArrayList<>();
    outcomes.add(new Outcome("raw", measure(task, s.test())));
    outcomes.add(new Outcome("contextual", measure(task, contextual.applyAll(s.test()))));
    outcomes.add(
        temperature == null
            ? new Outcome("temperature (dev)", null, temperatureFailure)
            : new Outcome("temperature (dev)", measure(task, temperature.applyAll(s.test()))));
    outcomes.add(new Outcome("auto (dev)", measure(task, auto.applyAll(s.test()))));
    return new Result(ContextualCalibration.estimateBias(s.contentFree()), outcomes, best);
  }

  /**
   * The 8-bit against 32-bit study of {@code tasks}: the scores of the demo's model ({@code known},
   * in task order) beside those of {@link DemoModels#other}, which scores the texts once; printed
   * to {@code out} and returned as the report's tables. Tasks in one {@code groups} entry share
   * their texts and are scored together ({@link SharedScoring}).
   */
  static List<HtmlReport.Table> compare(
      PrintWriter out,
      EmbeddedModel model,
      List<List<Task>> groups,
      List<Scored> known,
      long seed) {
    EmbeddedModel other = DemoModels.other(model);
    out.printf(
        Locale.ROOT,
        "%n8-bit against 32-bit: all-MiniLM-L6-v2 fp32 (batched) and int8 (each prompt on its"
            + " own)%n");
    List<Task> tasks = new ArrayList<>();
    List<Scored> others = new ArrayList<>();
    try (Scorer scorer = DemoModels.encoder(other)) {
      for (List<Task> group : groups) {
        tasks.addAll(group);
        String what = DemoModels.precision(other) + " " + group.get(0).name();
        others.addAll(SharedScoring.score(scorer, group, what));
      }
    }
    boolean mainIsInt8 = model == EmbeddedModel.MINILM_INT8;
    List<HtmlReport.Table> tables = new ArrayList<>();
    for (int t = 0; t < tasks.size(); t++) {
      Task task = tasks.get(t);
      Scored fp32 = mainIsInt8 ? others.get(t) : known.get(t);
      Scored int8 = mainIsInt8 ? known.get(t) : others.get(t);
      Result a = evaluate(task, fp32, seed);
      Result b = evaluate(task, int8, seed);
      double[] agreement = agreement(fp32, int8);
      print(out, task, a, b, agreement);
      tables.add(table(task, a, b, agreement));
    }
    return tables;
  }

  private static CalibrationMetrics measure(Task task, List<LabelDistribution> test) {
    return Metrics.evaluate(LabelledSet.of(test, task.test().gold()));
  }

  /** A distribution as {@code 0.362|0.638}. */
  static String format(LabelDistribution d) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < d.size(); k++) {
      if (k > 0) {
        sb.append('|');
      }
      sb.append(String.format(Locale.ROOT, "%.3f", d.probability(k)));
    }
    return sb.toString();
  }

  /** Share of test rows where both models predict the same label, and the mean total variation. */
  static double[] agreement(Scored fp32, Scored int8) {
    int same = 0;
    double tv = 0;
    int n = fp32.test().size();
    for (int i = 0; i < n; i++) {
      LabelDistribution a = fp32.test().get(i);
      LabelDistribution b = int8.test().get(i);
      if (a.argmax() == b.argmax()) {
        same++;
      }
      double sum = 0;
      for (int k = 0; k < a.size(); k++) {
        sum += Math.abs(a.probability(k) - b.probability(k));
      }
      tv += sum / 2;
    }
    return new double[] {(double) same / n, tv / n};
  }

  /** Prints one task's fp32 and int8 results side by side. */
  static void print(PrintWriter out, Task task, Result fp32, Result int8, double[] agreement) {
    out.printf(
        Locale.ROOT,
        "%n%s, fp32 against int8: %d test rows, %d dev rows%n",
        task.name(),
        task.test().size(),
        task.dev().size());
    out.printf(
        Locale.ROOT,
        "%-20s  %8s %7s %7s   %8s %7s %7s%n",
        "method",
        "fp32 acc",
        "ECE",
        "NLL",
        "int8 acc",
        "ECE",
        "NLL");
    for (int m = 0; m < fp32.outcomes().size(); m++) {
      out.printf(
          Locale.ROOT,
          "%-20s  %s   %s%n",
          fp32.outcomes().get(m).method(),
          cells(fp32.outcomes().get(m).metrics()),
          cells(int8.outcomes().get(m).metrics()));
    }
    for (Result r : List.of(fp32, int8)) {
      for (Outcome o : r.outcomes()) {
        if (o.failure() != null) {
          out.printf(
              Locale.ROOT,
              "(%s, %s: not fitted: %s)%n",
              o.method(),
              r == fp32 ? "fp32" : "int8",
              o.failure());
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "auto picked: fp32 %s, int8 %s%n"
            + "content-free p_cf (%s): fp32 %s, int8 %s%n"
            + "int8 predicts the fp32 label on %.1f%% of test rows; mean total variation %.4f%n",
        fp32.autoChoice(),
        int8.autoChoice(),
        String.join("|", task.labels().names()),
        format(fp32.pcf()),
        format(int8.pcf()),
        100 * agreement[0],
        agreement[1]);
  }

  /** Accuracy, ECE and NLL in the table's columns, or "no fit" for a method that was not fitted. */
  private static String cells(CalibrationMetrics x) {
    return x == null
        ? String.format(Locale.ROOT, "%8s %7s %7s", "no fit", "-", "-")
        : String.format(Locale.ROOT, "%8.4f %7.4f %7.4f", x.accuracy(), x.ece(), x.nll());
  }

  /** The same results as an HTML table. */
  static HtmlReport.Table table(Task task, Result fp32, Result int8, double[] agreement) {
    List<List<String>> rows = new ArrayList<>();
    for (int m = 0; m < fp32.outcomes().size(); m++) {
      List<String> row = new ArrayList<>();
      row.add(fp32.outcomes().get(m).method());
      for (Result r : List.of(fp32, int8)) {
        CalibrationMetrics x = r.outcomes().get(m).metrics();
        if (x == null) {
          row.addAll(List.of("not fitted", "", ""));
          continue;
        }
        row.add(String.format(Locale.ROOT, "%.4f", x.accuracy()));
        row.add(String.format(Locale.ROOT, "%.4f", x.ece()));
        row.add(String.format(Locale.ROOT, "%.4f", x.nll()));
      }
      rows.add(row);
    }
    String note =
        String.format(
            Locale.ROOT,
            "%d test rows, %d dev rows. Content-free p_cf (%s): fp32 %s, int8 %s. Auto picked: fp32"
                + " %s, int8 %s. int8 predicts the fp32 label on %.1f%% of test rows; mean total"
                + " variation %.4f.",
            task.test().size(),
            task.dev().size(),
            String.join("|", task.labels().names()),
            format(fp32.pcf()),
            format(int8.pcf()),
            fp32.autoChoice(),
            int8.autoChoice(),
            100 * agreement[0],
            agreement[1]);
    return new HtmlReport.Table(
        task.name() + ": fp32 against int8",
        note,
        List.of(
            "method",
            "fp32 accuracy",
            "fp32 ECE",
            "fp32 NLL",
            "int8 accuracy",
            "int8 ECE",
            "int8 NLL"),
        rows);
  }
}
