package io.calibra.cli;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.PrototypicalCalibration;
import io.calibra.io.Provenance;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code calibra fit --method NAME} for one method: the dispatch from what the method is fitted on
 * (the registry's {@link CalibrationMethod.FitsOn}) to the file it reads and the fit. A
 * content-free or leave-one-out fit with labelled {@code --input} rows is checked on them.
 */
final class MethodFit {
  private final FitCommand command;
  private final StageFits fits;

  MethodFit(FitCommand command, StageFits fits) {
    this.command = command;
    this.fits = fits;
  }

  /** Fits {@code m} on its rows (over {@code labels} when not null). */
  FitCommand.Fitted fit(CalibrationMethod m, LabelSet labels) {
    return switch (m.fitsOn()) {
      case LABELLED_ROWS -> {
        ScoreRows rows = read(command.input, labels);
        LabelledSet data = rows.labelled(2);
        yield new FitCommand.Fitted(
            fits.labelled(m, data, rows.file()),
            Provenance.now(command.method.text(), data, null, null));
      }
      case CONTENT_FREE_ROWS -> {
        ScoreRows rows = read(command.contentFree, labels);
        Calibrator c = PcfOption.fit(m, rows, command.pcfRule());
        yield checked(c, rows);
      }
      case DEMONSTRATIONS -> {
        ScoreRows rows = read(command.leaveOneOut, labels);
        yield checked(LeaveOneOutFit.fit(rows), rows);
      }
      case SAMPLED_INPUTS -> {
        // generative: the scores of inputs sampled from the model, in the content-free file
        ScoreRows rows = read(command.contentFree, labels);
        Calibrator c =
            StageFits.unlabelled(m, rows.labels(), rows.distributions(), command.contentFree);
        yield checked(c, rows);
      }
      default -> {
        // batch and prototypical (the rows to calibrate) and identity (only the labels) read
        // --input
        ScoreRows rows = read(command.input, labels);
        List<LabelDistribution> d = rows.distributions();
        Calibrator c;
        if (m == CalibrationMethod.PROTOTYPICAL) {
          c =
              StageFits.orDataError(
                  () -> PrototypicalCalibration.fit(d, command.seed), command.input);
        } else if (m == CalibrationMethod.BATCH && command.gamma != null) {
          c = fits.batch(rows, d, command.gamma.strength());
        } else {
          c = StageFits.unlabelled(m, rows.labels(), d, command.input);
        }
        yield new FitCommand.Fitted(c, fits.unlabelledProvenance(d));
      }
    };
  }

  /** A fit on unlabelled rows, checked on the labelled {@code --input} rows when given. */
  private FitCommand.Fitted checked(Calibrator c, ScoreRows rows) {
    Provenance provenance = fits.unlabelledProvenance(rows.distributions());
    if (command.input != null) {
      fits.checkOnDev(c, read(command.input, rows.labels()));
    }
    return new FitCommand.Fitted(c, provenance);
  }

  private ScoreRows read(Path file, LabelSet labels) {
    return ScoreRows.read(command.files.path(file), command.format(), labels);
  }
}
