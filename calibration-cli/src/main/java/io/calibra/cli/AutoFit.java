package io.calibra.cli;

import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.MethodSelection;
import io.calibra.io.DataFileException;
import io.calibra.io.Provenance;
import io.calibra.io.ScoreFormat;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code calibra fit --method auto}: k-fold cross-validation of none and every method that applies
 * on the {@code --input} rows with gold; prints the ranking (to standard error with {@code --output
 * -}) and returns the chosen calibrator.
 */
final class AutoFit {
  private AutoFit() {}

  /** Ranks the candidates and returns the chosen one, fitted on every labelled row. */
  static FitCommand.Fitted fit(FitCommand command, LabelSet labels) {
    ScoreRows rows = ScoreRows.read(command.files.path(command.input), command.format(), labels);
    LabelledSet data = rows.labelled(2);
    List<MethodSelection.Candidate> candidates = candidates(command, rows);
    MethodSelection.Selection selection;
    try {
      selection =
          MethodSelection.select(data, candidates, command.folds, command.seed, command.progress);
    } catch (IllegalArgumentException e) {
      throw new DataFileException(command.input, 0, 0, e.getMessage(), e);
    }
    command.progress.finish();
    MethodSelection.Report report = selection.report();
    PrintWriter table =
        CommandFiles.isStandard(command.output.output())
            ? command.spec.commandLine().getErr()
            : command.spec.commandLine().getOut();
    table.print(report.table());
    String best = selection.chosen();
    table.println(
        "best: "
            + best
            + (best.equals(report.best().name())
                ? ""
                : " (" + report.best().name() + " could not be fitted on all rows)"));
    return new FitCommand.Fitted(selection.calibrator(), Provenance.now(best, data, null, null));
  }

  /**
   * The candidates: with content-free log-probabilities, contextual calibration by both p_cf rules
   * (or the one {@code --pcf} names); otherwise by the normalised rule.
   */
  private static List<MethodSelection.Candidate> candidates(FitCommand command, ScoreRows rows) {
    ContextualCalibration.Rule only = command.pcf;
    ScoreFormat format = command.format();
    if (command.contentFree == null) {
      return MethodSelection.defaultCandidates(rows.labels(), null);
    }
    ScoreRows cf = ScoreRows.read(command.files.path(command.contentFree), format, rows.labels());
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
}
