package io.calibra.cli;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFileWriter;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
final class CalibrateCommand implements Callable<Integer> {
  @Option(
      names = "--calibrator",
      description = "A calibrator saved by `calibra fit` (JSON; - for standard input).")
  Path calibratorFile;

  /** The old name of {@code --calibrator}, kept working: {@code --model} is a language model. */
  @Option(
      names = "--model",
      description = "Deprecated: the old name of --calibrator (still accepted, with a note).")
  Path deprecatedModel;

  @Option(
      names = "--method",
      completionCandidates = OneStepMethods.class,
      description =
          "One step instead of --calibrator, with --content-free: ${COMPLETION-CANDIDATES}.")
  CalibrationMethod method;

  /** The methods {@code --method} fits in one step: those fitted on content-free rows. */
  static final class OneStepMethods implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(CalibrationMethod.values())
          .filter(CalibrationMethod::needsContentFree)
          .map(CalibrationMethod::methodName)
          .iterator();
    }
  }

  @Option(
      names = "--content-free",
      description = "Scores of the content-free inputs, for --method.")
  Path contentFree;

  @Option(
      names = "--pcf",
      description =
          "With --method: how p_cf is estimated, raw-mass (default for --scores logprob) or"
              + " normalised (default for logit and prob); see `calibra fit --help`.")
  String pcf;

  @Option(
      names = "--scores",
      required = true,
      description = "What the numbers are: prob, logprob or logit.")
  String scores;

  @Option(
      names = "--input",
      required = true,
      description = "The score file to calibrate (- for standard input).")
  Path input;

  @Option(
      names = "--output",
      required = true,
      description = "The calibrated file to write (- for standard output).")
  Path output;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (calibratorFile != null && deprecatedModel != null) {
      throw new Main.UsageException(
          "--model is the deprecated name of --calibrator; give --calibrator only");
    }
    if (deprecatedModel != null) {
      Main.warn(
          "calibrate --model is deprecated; use --calibrator (--model names a language model in"
              + " `calibra score`)");
    }
    try (CommandFiles files =
        CommandFiles.of(spec)
            .streamedInput("--input", input)
            .streamedInput(calibratorOption(), calibratorPath())
            .streamedInput("--content-free", contentFree)
            .output("--output", output)
            .check()) {
      return calibrate(files);
    }
  }

  private Integer calibrate(CommandFiles files) {
    ScoreFormat format = FitCommand.parseFormat(scores);
    Calibrator calibrator = calibrator(format, files);
    long rows = 0;
    try (ScoreFileReader reader =
            ScoreFileReader.open(
                files.open(input), CommandFiles.name(input), format, calibrator.labels());
        ScoreFileWriter writer =
            CommandFiles.isStandard(output)
                ? ScoreFileWriter.create(
                    spec.commandLine().getOut(),
                    "standard output",
                    calibrator.labels(),
                    reader.hasId(),
                    reader.hasGold(),
                    true)
                : ScoreFileWriter.create(
                    output, calibrator.labels(), reader.hasId(), reader.hasGold(), true)) {
      while (reader.hasNext()) {
        ScoreRow row = reader.next();
        writer.writeDistribution(row.id(), row.gold(), calibrator.apply(row.distribution()));
        rows++;
      }
      writer.commit();
      ScoreRows.warnIfProbabilities(reader, input, format);
    }
    Main.flushStandardOutput(spec);
    spec.commandLine().getErr().println("wrote " + rows + " calibrated rows to " + output);
    return Main.OK;
  }

  /** The calibrator file given, under either name, or null. */
  private Path calibratorPath() {
    return calibratorFile != null ? calibratorFile : deprecatedModel;
  }

  /** The option the calibrator file was given with, for messages. */
  private String calibratorOption() {
    return deprecatedModel != null ? "--model" : "--calibrator";
  }

  private Calibrator calibrator(ScoreFormat format, CommandFiles files) {
    Path file = calibratorPath();
    if ((file == null) == (method == null)) {
      throw new Main.UsageException("give either --calibrator or --method (with --content-free)");
    }
    if (file != null) {
      if (pcf != null) {
        throw new Main.UsageException(
            "--pcf applies to --method; a --calibrator keeps the p_cf it was fitted with");
      }
      return CalibratorFiles.fromJson(files.readJson(file), CommandFiles.name(file)).calibrator();
    }
    if (!method.needsContentFree()) {
      throw new Main.UsageException(
          "--method "
              + method
              + " cannot be fitted in one step; expected one of "
              + String.join(", ", new OneStepMethods())
              + " (use `calibra fit` for the others)");
    }
    if (contentFree == null) {
      throw new Main.UsageException("--method " + method + " needs --content-free");
    }
    ContextualCalibration.Rule rule = PcfOption.rule(pcf, format);
    ScoreRows cf =
        ScoreRows.read(files.open(contentFree), CommandFiles.name(contentFree), format, null);
    return PcfOption.fit(method, cf, rule);
  }
}
