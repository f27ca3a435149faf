package io.calibra.calibrate;

import io.calibra.backend.LabelScores;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link CalibrationMethod} is fitted, typed by what it needs: nothing but the labels ({@link
 * Fixed}), rows with gold labels ({@link LabelledRows}), content-free rows ({@link
 * ContentFreeRows}), unlabelled rows of the data to calibrate ({@link UnlabelledRows}), the
 * prompt's demonstrations scored leave-one-out ({@link Demonstrations}), inputs sampled from the
 * model ({@link SampledInputs}) or other calibrators ({@link Stages}). {@link
 * CalibrationMethod#fitting()} gives a method's; each variant has only the calls its method
 * supports, so none of them fails for being the wrong kind of fit. Callers that must handle every
 * kind use {@link #accept} with a {@link Cases}, which the compiler checks for completeness.
 *
 * <pre>{@code
 * Calibrator c = CalibrationMethod.TEMPERATURE.fitting().accept(new MethodFit.Cases<>() { ... });
 * // or, when the kind is known:
 * Calibrator t = ((MethodFit.LabelledRows) CalibrationMethod.TEMPERATURE.fitting()).fit(dev);
 * }</pre>
 *
 * <p>Every variant is immutable and thread-safe; the fits validate their rows as the calibrator
 * classes' own {@code fit} methods do (the same {@link IllegalArgumentException}s).
 */
public sealed interface MethodFit
    permits MethodFit.Fixed,
        MethodFit.LabelledRows,
        MethodFit.ContentFreeRows,
        MethodFit.UnlabelledRows,
        MethodFit.Demonstrations,
        MethodFit.SampledInputs,
        MethodFit.Stages {

  /** The method this fits. */
  CalibrationMethod method();

  /** Calls the case of {@code cases} for this variant and returns what it returns. */
  <R> R accept(Cases<R> cases);

  /** One case per variant of {@link MethodFit}. */
  interface Cases<R> {
    /** The case of a method fitted on nothing. */
    R fixed(Fixed fit);

    /** The case of a method fitted on labelled rows. */
    R labelledRows(LabelledRows fit);

    /** The case of a method fitted on content-free rows. */
    R contentFreeRows(ContentFreeRows fit);

    /** The case of a method fitted on unlabelled rows of the data to calibrate. */
    R unlabelledRows(UnlabelledRows fit);

    /** The case of a method fitted on the demonstrations' leave-one-out rows. */
    R demonstrations(Demonstrations fit);

    /** The case of a method fitted on rows of inputs sampled from the model. */
    R sampledInputs(SampledInputs fit);

    /** The case of a method made of other calibrators. */
    R stages(Stages fit);
  }

  /** A method with no fitted parameters (the identity): built from the labels alone. */
  final class Fixed implements MethodFit {
    private final CalibrationMethod method;
    private final java.util.function.Function<LabelSet, Calibrator> build;

    Fixed(CalibrationMethod method, java.util.function.Function<LabelSet, Calibrator> build) {
      this.method = method;
      this.build = build;
    }

    /** The calibrator for {@code labels}. */
    public Calibrator fit(LabelSet labels) {
      return build.apply(Objects.requireNonNull(labels, "labels"));
    }

    @Override
    public CalibrationMethod method() {
      return method;
    }

    @Override
    public <R> R accept(Cases<R> cases) {
      return cases.fixed(this);
    }

    @Override
    public String toString() {
      return method + " (fitted on nothing)";
    }
  }

  /** A method fitted on rows with gold labels (temperature, vector, ..., Platt, beta). */
  final class LabelledRows implements MethodFit {
    /** Fits on labelled rows with settings. */
    @FunctionalInterface
    interface Fitter {
      Calibrator fit(LabelledSet data, FitOptions options);
    }

    private final CalibrationMethod method;
    private final Fitter fitter;

    LabelledRows(CalibrationMethod method, Fitter fitter) {
      this.method = method;
      this.fitter = fitter;
    }

    /**
     * Fits on {@code data} with the method's defaults.
     *
     * @throws IllegalArgumentException if the rows cannot be fitted (too few, one gold class, two
     *     labels needed, ...), as the calibrator class's {@code fit} says
     */
    public Calibrator fit(LabelledSet data) {
      return fit(data, FitOptions.defaults());
    }

    /**
     * Fits on {@code data} with {@code options}.
     *
     * @throws IllegalArgumentException as {@link #fit(LabelledSet)}, or if a setting does not apply
     *     to the method ({@link FitOptions#requireApplicable})
     */
    public Calibrator fit(LabelledSet data, FitOptions options) {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(options, "options");
      options.requireApplicable(method);
      return fitter.fit(data, options);
    }

    @Override
    public CalibrationMethod method() {
      return method;
    }

    @Override
    public <R> R accept(Cases<R> cases) {
      return cases.labelledRows(this);
    }

    @Override
    public String toString() {
      return method + " (fitted on labelled rows)";
    }
  }

  /**
   * A method fitted on the distributions of content-free inputs (contextual, its subtractive form)
   * or of random in-domain text (domain-context); it records the p_cf rule of its estimate.
   */
  final class ContentFreeRows implements MethodFit {
    /** Fits on content-free scores with a p_cf rule. */
    @FunctionalInterface
    interface Fitter {
      Calibrator fit(List<LabelScores> scores, ContextualCalibration.Rule rule);
    }

    private final CalibrationMethod method;
    private final java.util.function.Function<List<LabelDistribution>, Calibrator> normalised;
    private final Fitter fromScores;

    ContentFreeRows(
        CalibrationMethod method,
        java.util.function.Function<List<LabelDistribution>, Calibrator> normalised,
        Fitter fromScores) {
      this.method = method;
      this.normalised = normalised;
      this.fromScores = fromScores;
    }

    /**
     * Fits on content-free distributions with {@link ContextualCalibration.Rule#NORMALISED}, the
     * only rule for probabilities (which have no raw mass), such as an earlier stage's output.
     *
     * @throws IllegalArgumentException if {@code rows} is empty, mixes label sets, or its mean has
     *     a zero entry where the method divides by it (naming the label)
     */
    public Calibrator fit(List<LabelDistribution> rows) {
      return normalised.apply(Objects.requireNonNull(rows, "rows"));
    }

    /**
     * Fits on content-free scores with {@code rule} ({@link ContextualCalibration.Rule#RAW_MASS}
     * needs log-probabilities).
     *
     * @throws IllegalArgumentException as {@link #fit(List)}, or if the rule does not suit the
     *     scores' kind
     */
    public Calibrator fitScores(List<LabelScores> scores, ContextualCalibration.Rule rule) {
      Objects.requireNonNull(scores, "scores");
      Objects.requireNonNull(rule, "rule");
      return fromScores.fit(scores, rule);
    }

    @Override
    public CalibrationMethod method() {
      return method;
    }

    @Override
    public <R> R accept(Cases<R> cases) {
      return cases.contentFreeRows(this);
    }

    @Override
    public String toString() {
      return method + " (fitted on content-free rows)";
    }
  }

  /**
   * A method fitted on unlabelled rows of the data it calibrates (batch calibration, prototypical
   * calibration); labels, where the rows have them, are not used.
   */
  final class UnlabelledRows implements MethodFit {
    /** Fits on unlabelled rows with settings. */
    @FunctionalInterface
    interface Fitter {
      Calibrator fit(List<LabelDistribution> rows, FitOptions options);
    }

    private final CalibrationMethod method;
    private final Fitter fitter;

    UnlabelledRows(CalibrationMethod method, Fitter fitter) {
      this.method = method;
      this.fitter = fitter;
    }

    /**
     * Fits on {@code rows} with the method's defaults (gamma = 1, {@link
     * PrototypicalCalibration#DEFAULT_SEED}).
     *
     * @throws IllegalArgumentException if the rows are empty, mix label sets or cannot be fitted
     */
    public Calibrator fit(List<LabelDistribution> rows) {
      return fit(rows, FitOptions.defaults());
    }

    /**
     * Fits on {@code rows} with {@code options} (a strength for batch, a seed for prototypical).
     *
     * @throws IllegalArgumentException as {@link #fit(List)}, or if a setting does not apply to the
     *     method
     */
    public Calibrator fit(List<LabelDistribution> rows, FitOptions options) {
      Objects.requireNonNull(rows, "rows");
      Objects.requireNonNull(options, "options");
      options.requireApplicable(method);
      return fitter.fit(rows, options);
    }

    @Override
    public CalibrationMethod method() {
      return method;
    }

    @Override
    public <R> R accept(Cases<R> cases) {
      return cases.unlabelledRows(this);
    }

    @Override
    public String toString() {
      return method + " (fitted on unlabelled rows)";
    }
  }

  /**
   * A method fitted on the prompt's demonstrations, each scored with the others as context, with
   * their labels (leave-one-out); {@link LeaveOneOutCalibration#fit(io.calibra.backend.Scorer,
   * io.calibra.prompt.PromptTemplate)} scores them from a scorer.
   */
  final class Demonstrations implements MethodFit {
    private final CalibrationMethod method;
    private final java.util.function.Function<LabelledSet, Calibrator> fitter;

    Demonstrations(
        CalibrationMethod method, java.util.function.Function<LabelledSet, Calibrator> fitter) {
      this.method = method;
      this.fitter = fitter;
    }

    /**
     * Fits on the demonstrations' leave-one-out distributions with their labels.
     *
     * @throws IllegalArgumentException if there are no rows or the estimate has a zero entry
     */
    public Calibrator fit(LabelledSet leaveOneOutRows) {
      return fitter.apply(Objects.requireNonNull(leaveOneOutRows, "leaveOneOutRows"));
    }

    @Override
    public CalibrationMethod method() {
      return method;
    }

    @Override
    public <R> R accept(Cases<R> cases) {
      return cases.demonstrations(this);
    }

    @Override
    public String toString() {
      return method + " (fitted on the demonstrations, leave-one-out)";
    }
  }

  /**
   * A method fitted on the distributions of inputs sampled from the model (generative); {@link
   * GenerativeCalibration#fit(io.calibra.backend.Scorer, io.calibra.backend.TextSampler,
   * io.calibra.prompt.PromptTemplate, int, int, long)} samples and scores them.
   */
  final class SampledInputs implements MethodFit {
    private final CalibrationMethod method;
    private final java.util.function.Function<List<LabelDistribution>, Calibrator> fitter;

    SampledInputs(
        CalibrationMethod method,
        java.util.function.Function<List<LabelDistribution>, Calibrator> fitter) {
      this.method = method;
      this.fitter = fitter;
    }

    /**
     * Fits on the sampled inputs' distributions.
     *
     * @throws IllegalArgumentException if the rows are empty, mix label sets, or their mean has a
     *     zero entry
     */
    public Calibrator fit(List<LabelDistribution> rows) {
      return fitter.apply(Objects.requireNonNull(rows, "rows"));
    }

    @Override
    public CalibrationMethod method() {
      return method;
    }

    @Override
    public <R> R accept(Cases<R> cases) {
      return cases.sampledInputs(this);
    }

    @Override
    public String toString() {
      return method + " (fitted on sampled inputs)";
    }
  }

  /** Several calibrators applied in order (a pipeline), each fitted by its own method. */
  final class Stages implements MethodFit {
    private final CalibrationMethod method;

    Stages(CalibrationMethod method) {
      this.method = method;
    }

    /**
     * The pipeline of {@code stages}, in order (nested pipelines flattened).
     *
     * @throws IllegalArgumentException if there are none or their label sets differ
     */
    public Calibrator fit(List<Calibrator> stages) {
      Objects.requireNonNull(stages, "stages");
      return StagedCalibrator.of(stages);
    }

    @Override
    public CalibrationMethod method() {
      return method;
    }

    @Override
    public <R> R accept(Cases<R> cases) {
      return cases.stages(this);
    }

    @Override
    public String toString() {
      return method + " (made of other calibrators)";
    }
  }
}
