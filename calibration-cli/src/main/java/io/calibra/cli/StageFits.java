package io.calibra.cli;

import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.DirichletCalibration;
import io.calibra.calibrate.FitControl;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.ScalingFit;
import io.calibra.calibrate.VectorScaling;
import io.calibra.io.DataFileException;
import io.calibra.io.Provenance;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.DevComparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The fits of {@code calibra fit} that take its settings ({@code --lambda}, {@code --bins}, the
 * ODIR strengths, {@code --gamma}, {@code --max-iterations}, {@code --time-limit}), each failure on
 * the rows turned into bad data naming the file (exit 3), and the check of a fit on labelled rows.
 */
final class StageFits {
  private final FitCommand command;

  StageFits(FitCommand command) {
    this.command = command;
  }

  /** {@code --gamma}: a strength, or null for auto (chosen by the NLL of the rows with gold). */
  record Gamma(Double strength) {}

  /** Parses {@code --gamma}: auto, or a finite value >= 0 up to 1e300. */
  static final class GammaConverter implements ITypeConverter<Gamma> {
    @Override
    public Gamma convert(String text) {
      if (text.equals("auto")) {
        return new Gamma(null);
      }
      String t = text.trim();
      if (!ScoreFileReader.isDecimal(t)) {
        throw new TypeConversionException(
            "--gamma is '" + text + "'; expected a decimal number >= 0 or auto");
      }
      double v = Double.parseDouble(t);
      if (!(v >= 0 && v <= Calibrator.MAX_PARAMETER_MAGNITUDE)) {
        throw new TypeConversionException(
            "--gamma is " + text + "; expected a finite value >= 0 (at most 1e300) or auto");
      }
      return new Gamma(v);
    }
  }

  private PrintWriter err() {
    return command.spec.commandLine().getErr();
  }

  /**
   * Fits a method on labelled rows; vector and matrix scaling with {@code --lambda}, warning on
   * standard error when the optimiser stopped early.
   */
  Calibrator labelled(CalibrationMethod m, LabelledSet data, Path file) {
    try {
      if (m.isRegularised()) {
        Double lambda = command.lambda;
        ScalingFit fit =
            m == CalibrationMethod.VECTOR
                ? VectorScaling.fitWithDiagnostics(
                    data, lambda == null ? VectorScaling.DEFAULT_LAMBDA : lambda, control())
                : MatrixScaling.fitWithDiagnostics(
                    data, lambda == null ? MatrixScaling.DEFAULT_LAMBDA : lambda, control());
        command.progress.finish();
        // never a silent early stop: the model is saved, but the user is told it is off its optimum
        fit.warning().ifPresent(w -> err().println("warning: " + w));
        return fit.calibrator();
      }
      if (m == CalibrationMethod.DIRICHLET) {
        return dirichlet(data);
      }
      return command.bins == null ? m.fit(data) : m.fitWithBins(data, command.bins);
    } catch (DataFileException e) {
      throw e; // already names the file
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
  }

  /** Batch calibration with {@code --gamma}'s strength, or one chosen on the rows with gold. */
  Calibrator batch(ScoreRows rows, List<LabelDistribution> d, Double strength) {
    Path input = command.input;
    if (strength != null) {
      return orDataError(() -> BatchCalibration.fit(d, strength), input);
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
        orDataError(
            () ->
                BatchCalibration.fit(
                    d,
                    LabelledSet.of(labelled, gold.stream().mapToInt(Integer::intValue).toArray())),
            input);
    err()
        .println(
            String.format(
                Locale.ROOT,
                "batch: gamma = %s chosen by the NLL of %d rows with gold",
                ((Calibrator.BiasCorrection) c).strength(),
                labelled.size()));
    return c;
  }

  /** Dirichlet calibration with the given ODIR strengths, or ones chosen by cross-validation. */
  private Calibrator dirichlet(LabelledSet data) {
    double l;
    double mu;
    if (command.odir != null) {
      l = command.odir.lambda;
      mu = command.odir.mu;
    } else {
      DirichletCalibration.Odir odir =
          orDataError(
              () ->
                  DirichletCalibration.chooseOdir(
                      data, DirichletCalibration.FOLDS, DirichletCalibration.SEED, control()),
              command.input);
      command.progress.finish();
      l = odir.lambda();
      mu = odir.mu();
      err()
          .println(
              String.format(
                  Locale.ROOT,
                  "dirichlet: lambda = %s, mu = %s chosen by %d-fold cross-validation"
                      + " (out-of-fold NLL %.6f)",
                  l,
                  mu,
                  DirichletCalibration.FOLDS,
                  odir.nll()));
    }
    ScalingFit fit = DirichletCalibration.fitWithDiagnostics(data, l, mu, control());
    command.progress.finish();
    fit.warning().ifPresent(w -> err().println("warning: " + w));
    return fit.calibrator();
  }

  /** The iteration budget and the progress of {@code --max-iterations} and {@code --time-limit}. */
  private FitControl control() {
    return new FitControl(command.maxIterations, command.progress);
  }

  /** The result of {@code fit}, or bad data naming {@code file} if the rows refuse it. */
  static <T> T orDataError(Supplier<T> fit, Path file) {
    try {
      return fit.get();
    } catch (DataFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
  }

  /** A method fitted on unlabelled rows, or bad data naming {@code file}. */
  static Calibrator unlabelled(
      CalibrationMethod m, LabelSet labels, List<LabelDistribution> rows, Path file) {
    return orDataError(() -> m.fit(labels, rows), file);
  }

  /** The provenance of a fit on unlabelled rows. */
  Provenance unlabelledProvenance(List<LabelDistribution> d) {
    return Provenance.now(
        command.method.text(),
        d.size(),
        Provenance.sha256(d.stream().map(LabelDistribution::toArray).toList(), null));
  }

  /** Contextual calibration can make a classifier worse; with labelled rows at hand, say so. */
  void checkOnDev(Calibrator calibrator, ScoreRows dev) {
    List<LabelDistribution> d = new ArrayList<>();
    List<Integer> g = new ArrayList<>();
    for (ScoreRow r : dev.rows()) {
      if (r.hasGold()) {
        d.add(r.distribution());
        g.add(r.gold());
      }
    }
    PrintWriter err = err();
    if (d.isEmpty()) {
      err.println(
          "no rows with gold in " + command.input + ": the fit is not checked on labelled rows");
      return;
    }
    int[] gold = g.stream().mapToInt(Integer::intValue).toArray();
    DevComparison check =
        DevComparison.of(
            command.method.text(),
            LabelledSet.of(d, gold),
            LabelledSet.of(calibrator.applyAll(d), gold));
    err.println(check.worse() ? "warning: " + check.warning() : check.summary());
    err.flush();
  }
}
