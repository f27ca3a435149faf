package io.calibra.cli;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.OptionRules;
import io.calibra.cli.options.OptionValues;
import io.calibra.cli.options.OutputOption;
import io.calibra.cli.options.ScoreFormatOption;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.io.ScoreFormat;
import io.calibra.label.LabelSet;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code calibra fit}: fits a calibrator on a score file and saves it as JSON. */
@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    description = {
      "Fits a calibrator, or a pipeline of them, on score files and saves it as JSON.",
      "A method fits on the --input rows with gold, the --content-free or --leave-one-out scores,"
          + " or every --input row; auto picks one by cross-validation; a list fits a pipeline."
          + " A fit that does not exist on the rows exits 3. See docs/choosing-a-method.md."
    })
final class FitCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description =
          "The score file to fit on, or to check a content-free fit on (- for standard input).")
  Path input;

  @Mixin ScoreFormatOption scores;

  @Option(
      names = "--content-free",
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "Content-free scores (contextual methods), or sampled inputs' (generative).")
  Path contentFree;

  @Option(
      names = "--leave-one-out",
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "Leave-one-out scores of the demonstrations.")
  Path leaveOneOut;

  @Option(
      names = "--label",
      order = HelpSections.INPUT,
      paramLabel = "<name>=<words>",
      description =
          "Label words saved with the calibrator, in the file's label order (default: the names).")
  List<String> labelOptions;

  @Mixin OutputOption output;

  @Option(
      names = "--method",
      required = true,
      order = HelpSections.METHOD,
      paramLabel = "<method>",
      converter = FitMethod.Converter.class,
      completionCandidates = FitMethod.Names.class,
      description = "One of: ${COMPLETION-CANDIDATES}; or a comma-separated list of stages.")
  FitMethod method;

  @Option(
      names = "--pcf",
      order = HelpSections.METHOD,
      paramLabel = "<rule>",
      converter = OptionValues.Pcf.class,
      completionCandidates = OptionValues.PcfNames.class,
      description = "p_cf rule: ${COMPLETION-CANDIDATES} (default: raw-mass for logprob).")
  ContextualCalibration.Rule pcf;

  @Option(
      names = "--lambda",
      order = HelpSections.METHOD,
      paramLabel = "<strength>",
      converter = OptionValues.Lambda.class,
      description = "vector, matrix: L2 strength (default: 0.001).")
  Double lambda;

  @Option(
      names = "--bins",
      order = HelpSections.METHOD,
      paramLabel = "<count>",
      converter = OptionValues.Bins.class,
      description = "Binning methods: bins per label (default: 15).")
  Integer bins;

  @ArgGroup(exclusive = false)
  Odir odir;

  /** Dirichlet calibration's ODIR strengths: both, or neither to choose them by CV. */
  static final class Odir {
    @Option(
        names = "--odir-lambda",
        required = true,
        order = HelpSections.METHOD,
        paramLabel = "<strength>",
        converter = OptionValues.Lambda.class,
        description = "dirichlet: off-diagonal strength (default: by CV).")
    double lambda;

    @Option(
        names = "--odir-mu",
        required = true,
        order = HelpSections.METHOD,
        paramLabel = "<strength>",
        converter = OptionValues.Lambda.class,
        description = "dirichlet: intercept strength, with --odir-lambda.")
    double mu;
  }

  @Option(
      names = "--gamma",
      order = HelpSections.METHOD,
      paramLabel = "<strength>",
      converter = StageFits.GammaConverter.class,
      description = "batch: strength >= 0 or auto (default: 1).")
  StageFits.Gamma gamma;

  @Option(
      names = "--folds",
      defaultValue = "5",
      order = HelpSections.METHOD,
      paramLabel = "<count>",
      converter = OptionValues.Folds.class,
      description = "auto: cross-validation folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(
      names = "--seed",
      defaultValue = "0",
      order = HelpSections.METHOD,
      paramLabel = "<seed>",
      description = "auto: fold seed; prototypical: EM seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--max-iterations",
      defaultValue = "1000",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      converter = OptionValues.Iterations.class,
      description = "L-BFGS iterations, then a warning (default: ${DEFAULT-VALUE}).")
  int maxIterations;

  @Option(
      names = "--time-limit",
      order = HelpSections.ADVANCED,
      paramLabel = "<seconds>",
      converter = OptionValues.TimeLimit.class,
      description = "Seconds a fit may run, then exit 1 (default: none).")
  Double timeLimit;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The checked files of the run in progress. */
  CommandFiles files;

  /** The progress of the run in progress. */
  FitProgress progress;

  @Override
  public Integer call() {
    declare(OptionRules.of(spec)).check();
    try (CommandFiles checked =
        CommandFiles.of(spec)
            .input("--input", input)
            .input("--content-free", contentFree)
            .input("--leave-one-out", leaveOneOut)
            .output("--output", output.output())
            .check()) {
      files = checked;
      progress = FitProgress.of(method.text(), spec.commandLine().getErr(), timeLimit);
      try {
        return fitAndSave();
      } finally {
        progress.finish();
      }
    }
  }

  /** The rules between the method and the options: each method's settings, and its files. */
  private OptionRules declare(OptionRules rules) {
    rules
        .onlyIf(
            method.is(CalibrationMethod.DIRICHLET),
            "--odir-lambda and --odir-mu apply to --method dirichlet only",
            "--odir-lambda",
            "--odir-mu")
        .onlyIf(
            method.is(CalibrationMethod.BATCH), "--gamma applies to --method batch only", "--gamma")
        .onlyIf(
            !method.isPipeline() && !method.isAuto() && method.single().isBinned(),
            "--bins applies to --method histogram-binning and scaling-binning only; found --method "
                + method,
            "--bins");
    PcfOption.declare(rules, pcf, format());
    if (method.isAuto()) {
      return rules.require(input != null, "--method auto needs --input");
    }
    List<CalibrationMethod> stages = method.stages();
    for (int i = 0; i < stages.size(); i++) {
      CalibrationMethod m = stages.get(i);
      String option = inputOption(m);
      boolean given = option == null || given(option) != null;
      rules
          .require(given || method.isPipeline(), "--method " + method + " needs " + option)
          .require(
              given || !method.isPipeline(),
              "--method "
                  + method
                  + ": stage "
                  + (i + 1)
                  + ", "
                  + m
                  + ", needs "
                  + option
                  + (m.needsLabels() ? " (rows with gold)" : ""))
          .require(
              i == 0 || !m.hasPcfRule() || pcf != ContextualCalibration.Rule.RAW_MASS,
              "--pcf raw-mass applies to a first stage only: stage "
                  + (i + 1)
                  + ", "
                  + m
                  + ", is fitted on the probabilities of the stages before it, which have no raw"
                  + " mass; use --pcf normalised");
    }
    return rules;
  }

  /** The score format of every file. */
  ScoreFormat format() {
    return scores.format();
  }

  /** The p_cf rule of a first contextual stage: {@code --pcf}, else the format's default. */
  ContextualCalibration.Rule pcfRule() {
    return PcfOption.rule(pcf, format());
  }

  private Integer fitAndSave() {
    LabelSet labels = labelOptions == null ? null : LabelOption.parse(labelOptions, true);
    StageFits stageFits = new StageFits(this);
    Fitted fitted;
    if (method.isPipeline()) {
      fitted = new PipelineFit(this, stageFits).fit(labels);
    } else if (method.isAuto()) {
      fitted = AutoFit.fit(this, labels);
    } else {
      fitted = SingleFit.fit(this, stageFits, method.single(), labels);
    }
    Path out = output.output();
    if (CommandFiles.isStandard(out)) {
      spec.commandLine()
          .getOut()
          .print(
              new String(
                  CalibratorFiles.toJson(fitted.calibrator(), fitted.provenance()),
                  java.nio.charset.StandardCharsets.UTF_8));
      Main.flushStandardOutput(spec);
    } else {
      CalibratorFiles.save(fitted.calibrator(), fitted.provenance(), out);
    }
    spec.commandLine()
        .getErr()
        .println("wrote " + CommandFiles.outputName(out) + ": " + summary(fitted.calibrator()));
    return Main.OK;
  }

  /** A fitted calibrator and where it came from. */
  record Fitted(Calibrator calibrator, Provenance provenance) {}

  /**
   * The option that gives the rows a stage of {@code m} is fitted on, or null for a method fitted
   * on nothing (identity: the labels of the other stages' files).
   */
  static String inputOption(CalibrationMethod m) {
    return switch (m.fitsOn()) {
      case NOTHING -> null;
      case CONTENT_FREE_ROWS, SAMPLED_INPUTS -> "--content-free";
      case DEMONSTRATIONS -> "--leave-one-out";
      default -> "--input";
    };
  }

  /** The file given with {@code option} (one of {@link #inputOption}'s), or null. */
  Path given(String option) {
    return switch (option) {
      case "--content-free" -> contentFree;
      case "--leave-one-out" -> leaveOneOut;
      default -> input;
    };
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
        .append(io.calibra.cli.output.Counts.of(parameters, "parameter"))
        .toString();
  }
}
