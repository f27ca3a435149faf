package io.calibra.cli;

import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.FitControl;
import io.calibra.calibrate.FitOptions;
import io.calibra.calibrate.MethodFit;
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
import java.util.function.UnaryOperator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The fit of one stage of {@code calibra fit}, through the method registry's dispatch, with the
 * settings its options give ({@code --lambda}, {@code --bins}, the ODIR strengths, {@code --seed},
 * {@code --gamma}, {@code --max-iterations}, {@code --time-limit}); each failure on the rows is bad
 * data naming the file (exit 3). Also the check of a fit on labelled rows.
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
   * Fits stage {@code m} through the method registry's one dispatch ({@link
   * CalibrationMethod#fitting()}) on {@code rows} (null for a method fitted on nothing), each row
   * first calibrated by {@code before} (null for the first stage), over {@code labels}.
   *
   * @throws DataFileException naming the rows' file if the rows refuse the fit
   */
  Calibrator stage(
      CalibrationMethod m,
      ScoreRows rows,
      UnaryOperator<LabelDistribution> before,
      LabelSet labels) {
    FitOptions options = options(m);
    UnaryOperator<LabelDistribution> calibrated = before == null ? d -> d : before;
    Path file = rows == null ? null : rows.file();
    return orDataError(
        () ->
            m.fitting()
                .accept(
                    new MethodFit.Cases<Calibrator>() {
                      @Override
                      public Calibrator fixed(MethodFit.Fixed fit) {
                        return fit.fit(labels);
                      }

                      @Override
                      public Calibrator labelledRows(MethodFit.LabelledRows fit) {
                        LabelledSet raw = rows.labelled(2);
                        return fit.fit(
                            LabelledSet.of(
                                raw.distributions().stream().map(calibrated).toList(),
                                raw.goldArray()),
                            options);
                      }

                      @Override
                      public Calibrator contentFreeRows(MethodFit.ContentFreeRows fit) {
                        // a later stage sees probabilities: the normalised rule only
                        return before == null
                            ? PcfOption.fit(fit, rows, command.pcfRule())
                            : fit.fit(distributions(rows, calibrated, m));
                      }

                      @Override
                      public Calibrator unlabelledRows(MethodFit.UnlabelledRows fit) {
                        if (command.gamma != null && command.gamma.strength() == null) {
                          return batchByGold(rows);
                        }
                        return fit.fit(distributions(rows, calibrated, m), options);
                      }

                      @Override
                      public Calibrator demonstrations(MethodFit.Demonstrations fit) {
                        return LeaveOneOutFit.fit(fit, rows, calibrated);
                      }

                      @Override
                      public Calibrator sampledInputs(MethodFit.SampledInputs fit) {
                        return fit.fit(distributions(rows, calibrated, m));
                      }

                      @Override
                      public Calibrator stages(MethodFit.Stages fit) {
                        throw new IllegalStateException("a pipeline is not one of its stages");
                      }
                    }),
        file);
  }

  /** The rows' distributions after {@code calibrated}, checked to be over the rows' labels. */
  private static List<LabelDistribution> distributions(
      ScoreRows rows, UnaryOperator<LabelDistribution> calibrated, CalibrationMethod m) {
    List<LabelDistribution> d = rows.distributions().stream().map(calibrated).toList();
    for (LabelDistribution row : d) {
      rows.labels().requireSame(row.labels(), m + " fitting rows");
    }
    return d;
  }

  /**
   * The settings of the fit of {@code m}: each option given that applies to it (the rules refuse
   * one given to a method it does not apply to), the iteration budget and progress, and the log
   * that prints what a fit chose and where it stopped short.
   */
  private FitOptions options(CalibrationMethod m) {
    FitOptions o =
        FitOptions.defaults()
            .withControl(new FitControl(command.maxIterations, command.progress))
            .withLog(log());
    if (m.isRegularised() && command.lambda != null) {
      o = o.withLambda(command.lambda);
    }
    if (m == CalibrationMethod.DIRICHLET && command.odir != null) {
      o = o.withOdir(command.odir.lambda, command.odir.mu);
    }
    if (m.isBinned() && command.bins != null) {
      o = o.withBins(command.bins);
    }
    if (m == CalibrationMethod.PROTOTYPICAL) {
      o = o.withSeed(command.seed);
    }
    if (m == CalibrationMethod.BATCH && command.gamma != null && command.gamma.strength() != null) {
      o = o.withStrength(command.gamma.strength());
    }
    return o;
  }

  /** Prints a fit's choices and early stops on standard error, after its progress bar. */
  private FitOptions.Log log() {
    return new FitOptions.Log() {
      @Override
      public void warning(String message) {
        command.progress.finish();
        // never a silent early stop: the model is saved, but the user is told it is off its optimum
        err().println("warning: " + message);
      }

      @Override
      public void note(String message) {
        command.progress.finish();
        err().println(message);
      }
    };
  }

  /**
   * Batch calibration with gamma chosen by the NLL of the rows with gold ({@code --gamma auto}).
   */
  private Calibrator batchByGold(ScoreRows rows) {
    Path input = command.input;
    List<LabelDistribution> d = rows.distributions();
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
