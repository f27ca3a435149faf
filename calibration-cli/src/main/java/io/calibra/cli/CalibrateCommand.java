package io.calibra.cli;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.MethodFit;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.OldNames;
import io.calibra.cli.options.OptionRules;
import io.calibra.cli.options.OptionValues;
import io.calibra.cli.options.OutputOption;
import io.calibra.cli.options.ScoreInputOptions;
import io.calibra.cli.output.Counts;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFileWriter;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code calibra calibrate}: applies a saved (or one-step contextual) calibrator to a score file.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = {
      "Applies a calibrator to every row of a score file and writes the calibrated probabilities.",
      "Streams the rows and writes id, gold, each label's calibrated probability at full double",
      "precision, and the prediction."
    })
final class CalibrateCommand implements Callable<Integer>, OldNames {
  @Mixin ScoreInputOptions input;

  @Mixin OutputOption output;

  @Option(
      names = {"--calibrator", "--model"},
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "A saved calibrator, as written by `calibra fit` (- for standard input).")
  Path calibratorFile;

  /** Instead of a saved calibrator, a contextual one fitted here in one step. */
  @ArgGroup(exclusive = false)
  OneStep oneStep;

  /** A method fitted on content-free scores in one step, instead of a saved calibrator. */
  static final class OneStep {
    @Option(
        names = "--method",
        required = true,
        order = HelpSections.METHOD,
        paramLabel = "<method>",
        converter = OneStepMethod.class,
        completionCandidates = io.calibra.cli.options.Methods.ContentFreeNames.class,
        description =
            "Instead of --calibrator, fitted on --content-free: ${COMPLETION-CANDIDATES}.")
    MethodFit.ContentFreeRows method;

    @Option(
        names = "--content-free",
        required = true,
        order = HelpSections.METHOD,
        paramLabel = "<file>",
        description = "With --method: the scores of the content-free inputs.")
    Path contentFree;
  }

  @Option(
      names = "--pcf",
      order = HelpSections.METHOD,
      paramLabel = "<rule>",
      converter = OptionValues.Pcf.class,
      completionCandidates = OptionValues.PcfNames.class,
      description =
          "With --method: how p_cf is estimated, ${COMPLETION-CANDIDATES} (default: raw-mass"
              + " for --scores logprob, else normalised).")
  ContextualCalibration.Rule pcf;

  /** A method fitted on content-free rows alone, the only ones fitted in one step. */
  static final class OneStepMethod implements ITypeConverter<MethodFit.ContentFreeRows> {
    @Override
    public MethodFit.ContentFreeRows convert(String name) {
      CalibrationMethod m = new io.calibra.cli.options.Methods.Stage().convert(name);
      if (!(m.fitting() instanceof MethodFit.ContentFreeRows fit)) {
        throw new TypeConversionException(
            "--method "
                + m
                + " cannot be fitted in one step; expected one of "
                + String.join(", ", new io.calibra.cli.options.Methods.ContentFreeNames())
                + " (use `calibra fit` for the others)");
      }
      return fit;
    }
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Map<String, String> oldNames() {
    return Map.of("--model", "--calibrator");
  }

  @Override
  public Integer call() {
    PcfOption.declare(OptionRules.of(spec), pcf, input.format())
        .require(
            (calibratorFile == null) != (oneStep == null),
            "give either --calibrator or --method (with --content-free)")
        .onlyIf(
            oneStep != null,
            "--pcf applies to --method; a --calibrator keeps the p_cf it was fitted with",
            "--pcf")
        .check();
    try (CommandFiles files =
        CommandFiles.of(spec)
            .streamedInput("--input", input.input())
            .streamedInput(OldNames.nameUsed(spec, "--calibrator", this), calibratorFile)
            .streamedInput("--content-free", oneStep == null ? null : oneStep.contentFree)
            .output("--output", output.output())
            .check()) {
      return calibrate(files);
    }
  }

  private Integer calibrate(CommandFiles files) {
    ScoreFormat format = input.format();
    Calibrator calibrator = calibrator(format, files);
    Path in = input.input();
    Path out = output.output();
    long rows = 0;
    try (ScoreFileReader reader =
            ScoreFileReader.open(
                files.open(in), CommandFiles.name(in), format, calibrator.labels());
        ScoreFileWriter writer =
            CommandFiles.isStandard(out)
                ? ScoreFileWriter.create(
                    spec.commandLine().getOut(),
                    "standard output",
                    calibrator.labels(),
                    reader.hasId(),
                    reader.hasGold(),
                    true)
                : ScoreFileWriter.create(
                    out, calibrator.labels(), reader.hasId(), reader.hasGold(), true)) {
      while (reader.hasNext()) {
        ScoreRow row = reader.next();
        writer.writeDistribution(row.id(), row.gold(), calibrator.apply(row.distribution()));
        rows++;
      }
      writer.commit();
      ScoreRows.warnIfProbabilities(reader, in, format);
    }
    Main.flushStandardOutput(spec);
    spec.commandLine()
        .getErr()
        .println(
            "wrote " + Counts.of(rows, "calibrated row") + " to " + CommandFiles.outputName(out));
    return Main.OK;
  }

  private Calibrator calibrator(ScoreFormat format, CommandFiles files) {
    if (calibratorFile != null) {
      return CalibratorFiles.fromJson(
              files.readJson(calibratorFile), CommandFiles.name(calibratorFile))
          .calibrator();
    }
    ScoreRows cf =
        ScoreRows.read(
            files.open(oneStep.contentFree), CommandFiles.name(oneStep.contentFree), format, null);
    return PcfOption.fit(oneStep.method, cf, PcfOption.rule(pcf, format));
  }
}
