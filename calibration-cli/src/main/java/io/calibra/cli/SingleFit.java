package io.calibra.cli;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.io.Provenance;
import io.calibra.label.LabelSet;
import java.nio.file.Path;

/**
 * {@code calibra fit --method NAME} for one method: the rows it is fitted on (the file its kind of
 * fit reads; {@code --input} for the identity, for its labels), the fit ({@link StageFits}) and its
 * provenance. A fit on other rows than {@code --input} is checked on {@code --input}'s labelled
 * rows when given.
 */
final class SingleFit {
  private SingleFit() {}

  /** Fits {@code m} (over {@code labels} when not null). */
  static FitCommand.Fitted fit(
      FitCommand command, StageFits fits, CalibrationMethod m, LabelSet labels) {
    String option = FitCommand.inputOption(m) == null ? "--input" : FitCommand.inputOption(m);
    Path file = command.given(option);
    ScoreRows rows = ScoreRows.read(command.files.path(file), command.format(), labels);
    Calibrator c = fits.stage(m, rows, null, rows.labels());
    if (m.needsLabels()) {
      return new FitCommand.Fitted(
          c, Provenance.now(command.method.text(), rows.labelled(2), null, null));
    }
    Provenance provenance = fits.unlabelledProvenance(rows.distributions());
    if (!option.equals("--input") && command.input != null) {
      fits.checkOnDev(
          c, ScoreRows.read(command.files.path(command.input), command.format(), rows.labels()));
    }
    return new FitCommand.Fitted(c, provenance);
  }
}
