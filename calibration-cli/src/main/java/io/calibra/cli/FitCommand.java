package io.calibra.cli;

import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.DirichletCalibration;
import io.calibra.calibrate.FitControl;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.MethodSelection;
import io.calibra.calibrate.PrototypicalCalibration;
import io.calibra.calibrate.ScalingFit;
import io.calibra.calibrate.VectorScaling;
import io.calibra.cli.options.OptionValues;
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
      "Fits a calibrator, or a pipeline of them, on score files and saves it as JSON.",
      "temperature, vector, matrix, dirichlet, isotonic, histogram-binning, scaling-binning, platt,",
      "beta: fitted on the --input rows that have gold (platt and beta: two labels only; dirichlet:",
      "ODIR strengths from --odir-lambda and --odir-mu, else chosen by 3-fold cross-validation).",
      "contextual, contextual-subtractive, domain-context: from the --content-free scores.",
      "leave-one-out: from the --leave-one-out scores of the demonstrations.",
      "batch: from every --input row (no gold needed); --gamma sets the strength, --gamma auto",
      "chooses it by the NLL of the --input rows that have gold.",
      "prototypical: a Gaussian mixture fitted by EM (seeded by --seed) on every --input row.",
      "identity: no calibration, over the labels of --input.",
      "auto: k-fold cross-validation of none and every method that applies (fitted on gold rows,",
      "prototypical, and contextual ones with --content-free: by both p_cf rules with --scores",
      "logprob, or the one --pcf names) on the --input rows with gold; prints the ranking with each",
      "failure and saves the best by NLL, never one worse than none by more than one standard error,",
      "nor one whose fit failed in a fold, was skipped (more parameters than the training folds'",
      "rows) or gave held-out gold labels p < 1e-6 more often than none; with fewer than 30 dev",
      "rows of some label it keeps none unless a candidate is better by two standard errors and",
      "cannot output probabilities of exactly 0 or 1.",
      "Fitted methods refuse rows on which their maximum-likelihood fit does not exist (such as",
      "separable rows, every gold label on top) in one line, exit 3; see docs/choosing-a-method.md.",
      "Contextual methods with an --input that has gold rows print the dev NLL and accuracy before",
      "and after, and warn on standard error when they get worse.",
      "A comma-separated list (--method contextual,temperature) fits a pipeline in one command:",
      "each stage is fitted, in order, on its own inputs as above after the earlier stages have",
      "calibrated them, and the stages are saved as one calibrator that `calibra calibrate`",
      "applies. A later contextual stage estimates p_cf from probabilities (--pcf normalised)."
    })
