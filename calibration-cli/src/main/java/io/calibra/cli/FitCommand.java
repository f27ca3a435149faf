package io.calibra.cli;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.MethodSelection;
import io.calibra.calibrate.ScalingFit;
import io.calibra.calibrate.VectorScaling;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.DataFileException;
import io.calibra.io.Provenance;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.DevComparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code calibra fit}: fits a calibrator on a score file and saves it as JSON. */
@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    description = {
      "Fits a calibrator and saves it as JSON.",
      "temperature, vector, matrix, isotonic, histogram-binning, scaling-binning, platt, beta:",
      "fitted on the --input rows that have gold (platt and beta: two labels only).",
      "contextual, contextual-subtractive, domain-context: from the --content-free scores.",
      "leave-one-out: from the --leave-one-out scores of the demonstrations.",
      "batch: from every --input row (no gold needed).",
      "identity: no calibration, over the labels of --input.",
      "auto: k-fold cross-validation of none and every method fitted on gold rows that applies",
      "(and contextual ones with --content-free) on the --input rows with gold; prints the ranking",
      "with each failure and saves the best by NLL, never one worse than none by more than one",
      "standard error.",
      "Contextual methods with an --input that has gold rows print the dev NLL and accuracy before",
      "and after, and warn on standard error when they get worse."
    })
final class FitCommand implements Callable<Integer> {
  @Option(
      names = "--method",
      required = true,
      completionCandidates = MethodNames.class,
      description = "One of: ${COMPLETION-CANDIDATES}.")
  String method;

