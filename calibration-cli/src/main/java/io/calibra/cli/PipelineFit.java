package io.calibra.cli;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.io.Provenance;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code calibra fit --method A,B,...}: the stages fitted in order, each on its own rows calibrated
 * by the stages before it, saved as one pipeline. Each file is read once, all over the same labels;
 * a later contextual stage estimates p_cf from probabilities (the normalised rule).
 */
final class PipelineFit {
  private final FitCommand command;
  private final StageFits fits;

  PipelineFit(FitCommand command, StageFits fits) {
    this.command = command;
    this.fits = fits;
  }

  /** Fits every stage (over {@code labels} when not null) and returns them as one calibrator. */
  FitCommand.Fitted fit(LabelSet labels) {
    List<CalibrationMethod> methods = command.method.stages();
    Map<String, ScoreRows> read = new HashMap<>();
    LabelSet common = labels;
    for (CalibrationMethod m : methods) {
      String option = FitCommand.inputOption(m);
      if (option != null && !read.containsKey(option)) {
        ScoreRows rows =
            ScoreRows.read(command.files.path(command.given(option)), command.format(), common);
        common = rows.labels();
        read.put(option, rows);
      }
    }
    Calibrator fitted = null;
    List<double[]> fittingRows = new ArrayList<>();
    List<Integer> fittingGold = new ArrayList<>();
    for (CalibrationMethod m : methods) {
      ScoreRows rows = read.get(FitCommand.inputOption(m));
      Calibrator before = fitted;
      Calibrator stage = fits.stage(m, rows, before == null ? null : before::apply, common);
      if (rows != null) {
        addFittingRows(m, rows, before, fittingRows, fittingGold);
      }
      fitted = before == null ? stage : before.andThen(stage);
    }
    if (command.input != null && !read.containsKey("--input")) {
      fits.checkOnDev(
          fitted, ScoreRows.read(command.files.path(command.input), command.format(), common));
    }
    int[] gold = fittingGold.stream().mapToInt(Integer::intValue).toArray();
    Provenance provenance =
        Provenance.now(
            methods.stream().map(CalibrationMethod::methodName).collect(Collectors.joining("+")),
            fittingRows.size(),
            Provenance.sha256(fittingRows, gold));
    return new FitCommand.Fitted(fitted, provenance);
  }

  /**
   * Adds the rows stage {@code m} was fitted on, calibrated by {@code before} (null: none), to the
   * pipeline's provenance data, with their gold for a stage fitted on labelled rows (else -1).
   */
  private static void addFittingRows(
      CalibrationMethod m,
      ScoreRows rows,
      Calibrator before,
      List<double[]> fittingRows,
      List<Integer> fittingGold) {
    if (m.needsLabels()) {
      LabelledSet data = rows.labelled(2);
      List<LabelDistribution> d =
          before == null ? data.distributions() : before.applyAll(data.distributions());
      add(d, data.goldArray(), fittingRows, fittingGold);
    } else {
      List<LabelDistribution> d =
          before == null ? rows.distributions() : before.applyAll(rows.distributions());
      add(d, null, fittingRows, fittingGold);
    }
  }

  /** Adds a stage's fitting rows (and gold, -1 for none) to the pipeline's provenance data. */
  private static void add(
      List<LabelDistribution> d, int[] gold, List<double[]> rows, List<Integer> golds) {
    for (int i = 0; i < d.size(); i++) {
      rows.add(d.get(i).toArray());
      golds.add(gold == null ? -1 : gold[i]);
    }
  }
}