final class FitCommand implements Callable<Integer> {
  @Option(
      names = "--method",
      required = true,
      completionCandidates = MethodNames.class,
      description =
          "One of: ${COMPLETION-CANDIDATES}; or a comma-separated list of the stage methods"
              + " (all but auto), fitted in order as one pipeline.")
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
      description =
          "Fold assignment seed for --method auto, EM start seed for --method prototypical"
              + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--odir-lambda",
      converter = OptionValues.Lambda.class,
      description =
          "ODIR off-diagonal strength for --method dirichlet (with --odir-mu; default: both chosen"
              + " by cross-validation).")
  Double odirLambda;

  @Option(
      names = "--odir-mu",
      converter = OptionValues.Lambda.class,
      description = "ODIR intercept strength for --method dirichlet (with --odir-lambda).")
  Double odirMu;

  @Option(
      names = "--gamma",
      description =
          "Strength of --method batch, a finite value >= 0 (default 1), or auto: chosen from 0,"
              + " 0.05, ..., 2 by the NLL of the --input rows that have gold.")
  String gamma;

  @Option(
      names = "--max-iterations",
      defaultValue = "1000",
      converter = OptionValues.Iterations.class,
      description =
          "L-BFGS iterations of each optimisation of vector, matrix and dirichlet (default:"
              + " ${DEFAULT-VALUE}); a fit that reaches them is saved with a warning that it stopped"
              + " short of its optimum.")
  int maxIterations;

  @Option(
      names = "--time-limit",
      converter = OptionValues.TimeLimit.class,
      description =
          "Seconds a fit may run (vector, matrix, dirichlet and auto); past them it stops with"
              + " one line and exit 1, writing nothing. Default: no limit. Fits over 2 s show"
              + " progress on standard error.")
  Double timeLimit;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private CommandFiles files;

  private FitProgress progress;

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
      progress = FitProgress.of(method, spec.commandLine().getErr(), timeLimit);
      try {
        return fitAndSave();
      } finally {
        progress.finish();
      }
    }
  }

  /**
   * The candidates of {@code --method auto}: with content-free log-probabilities, contextual
   * calibration by both p_cf rules (or the one {@code --pcf} names); otherwise by the normalised
   * rule.
   */
  private List<MethodSelection.Candidate> autoCandidates(ScoreRows rows, ScoreFormat format) {
    ContextualCalibration.Rule only = pcf == null ? null : PcfOption.rule(pcf, format);
    if (contentFree == null) {
      return MethodSelection.defaultCandidates(rows.labels(), null);
    }
    ScoreRows cf = ScoreRows.read(files.path(contentFree), format, rows.labels());
    if (format != ScoreFormat.LOGPROB) {
      return MethodSelection.defaultCandidates(rows.labels(), cf.distributions());
    }
    List<MethodSelection.Candidate> all;
    try {
      all =
          MethodSelection.defaultCandidatesFromScores(
              rows.labels(), PcfOption.logProbabilities(cf));
    } catch (IllegalArgumentException e) {
      throw new DataFileException(cf.file(), 0, 0, e.getMessage(), e);
    }
    if (only == null) {
      return all;
    }
    String other =
        "/"
            + (only == ContextualCalibration.Rule.RAW_MASS
                    ? ContextualCalibration.Rule.NORMALISED
                    : ContextualCalibration.Rule.RAW_MASS)
                .id();
    return all.stream().filter(c -> !c.name().contains(other)).toList();
  }

  private Integer fitAndSave() {
    if ((odirLambda != null || odirMu != null) && !method.equals("dirichlet")) {
      throw new Main.UsageException("--odir-lambda and --odir-mu apply to --method dirichlet only");
    }
    if ((odirLambda == null) != (odirMu == null)) {
      throw new Main.UsageException(
          "--odir-lambda and --odir-mu go together: give both, or neither to choose them by"
              + " cross-validation");
    }
    if (gamma != null && !method.equals("batch")) {
      throw new Main.UsageException("--gamma applies to --method batch only");
    }
    Double gammaValue = gamma == null || gamma.equals("auto") ? null : parseGamma(gamma);
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
    if (method.contains(",")) {
      Fitted fitted = fitPipeline(parseMethods(method), format, labels);
      calibrator = fitted.calibrator();
      provenance = fitted.provenance();
    } else if (method.equals("auto")) {
      ScoreRows rows = ScoreRows.read(files.path(require(input, "--input")), format, labels);
      LabelledSet data = rows.labelled(2);
      List<MethodSelection.Candidate> candidates = autoCandidates(rows, format);
      MethodSelection.Selection selection;
      try {
        selection = MethodSelection.select(data, candidates, folds, seed, progress);
      } catch (IllegalArgumentException e) {
        throw new DataFileException(input, 0, 0, e.getMessage(), e);
      }
      progress.finish();
      MethodSelection.Report report = selection.report();
      // with --output - the model goes to standard output and the ranking to standard error
      java.io.PrintWriter table =
          CommandFiles.isStandard(output)
              ? spec.commandLine().getErr()
              : spec.commandLine().getOut();
      table.print(report.table());
      String best = selection.chosen();
      table.println(
          "best: "
              + best
              + (best.equals(report.best().name())
                  ? ""
                  : " (" + report.best().name() + " could not be fitted on all rows)"));
      calibrator = selection.calibrator();
      provenance = Provenance.now(best, data, null, null);
    } else {
      CalibrationMethod m = parseMethod(method);
      switch (m.fitsOn()) {
        case LABELLED_ROWS -> {
          ScoreRows rows = ScoreRows.read(files.path(require(input, "--input")), format, labels);
          LabelledSet data = rows.labelled(2);
          calibrator = fitLabelled(m, data, rows.file());
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
          // batch and prototypical (the rows to calibrate) and identity (only the labels) read
          // --input
          ScoreRows rows = ScoreRows.read(files.path(require(input, "--input")), format, labels);
          List<LabelDistribution> d = rows.distributions();
          if (m == CalibrationMethod.PROTOTYPICAL) {
            calibrator = fitOrDataError(() -> PrototypicalCalibration.fit(d, seed), input);
          } else if (m == CalibrationMethod.BATCH && gamma != null) {
            calibrator = fitBatch(rows, d, gammaValue);
          } else {
            calibrator = fitUnlabelled(m, rows.labels(), d, input);
          }
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
      Main.flushStandardOutput(spec);
    } else {
      CalibratorFiles.save(calibrator, provenance, output);
    }
    spec.commandLine().getErr().println("wrote " + output + ": " + summary(calibrator));
    return Main.OK;
  }

  /** A fitted calibrator and where it came from. */
  private record Fitted(Calibrator calibrator, Provenance provenance) {}

  /**
   * The stage methods of a comma-separated {@code --method} list, looked up in the registry, in
   * order.
   *
   * @throws Main.UsageException for an empty, unknown or repeated name, or {@code auto}
   */
  static List<CalibrationMethod> parseMethods(String list) {
    List<CalibrationMethod> methods = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty()) {
        throw new Main.UsageException(
            "--method "
                + list
                + " has an empty method name; expected names separated by single commas, such as"
                + " contextual,temperature");
      }
      if (name.equals("auto")) {
        throw new Main.UsageException(
            "--method "
                + list
                + ": auto cannot be a pipeline stage (it picks one method by cross-validation);"
                + " give auto alone or list the stages");
      }
      CalibrationMethod m =
          CalibrationMethod.find(name)
              .filter(CalibrationMethod::isStage)
              .orElseThrow(
                  () ->
                      new Main.UsageException(
                          "--method "
                              + list
                              + ": '"
                              + name
                              + "' is unknown; expected one of "
                              + CalibrationMethod.names(CalibrationMethod.stageMethods())));
      if (methods.contains(m)) {
        throw new Main.UsageException(
            "--method " + list + ": " + name + " is given twice; each method is one stage");
      }
      methods.add(m);
    }
    return methods;
  }

  /**
   * The option that gives the rows a stage of {@code m} is fitted on, or null for a method fitted
   * on nothing (identity: the labels of the other stages' files).
   */
  private static String inputOption(CalibrationMethod m) {
    return switch (m.fitsOn()) {
      case NOTHING -> null;
      case CONTENT_FREE_ROWS, SAMPLED_INPUTS -> "--content-free";
      case DEMONSTRATIONS -> "--leave-one-out";
      default -> "--input";
    };
  }

  private Path given(String option) {
    return switch (option) {
      case "--content-free" -> contentFree;
      case "--leave-one-out" -> leaveOneOut;
      default -> input;
    };
  }

  /**
   * Fits the stages in order, each on its own rows calibrated by the stages before it, and returns
   * them as one pipeline. Every stage's file is checked to be given before anything is read.
   */
  private Fitted fitPipeline(List<CalibrationMethod> methods, ScoreFormat format, LabelSet labels) {
    for (int i = 0; i < methods.size(); i++) {
      CalibrationMethod m = methods.get(i);
      String option = inputOption(m);
      if (option != null && given(option) == null) {
        throw new Main.UsageException(
            "--method "
                + method
                + ": stage "
                + (i + 1)
                + ", "
                + m
                + ", needs "
                + option
                + (m.needsLabels() ? " (rows with gold)" : ""));
      }
      if (i > 0
          && m.hasPcfRule()
          && pcf != null
          && PcfOption.rule(pcf, format) == ContextualCalibration.Rule.RAW_MASS) {
        throw new Main.UsageException(
            "--pcf raw-mass applies to a first stage only: stage "
                + (i + 1)
                + ", "
                + m
                + ", is fitted on the probabilities of the stages before it, which have no raw"
                + " mass; use --pcf normalised");
      }
    }
    // each file read once, all over the same labels
    java.util.Map<String, ScoreRows> read = new java.util.HashMap<>();
    LabelSet common = labels;
    for (CalibrationMethod m : methods) {
      String option = inputOption(m);
      if (option != null && !read.containsKey(option)) {
        ScoreRows rows = ScoreRows.read(files.path(given(option)), format, common);
        common = rows.labels();
        read.put(option, rows);
      }
    }
    Calibrator fitted = null;
    List<double[]> fittingRows = new ArrayList<>();
    List<Integer> fittingGold = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      CalibrationMethod m = methods.get(i);
      Calibrator before = fitted;
      if (m.fitsOn() == CalibrationMethod.FitsOn.NOTHING) {
        Calibrator stage = m.fit(common, List.of());
        fitted = before == null ? stage : before.andThen(stage);
        continue;
      }
      ScoreRows rows = read.get(inputOption(m));
      java.util.function.UnaryOperator<LabelDistribution> calibrated =
          before == null ? d -> d : before::apply;
      Calibrator stage;
      switch (m.fitsOn()) {
        case LABELLED_ROWS -> {
          LabelledSet raw = rows.labelled(2);
          LabelledSet data =
              LabelledSet.of(
                  raw.distributions().stream().map(calibrated).toList(), raw.goldArray());
          addFittingRows(data.distributions(), data.goldArray(), fittingRows, fittingGold);
          stage = fitLabelled(m, data, rows.file());
        }
        case CONTENT_FREE_ROWS -> {
          List<LabelDistribution> d = rows.distributions().stream().map(calibrated).toList();
          addFittingRows(d, null, fittingRows, fittingGold);
          stage =
              before == null
                  ? PcfOption.fit(m, rows, PcfOption.rule(pcf, format))
                  : PcfOption.fitNormalised(m, rows.labels(), d, rows.file());
        }
        case DEMONSTRATIONS -> {
          stage = LeaveOneOutFit.fit(rows, calibrated);
          List<LabelDistribution> d = rows.distributions().stream().map(calibrated).toList();
          addFittingRows(d, null, fittingRows, fittingGold);
        }
        default -> {
          // generative (sampled inputs), batch (the rows to calibrate)
          List<LabelDistribution> d = rows.distributions().stream().map(calibrated).toList();
          addFittingRows(d, null, fittingRows, fittingGold);
          stage = fitUnlabelled(m, rows.labels(), d, rows.file());
        }
      }
      fitted = before == null ? stage : before.andThen(stage);
    }
    if (input != null && !read.containsKey("--input")) {
      checkOnDev(fitted, ScoreRows.read(files.path(input), format, common));
    }
    int[] gold = fittingGold.stream().mapToInt(Integer::intValue).toArray();
    Provenance provenance =
        Provenance.now(
            methods.stream()
                .map(CalibrationMethod::methodName)
                .collect(java.util.stream.Collectors.joining("+")),
            fittingRows.size(),
            Provenance.sha256(fittingRows, gold));
    return new Fitted(fitted, provenance);
  }

  /** Adds a stage's fitting rows (and gold, -1 for none) to the pipeline's provenance data. */
  private static void addFittingRows(
      List<LabelDistribution> d, int[] gold, List<double[]> rows, List<Integer> golds) {
    for (int i = 0; i < d.size(); i++) {
      rows.add(d.get(i).toArray());
      golds.add(gold == null ? -1 : gold[i]);
    }
  }

  /**
   * Fits a method on labelled rows; vector and matrix scaling with {@code --lambda}, warning on
   * standard error when the optimiser stopped early.
   */
  private Calibrator fitLabelled(CalibrationMethod m, LabelledSet data, Path file) {
    try {
      if (m.isRegularised()) {
        ScalingFit fit =
            m == CalibrationMethod.VECTOR
                ? VectorScaling.fitWithDiagnostics(
                    data, lambda == null ? VectorScaling.DEFAULT_LAMBDA : lambda, control())
                : MatrixScaling.fitWithDiagnostics(
                    data, lambda == null ? MatrixScaling.DEFAULT_LAMBDA : lambda, control());
        progress.finish();
        // Never a silent early stop: the model is saved, but the user is told it is off its
        // optimum.
        fit.warning().ifPresent(w -> spec.commandLine().getErr().println("warning: " + w));
        return fit.calibrator();
      }
      if (m == CalibrationMethod.DIRICHLET) {
        return fitDirichlet(data);
      }
      return bins == null ? m.fit(data) : m.fitWithBins(data, bins);
    } catch (DataFileException e) {
      throw e; // already names the file
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
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

  /** {@code --gamma}: a finite value >= 0 (up to {@link Calibrator#MAX_PARAMETER_MAGNITUDE}). */
  private static double parseGamma(String text) {
    String t = text.trim();
    if (!io.calibra.io.ScoreFileReader.isDecimal(t)) {
      throw new Main.UsageException(
          "--gamma is '" + text + "'; expected a decimal number >= 0 or auto");
    }
    double v = Double.parseDouble(t);
    if (!(v >= 0 && v <= Calibrator.MAX_PARAMETER_MAGNITUDE)) {
      throw new Main.UsageException(
          "--gamma is " + text + "; expected a finite value >= 0 (at most 1e300) or auto");
    }
    return v;
  }

  /** Batch calibration with a given strength, or (null) one chosen on the rows with gold. */
  private Calibrator fitBatch(ScoreRows rows, List<LabelDistribution> d, Double strength) {
    if (strength != null) {
      return fitOrDataError(() -> BatchCalibration.fit(d, strength), input);
    }
    List<LabelDistribution> labelled = new ArrayList<>();
    List<Integer> gold = new ArrayList<>();
    for (ScoreRow r : rows.rows()) {
      if (r.hasGold()) {
        labelled.add(r.distribution());
        gold.add(r.gold());
      }
    }
    if (labelled.isEmpty()) {
      throw new DataFileException(
          input, 0, 0, "no rows with gold; --gamma auto chooses gamma on labelled rows");
    }
    Calibrator c =
        fitOrDataError(
            () ->
                BatchCalibration.fit(
                    d,
                    LabelledSet.of(labelled, gold.stream().mapToInt(Integer::intValue).toArray())),
            input);
    spec.commandLine()
        .getErr()
        .println(
            String.format(
                java.util.Locale.ROOT,
                "batch: gamma = %s chosen by the NLL of %d rows with gold",
                ((Calibrator.BiasCorrection) c).strength(),
                labelled.size()));
    return c;
  }

  /** Dirichlet calibration with the given ODIR strengths, or ones chosen by cross-validation. */
  private Calibrator fitDirichlet(LabelledSet data) {
    double l;
    double mu;
    if (odirLambda != null) {
      l = odirLambda;
      mu = odirMu;
    } else {
      DirichletCalibration.Odir odir =
          fitOrDataError(
              () ->
                  DirichletCalibration.chooseOdir(
                      data, DirichletCalibration.FOLDS, DirichletCalibration.SEED, control()),
              input);
      progress.finish();
      l = odir.lambda();
      mu = odir.mu();
      spec.commandLine()
          .getErr()
          .println(
              String.format(
                  java.util.Locale.ROOT,
                  "dirichlet: lambda = %s, mu = %s chosen by %d-fold cross-validation"
                      + " (out-of-fold NLL %.6f)",
                  l,
                  mu,
                  DirichletCalibration.FOLDS,
                  odir.nll()));
    }
    ScalingFit fit = DirichletCalibration.fitWithDiagnostics(data, l, mu, control());
    progress.finish();
    fit.warning().ifPresent(w -> spec.commandLine().getErr().println("warning: " + w));
    return fit.calibrator();
  }

  /** The iteration budget and the progress of {@code --max-iterations} and {@code --time-limit}. */
  private FitControl control() {
    return new FitControl(maxIterations, progress);
  }

  private static <T> T fitOrDataError(java.util.function.Supplier<T> fit, Path file) {
    try {
      return fit.get();
    } catch (DataFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
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

  /** Contextual calibration can make a classifier worse; with labelled rows at hand, say so. */
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
