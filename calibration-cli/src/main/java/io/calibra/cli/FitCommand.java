package io.calibra.cli;

import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.DomainContextCalibration;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.MethodSelection;
import io.calibra.calibrate.ScalingFit;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.DataFileException;
import io.calibra.io.Provenance;
import io.calibra.io.ScoreFormat;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import java.nio.file.Path;
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
      "temperature, vector, matrix: fitted on the --input rows that have gold.",
      "contextual, contextual-subtractive, domain-context: from the --content-free scores.",
      "batch: from every --input row (no gold needed).",
      "auto: k-fold cross-validation of none, temperature, vector, matrix (and contextual ones with",
      "--content-free) on the --input rows with gold; prints the ranking and saves the best by NLL."
    })
final class FitCommand implements Callable<Integer> {
  @Option(
      names = "--method",
      required = true,
      description =
          "temperature, vector, matrix, contextual, contextual-subtractive, domain-context, batch or auto.")
  String method;

  @Option(
      names = "--scores",
      required = true,
      description = "What the numbers are: prob, logprob or logit.")
  String scores;

  @Option(names = "--input", description = "The score file to fit on.")
  Path input;

  @Option(
      names = "--content-free",
      description = "Scores of the content-free inputs (contextual methods).")
  Path contentFree;

  @Option(
      names = "--lambda",
      description = "L2 strength for vector and matrix scaling (default 0.001).")
  Double lambda;

  @Option(names = "--output", required = true, description = "The model file to write (JSON).")
  Path output;

  @Option(
      names = "--folds",
      defaultValue = "5",
      description = "Cross-validation folds for --method auto (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Fold assignment seed for --method auto (default: ${DEFAULT-VALUE}).")
  long seed;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ScoreFormat format = parseFormat(scores);
    Calibrator calibrator;
    Provenance provenance;
    switch (method) {
      case "temperature", "vector", "matrix" -> {
        ScoreRows rows = ScoreRows.read(require(input, "--input"), format, null);
        LabelledSet data = rows.labelled(2);
        if (method.equals("temperature")) {
          calibrator = TemperatureScaling.fit(data);
        } else {
          ScalingFit fit =
              method.equals("vector")
                  ? VectorScaling.fitWithDiagnostics(
                      data, lambda == null ? VectorScaling.DEFAULT_LAMBDA : lambda)
                  : MatrixScaling.fitWithDiagnostics(
                      data, lambda == null ? MatrixScaling.DEFAULT_LAMBDA : lambda);
          // Never a silent early stop: the model is saved, but the user is told it is off its
          // optimum.
          fit.warning().ifPresent(w -> spec.commandLine().getErr().println("warning: " + w));
          calibrator = fit.calibrator();
        }
        provenance = Provenance.now(method, data, null, null);
      }
      case "contextual", "contextual-subtractive", "domain-context" -> {
        ScoreRows rows = ScoreRows.read(require(contentFree, "--content-free"), format, null);
        List<LabelDistribution> d = rows.distributions();
        try {
          calibrator =
              switch (method) {
                case "contextual" -> ContextualCalibration.fit(d);
                case "contextual-subtractive" ->
                    ContextualCalibration.fit(d, ContextualCalibration.Form.SUBTRACTIVE);
                default -> DomainContextCalibration.fit(d);
              };
        } catch (IllegalArgumentException e) {
          throw new DataFileException(contentFree, 0, 0, e.getMessage(), e);
        }
        provenance =
            Provenance.now(
                method,
                d.size(),
                Provenance.sha256(d.stream().map(LabelDistribution::toArray).toList(), null));
      }
      case "auto" -> {
        ScoreRows rows = ScoreRows.read(require(input, "--input"), format, null);
        LabelledSet data = rows.labelled(2);
        List<LabelDistribution> cf =
            contentFree == null
                ? null
                : ScoreRows.read(contentFree, format, rows.labels()).distributions();
        List<MethodSelection.Candidate> candidates =
            MethodSelection.defaultCandidates(rows.labels(), cf);
        MethodSelection.Report report;
        try {
          report = MethodSelection.crossValidate(data, candidates, folds, seed);
        } catch (IllegalArgumentException e) {
          throw new DataFileException(input, 0, 0, e.getMessage(), e);
        }
        spec.commandLine().getOut().print(report.table());
        String best = report.best().name();
        spec.commandLine().getOut().println("best: " + best);
        MethodSelection.Candidate chosen =
            candidates.stream().filter(c -> c.name().equals(best)).findFirst().orElseThrow();
        calibrator = chosen.fit().apply(data);
        provenance = Provenance.now(best, data, null, null);
      }
      case "batch" -> {
        ScoreRows rows = ScoreRows.read(require(input, "--input"), format, null);
        List<LabelDistribution> d = rows.distributions();
        try {
          calibrator = BatchCalibration.fit(d);
        } catch (IllegalArgumentException e) {
          throw new DataFileException(input, 0, 0, e.getMessage(), e);
        }
        provenance =
            Provenance.now(
                method,
                d.size(),
                Provenance.sha256(d.stream().map(LabelDistribution::toArray).toList(), null));
      }
      default ->
          throw new Main.UsageException(
              "--method "
                  + method
                  + " is unknown; expected temperature, vector, matrix, contextual,"
                  + " contextual-subtractive, domain-context, batch or auto");
    }
    CalibratorFiles.save(calibrator, provenance, output);
    System.err.println("wrote " + output + ": " + calibrator);
    return Main.OK;
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