  /** The names {@code --method} accepts: the registry's stage methods, then {@code auto}. */
  static final class MethodNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
        names.add(m.methodName());
      }
      names.add("auto");
      return names.iterator();
    }
  }

  @Option(
      names = "--scores",
      required = true,
      description = "What the numbers are: prob, logprob or logit.")
  String scores;

  @Option(
      names = "--input",
      description =
          "The score file to fit on (- for standard input); with a contextual method, labelled"
              + " rows to check the fit on.")
  Path input;

  @Option(
      names = "--label",
      description =
          "NAME=WORD|WORD: the label words saved with the calibrator, one option per label in the"
              + " score file's order (the names must match its columns). Default: each name is"
              + " its own word.")
  List<String> labelOptions;

  @Option(
      names = "--content-free",
      description =
          "Scores of the content-free inputs (contextual and domain-context methods), or of the"
              + " inputs sampled from the model (--method generative).")
  Path contentFree;

  @Option(
      names = "--leave-one-out",
      description =
          "Leave-one-out scores of the demonstrations (--method leave-one-out), as written by"
              + " `calibra score --leave-one-out-output`: one row per demonstration, gold = its"
              + " label.")
  Path leaveOneOut;

  @Option(
      names = "--pcf",
      description =
          "How contextual and domain-context calibration estimate p_cf: raw-mass (the reference"
              + " code's rule: mean of the label words' raw probabilities, then normalise; the"
              + " default for --scores logprob) or normalised (normalise each input first; the"
              + " default and only choice for logit and prob).")
  String pcf;

  @Option(
      names = "--lambda",
      converter = OptionValues.Lambda.class,
      description = "L2 strength for vector and matrix scaling (default 0.001).")
  Double lambda;

  @Option(
      names = "--bins",
      converter = OptionValues.Bins.class,
      description =
          "Bins per label for histogram-binning (equal width) and scaling-binning (equal mass);"
              + " default 15.")
  Integer bins;

  @Option(
      names = "--output",
      required = true,
      description = "The model file to write (JSON; - for standard output).")
  Path output;

  @Option(
      names = "--folds",
      defaultValue = "5",
      converter = OptionValues.Folds.class,
      description = "Cross-validation folds for --method auto (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Fold assignment seed for --method auto (default: ${DEFAULT-VALUE}).")
  long seed;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private CommandFiles files;

  @Override
  public Integer call() {
    try (CommandFiles checked =
        CommandFiles.of(spec)
            .input("--input", input)
            .input("--content-free", contentFree)
            .input("--leave-one-out", leaveOneOut)
            .output("--output", output)
            .check()) {
      files = checked;
      return fitAndSave();
    }
  }

  private Integer fitAndSave() {
    ScoreFormat format = parseFormat(scores);
    LabelSet labels = labelOptions == null ? null : LabelOption.parse(labelOptions, true);
    if (bins != null
        && CalibrationMethod.find(method).filter(CalibrationMethod::isBinned).isEmpty()) {
      throw new Main.UsageException(
          "--bins applies to --method histogram-binning and scaling-binning only; found --method "
              + method);
    }
    Calibrator calibrator;
    Provenance provenance;
    if (method.equals("auto")) {
      ScoreRows rows = ScoreRows.read(files.path(require(input, "--input")), format, labels);
      LabelledSet data = rows.labelled(2);
      List<LabelDistribution> cf =
          contentFree == null
              ? null
              : ScoreRows.read(files.path(contentFree), format, rows.labels()).distributions();
      List<MethodSelection.Candidate> candidates =
          MethodSelection.defaultCandidates(rows.labels(), cf);
      MethodSelection.Report report;
      try {
        report = MethodSelection.crossValidate(data, candidates, folds, seed);
      } catch (IllegalArgumentException e) {
        throw new DataFileException(input, 0, 0, e.getMessage(), e);
      }
      // with --output - the model goes to standard output and the ranking to standard error
      java.io.PrintWriter table =
          CommandFiles.isStandard(output)
              ? spec.commandLine().getErr()
              : spec.commandLine().getOut();
      table.print(report.table());
      String best = report.best().name();
      table.println("best: " + best);
      // "none" is added by crossValidate when the candidates lack it: the identity
      calibrator =
          candidates.stream()
              .filter(c -> c.name().equals(best))
              .findFirst()
              .map(c -> c.fit().apply(data))
              .orElseGet(() -> Calibrator.identity(data.labels()));
      provenance = Provenance.now(best, data, null, null);
    } else {
      CalibrationMethod m = parseMethod(method);
      switch (m.fitsOn()) {
        case LABELLED_ROWS -> {
          ScoreRows rows = ScoreRows.read(files.path(require(input, "--input")), format, labels);
          LabelledSet data = rows.labelled(2);
          if (m.isRegularised()) {
            ScalingFit fit =
                m == CalibrationMethod.VECTOR
                    ? VectorScaling.fitWithDiagnostics(
                        data, lambda == null ? VectorScaling.DEFAULT_LAMBDA : lambda)
                    : MatrixScaling.fitWithDiagnostics(
                        data, lambda == null ? MatrixScaling.DEFAULT_LAMBDA : lambda);
            // Never a silent early stop: the model is saved, but the user is told it is off its
            // optimum.
            fit.warning().ifPresent(w -> spec.commandLine().getErr().println("warning: " + w));
            calibrator = fit.calibrator();
          } else {
            try {
              calibrator = bins == null ? m.fit(data) : m.fitWithBins(data, bins);
            } catch (IllegalArgumentException e) {
              throw new DataFileException(input, 0, 0, e.getMessage(), e);
            }
          }
          provenance = Provenance.now(method, data, null, null);
        }
        case CONTENT_FREE_ROWS -> {
          ScoreRows rows =
              ScoreRows.read(files.path(require(contentFree, "--content-free")), format, labels);
          List<LabelDistribution> d = rows.distributions();
          calibrator = PcfOption.fit(m, rows, PcfOption.rule(pcf, format));
          provenance = unlabelledProvenance(d);
          if (input != null) {
            checkOnDev(calibrator, ScoreRows.read(files.path(input), format, rows.labels()));
          }
        }
        case DEMONSTRATIONS -> {
          ScoreRows rows =
              ScoreRows.read(files.path(require(leaveOneOut, "--leave-one-out")), format, labels);
          calibrator = LeaveOneOutFit.fit(rows);
          provenance = unlabelledProvenance(rows.distributions());
          if (input != null) {
            checkOnDev(calibrator, ScoreRows.read(files.path(input), format, rows.labels()));
          }
        }
        case SAMPLED_INPUTS -> {
          // generative: the scores of inputs sampled from the model, in the content-free file
          ScoreRows rows =
              ScoreRows.read(files.path(require(contentFree, "--content-free")), format, labels);
          List<LabelDistribution> d = rows.distributions();
          calibrator = fitUnlabelled(m, rows.labels(), d, contentFree);
          provenance = unlabelledProvenance(d);
          if (input != null) {
            checkOnDev(calibrator, ScoreRows.read(files.path(input), format, rows.labels()));
          }
        }
        default -> {
          // batch (the rows to calibrate) and identity (only the labels) read --input
          ScoreRows rows = ScoreRows.read(files.path(require(input, "--input")), format, labels);
          List<LabelDistribution> d = rows.distributions();
          calibrator = fitUnlabelled(m, rows.labels(), d, input);
          provenance = unlabelledProvenance(d);
        }
      }
    }
    if (CommandFiles.isStandard(output)) {
      spec.commandLine()
          .getOut()
          .print(
              new String(
                  CalibratorFiles.toJson(calibrator, provenance),
                  java.nio.charset.StandardCharsets.UTF_8));
      spec.commandLine().getOut().flush();
    } else {
      CalibratorFiles.save(calibrator, provenance, output);
    }
    spec.commandLine().getErr().println("wrote " + output + ": " + summary(calibrator));
    return Main.OK;
  }

  /** The registered method named {@code name}, or a usage error listing the names. */
  static CalibrationMethod parseMethod(String name) {
    return CalibrationMethod.find(name)
        .filter(CalibrationMethod::isStage)
        .orElseThrow(
            () ->
                new Main.UsageException(
                    "--method "
                        + name
                        + " is unknown; expected one of "
                        + String.join(", ", new MethodNames())));
  }

  private static Calibrator fitUnlabelled(
      CalibrationMethod m, LabelSet labels, List<LabelDistribution> rows, Path file) {
    try {
      return m.fit(labels, rows);
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
  }

  private Provenance unlabelledProvenance(List<LabelDistribution> d) {
    return Provenance.now(
        method,
        d.size(),
        Provenance.sha256(d.stream().map(LabelDistribution::toArray).toList(), null));
  }

  /**
   * One line about a calibrator: its stages, label count and parameter count, and the temperature
   * of a temperature stage (never every parameter: a 2,000-label matrix has 4 million).
   */
  static String summary(Calibrator calibrator) {
    StringBuilder sb = new StringBuilder();
    long parameters = 0;
    for (Calibrator stage : calibrator.stages()) {
      if (sb.length() > 0) {
        sb.append(" then ");
      }
      sb.append(stage.kind());
      for (double[] p : stage.kind().write(stage).values()) {
        parameters += p.length;
      }
      if (stage instanceof Calibrator.Temperature t) {
        sb.append(String.format(java.util.Locale.ROOT, " (T = %.6g)", t.temperature()));
      }
    }
    return sb.append(", ")
        .append(calibrator.labels().size())
        .append(" labels, ")
        .append(parameters)
        .append(parameters == 1 ? " parameter" : " parameters")
        .toString();
  }

  /**
   * Issue 10 item 13: contextual calibration can make a classifier worse; with labelled rows at
   * hand, say so.
   */
  private void checkOnDev(Calibrator calibrator, ScoreRows dev) {
    List<LabelDistribution> d = new ArrayList<>();
    List<Integer> g = new ArrayList<>();
    for (ScoreRow r : dev.rows()) {
      if (r.hasGold()) {
        d.add(r.distribution());
        g.add(r.gold());
      }
    }
    java.io.PrintWriter err = spec.commandLine().getErr();
    if (d.isEmpty()) {
      err.println("no rows with gold in " + input + ": the fit is not checked on labelled rows");
      return;
    }
    int[] gold = g.stream().mapToInt(Integer::intValue).toArray();
    DevComparison check =
        DevComparison.of(
            method, LabelledSet.of(d, gold), LabelledSet.of(calibrator.applyAll(d), gold));
    err.println(check.worse() ? "warning: " + check.warning() : check.summary());
    err.flush();
  }

  static ScoreFormat parseFormat(String text) {
    try {
      return ScoreFormat.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException("--scores: " + e.getMessage());
    }
  }

  private Path require(Path p, String option) {
    if (p == null) {
      throw new Main.UsageException("--method " + method + " needs " + option);
    }
    return p;
  }
}
