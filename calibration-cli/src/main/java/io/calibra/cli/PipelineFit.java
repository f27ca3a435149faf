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
import java.util.function.UnaryOperator;
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
      Calibrator before = fitted;
      Calibrator stage;
      if (m.fitsOn() == CalibrationMethod.FitsOn.NOTHING) {
        stage = m.fit(common, List.of());
      } else {
        stage = stage(m, read.get(FitCommand.inputOption(m)), before, fittingRows, fittingGold);
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

  /** Fits stage {@code m} on {@code rows} after {@code before} (null: the first stage). */
  private Calibrator stage(
      CalibrationMethod m,
      ScoreRows rows,
      Calibrator before,
      List<double[]> fittingRows,
      List<Integer> fittingGold) {
    UnaryOperator<LabelDistribution> calibrated = before == null ? d -> d : before::apply;
    switch (m.fitsOn()) {
      case LABELLED_ROWS -> {
        LabelledSet raw = rows.labelled(2);
        LabelledSet data =
            LabelledSet.of(raw.distributions().stream().map(calibrated).toList(), raw.goldArray());
        add(data.distributions(), data.goldArray(), fittingRows, fittingGold);
        return fits.labelled(m, data, rows.file());
      }
      case CONTENT_FREE_ROWS -> {
        List<LabelDistribution> d = rows.distributions().stream().map(calibrated).toList();
        add(d, null, fittingRows, fittingGold);
        return before == null
            ? PcfOption.fit(m, rows, command.pcfRule())
            : PcfOption.fitNormalised(m, rows.labels(), d, rows.file());
      }
      case DEMONSTRATIONS -> {
        Calibrator stage = LeaveOneOutFit.fit(rows, calibrated);
        add(rows.distributions().stream().map(calibrated).toList(), null, fittingRows, fittingGold);
        return stage;
      }
      default -> {
        // generative (sampled inputs), batch (the rows to calibrate)
        List<LabelDistribution> d = rows.distributions().stream().map(calibrated).toList();
        add(d, null, fittingRows, fittingGold);
        return StageFits.unlabelled(m, rows.labels(), d, rows.file());
      }
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
