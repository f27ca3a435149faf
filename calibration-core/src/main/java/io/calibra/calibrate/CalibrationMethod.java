package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one registry of calibration methods: each constant has the name saved in calibrator files and
 * accepted on the command line ({@link #toString()} is that name, so picocli lists it in {@code
 * --help}), the data it is fitted on, and the facts that choosing among methods needs (parameter
 * counts, bins, label counts). Its {@link #fitting()} is the method's fit, typed by what the fit
 * needs, and {@link #read}/{@link #write} its saved stage; both are defined beside the method's
 * calibrator class, and this enum is the one dispatch to them that {@code CalibratorFiles}, the
 * CLI's {@code --method} options and {@link MethodSelection} use.
 */
public enum CalibrationMethod {
  /** No calibration: {@link Calibrator#identity}. Fitted on nothing; no parameters. */
  IDENTITY("identity", FitsOn.NOTHING),
  /** {@link ContextualCalibration}'s diagonal form; parameter {@code bias} ({@code p_cf}). */
  CONTEXTUAL("contextual", FitsOn.CONTENT_FREE_ROWS),
  /** {@link ContextualCalibration}'s subtractive form; parameter {@code bias} ({@code p_cf}). */
  CONTEXTUAL_SUBTRACTIVE("contextual-subtractive", FitsOn.CONTENT_FREE_ROWS),
  /**
   * {@link DomainContextCalibration}, fitted on the distributions of random in-domain strings;
   * parameter {@code bias}.
   */
  DOMAIN_CONTEXT("domain-context", FitsOn.CONTENT_FREE_ROWS),
  /**
   * {@link BatchCalibration}, fitted on unlabelled test rows; parameter {@code bias}, and {@code
   * strength} (one value, gamma) when it is not 1 (files without it have gamma = 1).
   */
  BATCH("batch", FitsOn.UNLABELLED_ROWS),
  /**
   * {@link LeaveOneOutCalibration}: the bias from the prompt's own demonstrations, each scored with
   * the others as context; parameter {@code bias}.
   */
  LEAVE_ONE_OUT("leave-one-out", FitsOn.DEMONSTRATIONS),
  /**
   * {@link GenerativeCalibration}: the bias from inputs sampled from the model itself; parameter
   * {@code bias}.
   */
  GENERATIVE("generative", FitsOn.SAMPLED_INPUTS),
  /** {@link TemperatureScaling}; parameter {@code temperature} (one value). */
  TEMPERATURE("temperature", FitsOn.LABELLED_ROWS),
  /** {@link VectorScaling}; parameters {@code weights} (K) and {@code bias} (K). */
  VECTOR("vector", FitsOn.LABELLED_ROWS),
  /** {@link MatrixScaling}; parameters {@code weights} (K x K, row-major) and {@code bias} (K). */
  MATRIX("matrix", FitsOn.LABELLED_ROWS),
  /**
   * {@link DirichletCalibration}: {@code softmax(W ln p + b)} with ODIR regularisation; parameters
   * {@code weights} (K x K, row-major) and {@code bias} (K).
   */
  DIRICHLET("dirichlet", FitsOn.LABELLED_ROWS),
  /**
   * {@link PrototypicalCalibration}: the posterior of a K-component Gaussian mixture on {@code log
   * p}, fitted on unlabelled rows; parameters {@code mixing} (K), {@code means} (K x K, component
   * k's mean in row k) and {@code covariances} (K x K x K, component k's matrix k-th).
   */
  PROTOTYPICAL("prototypical", FitsOn.UNLABELLED_ROWS),
  /**
   * {@link IsotonicCalibration}, classwise; parameters {@code counts} (K: thresholds per label),
   * {@code thresholds} and {@code values} (each label's points one label after another).
   */
  ISOTONIC("isotonic", FitsOn.LABELLED_ROWS),
  /**
   * {@link HistogramBinning}, classwise, equal-width bins; parameter {@code values} (K x B,
   * label-major: B follows from the length).
   */
  HISTOGRAM_BINNING("histogram-binning", FitsOn.LABELLED_ROWS),
  /**
   * {@link ScalingBinning}: temperature, then classwise equal-mass bins; parameters {@code
   * temperature} (one value), {@code counts} (K: bins per label), {@code edges} and {@code values}
   * (each label's bins one label after another).
   */
  SCALING_BINNING("scaling-binning", FitsOn.LABELLED_ROWS),
  /**
   * Platt scaling on the log-odds ({@link LogisticCalibration#platt(LabelledSet)}), two labels
   * only; parameters {@code slope} and {@code intercept} (one value each).
   */
  PLATT("platt", FitsOn.LABELLED_ROWS),
  /**
   * Beta calibration ({@link LogisticCalibration#beta(LabelledSet)}), two labels only; parameters
   * {@code a}, {@code b} and {@code c} (one value each).
   */
  BETA("beta", FitsOn.LABELLED_ROWS),
  /**
   * Several calibrators applied in order ({@link Calibrator.Pipeline}); saved as its stages, never
   * as a stage of its own; its {@link #fitting()} joins calibrators fitted each by its own method.
   */
  PIPELINE("pipeline", FitsOn.STAGES);

  /** What a method is fitted on. */
  public enum FitsOn {
    /** Nothing: the method has no fitted parameters. */
    NOTHING,
    /** Rows with gold labels. */
    LABELLED_ROWS,
    /** The distributions of content-free inputs (or, for domain-context, random in-domain text). */
    CONTENT_FREE_ROWS,
    /** Unlabelled rows of the data to calibrate. */
    UNLABELLED_ROWS,
    /**
     * The distributions of the prompt's demonstrations, each scored with the others as context,
     * with their labels (leave-one-out).
     */
    DEMONSTRATIONS,
    /** The distributions of inputs sampled from the model (generative). */
    SAMPLED_INPUTS,
    /** Other calibrators (a pipeline). */
    STAGES
  }

  private final String name;
  private final FitsOn fitsOn;

  CalibrationMethod(String name, FitsOn fitsOn) {
    this.name = name;
    this.fitsOn = fitsOn;
  }

  /** The name in calibrator files ({@code "method"} of a stage) and on the command line. */
  public String methodName() {
    return name;
  }

  /** What this method is fitted on. */
  public FitsOn fitsOn() {
    return fitsOn;
  }

  /** Whether fitting needs rows with gold labels. */
  public boolean needsLabels() {
    return fitsOn == FitsOn.LABELLED_ROWS;
  }

  /** Whether fitting needs content-free (or random in-domain) rows. */
  public boolean needsContentFree() {
    return fitsOn == FitsOn.CONTENT_FREE_ROWS;
  }

  /** Whether a calibrator file holds it as one stage (every method but {@link #PIPELINE}). */
  public boolean isStage() {
    return fitsOn != FitsOn.STAGES;
  }

  /** Whether {@code lambda}, the L2 regularisation strength, applies (vector and matrix). */
  public boolean isRegularised() {
    return this == VECTOR || this == MATRIX;
  }

  /**
   * Whether a stage of this method records the {@link ContextualCalibration.Rule p_cf rule} its
   * bias was estimated with (saved as the stage's optional {@code pcf} field): contextual,
   * contextual-subtractive and domain-context.
   */
  public boolean hasPcfRule() {
    return this == CONTEXTUAL || this == CONTEXTUAL_SUBTRACTIVE || this == DOMAIN_CONTEXT;
  }

  /**
   * Whether this method applies to {@code labels}: Platt and beta calibration need exactly two
   * labels; every other method applies to any label set.
   */
  public boolean appliesTo(LabelSet labels) {
    Objects.requireNonNull(labels, "labels");
    return !(this == PLATT || this == BETA) || labels.size() == 2;
  }

  /**
   * The free parameters a fit of this method estimates for {@code k} labels, where that number is
   * fixed: temperature 1, vector scaling 2K, matrix and Dirichlet scaling K^2 + K, Platt 2, beta 3,
   * prototypical calibration K - 1 mixing weights, K^2 mean entries and K symmetric K x K
   * covariances; the bias corrections K (fitted on content-free, demonstration, sampled or batch
   * rows). Empty for the identity and pipelines (none) and for isotonic regression and the binning
   * methods, whose number of values grows with the rows (they are nonparametric).
   *
   * @throws IllegalArgumentException if {@code k < 2}
   */
  public java.util.OptionalLong parameterCount(int k) {
    if (k < 2) {
      throw new IllegalArgumentException("expected at least 2 labels; found " + k);
    }
    long n = k;
    return switch (this) {
      case TEMPERATURE -> java.util.OptionalLong.of(1);
      case VECTOR -> java.util.OptionalLong.of(2 * n);
      case MATRIX, DIRICHLET -> java.util.OptionalLong.of(n * n + n);
      case PLATT -> java.util.OptionalLong.of(2);
      case BETA -> java.util.OptionalLong.of(3);
      case PROTOTYPICAL -> java.util.OptionalLong.of(n - 1 + n * n + n * n * (n + 1) / 2);
      case CONTEXTUAL, CONTEXTUAL_SUBTRACTIVE, DOMAIN_CONTEXT, BATCH, LEAVE_ONE_OUT, GENERATIVE ->
          java.util.OptionalLong.of(n);
      default -> java.util.OptionalLong.empty();
    };
  }

  /**
   * Whether the method outputs probabilities of exactly 0 or 1 by construction: isotonic regression
   * and histogram binning (a label whose step or bin held no gold rows maps to 0, and the row is
   * then renormalised, so another label can get exactly 1) and prototypical calibration (Gaussian
   * posteriors that underflow to 0 for rows far from a component, as its NLL of 11 on 4-shot SST-2
   * shows). Scaling-binning's bin values are means of temperature-scaled probabilities, so they are
   * 0 only when those underflow. The softmax maps (temperature, vector, matrix, Dirichlet), Platt
   * and beta output values strictly between 0 and 1 for finite parameters, except that floating
   * point rounds a label more than about 745 nats below the top to 0 (and a top label whose others
   * sum below 1.1e-16 to 1); the bias corrections keep a zero input zero and nothing else. A method
   * for which this is true never wins {@code auto} on few rows ({@link MethodSelection}).
   */
  public boolean canOutputCertainty() {
    return this == ISOTONIC || this == HISTOGRAM_BINNING || this == PROTOTYPICAL;
  }

  /**
   * Whether the method has a number of bins B (histogram-binning and scaling-binning: {@link
   * FitOptions#withBins}).
   */
  public boolean isBinned() {
    return this == HISTOGRAM_BINNING || this == SCALING_BINNING;
  }

  /**
   * The names of the parameters saved for a stage of this method, in file order; batch
   * calibration's {@code strength} is saved only when it is not 1 (so a file without it loads as
   * gamma = 1).
   */
  public List<String> parameterNames() {
    return this == PIPELINE ? List.of() : format().parameterNames();
  }

  /** The method name, as in files and on the command line. */
  @Override
  public String toString() {
    return name;
  }

  /** The stage methods (all but {@link #PIPELINE}), in declaration order. */
  public static List<CalibrationMethod> stageMethods() {
    return Arrays.stream(values()).filter(CalibrationMethod::isStage).toList();
  }

  /** The method with this name, if any. */
  public static Optional<CalibrationMethod> find(String name) {
    Objects.requireNonNull(name, "name");
    return Arrays.stream(values()).filter(m -> m.name.equals(name)).findFirst();
  }

  /**
   * The stage method with this name.
   *
   * @throws IllegalArgumentException naming the method and listing the known ones
   */
  public static CalibrationMethod ofName(String name) {
    return find(name)
        .filter(CalibrationMethod::isStage)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown method '" + name + "'; expected one of " + names(stageMethods())));
  }

  /** The names of {@code methods}, comma-separated. */
  public static String names(List<CalibrationMethod> methods) {
    return methods.stream().map(CalibrationMethod::methodName).collect(Collectors.joining(", "));
  }

  /**
   * How this method is fitted, typed by what it needs: labelled rows, content-free rows, unlabelled
   * rows, the demonstrations, sampled inputs, other calibrators or nothing. Each calibrator class
   * defines its own; this is the one dispatch from a method to it.
   */
  public MethodFit fitting() {
    return switch (this) {
      case IDENTITY -> IdentityCalibrator.FIT;
      case CONTEXTUAL -> ContextualCalibration.DIAGONAL_FIT;
      case CONTEXTUAL_SUBTRACTIVE -> ContextualCalibration.SUBTRACTIVE_FIT;
      case DOMAIN_CONTEXT -> DomainContextCalibration.FIT;
      case BATCH -> BatchCalibration.FIT;
      case LEAVE_ONE_OUT -> LeaveOneOutCalibration.FIT;
      case GENERATIVE -> GenerativeCalibration.FIT;
      case TEMPERATURE -> TemperatureScaling.FIT;
      case VECTOR -> VectorScaling.FIT;
      case MATRIX -> MatrixScaling.FIT;
      case DIRICHLET -> DirichletCalibration.FIT;
      case PROTOTYPICAL -> PrototypicalCalibration.FIT;
      case ISOTONIC -> IsotonicCalibration.FIT;
      case HISTOGRAM_BINNING -> HistogramBinning.FIT;
      case SCALING_BINNING -> ScalingBinning.FIT;
      case PLATT -> LogisticCalibration.PLATT_FIT;
      case BETA -> LogisticCalibration.BETA_FIT;
      case PIPELINE -> StagedCalibrator.FIT;
    };
  }

  /**
   * This method's {@link #fitting()} if it is of {@code kind}, such as {@code
   * TEMPERATURE.fitting(MethodFit.LabelledRows.class)}; empty if the method is fitted otherwise.
   */
  public <F extends MethodFit> Optional<F> fitting(Class<F> kind) {
    Objects.requireNonNull(kind, "kind");
    MethodFit f = fitting();
    return kind.isInstance(f) ? Optional.of(kind.cast(f)) : Optional.empty();
  }

  /** How a stage of this method is saved; every method but {@link #PIPELINE} has one. */
  private StageFormat format() {
    return switch (this) {
      case IDENTITY -> IdentityCalibrator.FORMAT;
      case CONTEXTUAL -> ContextualCalibration.DIAGONAL_FORMAT;
      case CONTEXTUAL_SUBTRACTIVE -> ContextualCalibration.SUBTRACTIVE_FORMAT;
      case DOMAIN_CONTEXT -> DomainContextCalibration.FORMAT;
      case BATCH -> BatchCalibration.FORMAT;
      case LEAVE_ONE_OUT -> LeaveOneOutCalibration.FORMAT;
      case GENERATIVE -> GenerativeCalibration.FORMAT;
      case TEMPERATURE -> TemperatureScaling.FORMAT;
      case VECTOR -> VectorScaling.FORMAT;
      case MATRIX -> MatrixScaling.FORMAT;
      case DIRICHLET -> DirichletCalibration.FORMAT;
      case PROTOTYPICAL -> PrototypicalCalibration.FORMAT;
      case ISOTONIC -> IsotonicCalibration.FORMAT;
      case HISTOGRAM_BINNING -> HistogramBinning.FORMAT;
      case SCALING_BINNING -> ScalingBinning.FORMAT;
      case PLATT -> LogisticCalibration.PLATT_FORMAT;
      case BETA -> LogisticCalibration.BETA_FORMAT;
      case PIPELINE ->
          throw new IllegalArgumentException(
              "a pipeline is saved as its stages; expected one of " + names(stageMethods()));
    };
  }

  /**
   * The parameters a file saves for {@code stage}, a calibrator of this method: named as {@link
   * #parameterNames()}, copies at full precision.
   *
   * @throws IllegalArgumentException if {@code stage} is of another method
   */
  public Map<String, double[]> write(Calibrator stage) {
    Objects.requireNonNull(stage, "stage");
    if (stage.kind() != this) {
      throw new IllegalArgumentException(
          "stage is a " + stage.kind() + " calibrator; expected " + name);
    }
    return ((AbstractCalibrator) stage).parameterMap();
  }

  /**
   * Rebuilds a stage of this method from its saved parameters, kept exactly (a loaded calibrator's
   * outputs are bit-for-bit the saved one's).
   *
   * @throws IllegalArgumentException if a parameter is missing (naming it), has the wrong length,
   *     or a bad value, or this is {@link #PIPELINE}
   */
  public Calibrator read(LabelSet labels, Map<String, double[]> parameters) {
    return read(labels, parameters, Optional.empty());
  }

  /**
   * As {@link #read(LabelSet, Map)}, with the {@link ContextualCalibration.Rule p_cf rule} the
   * stage's bias was estimated with: recorded by the methods that {@link #hasPcfRule() have one}
   * (empty means {@link ContextualCalibration.Rule#NORMALISED}, as a file without it).
   *
   * @throws IllegalArgumentException as {@link #read(LabelSet, Map)}, or if {@code rule} is present
   *     for a method without a p_cf rule
   */
  public Calibrator read(
      LabelSet labels,
      Map<String, double[]> parameters,
      Optional<ContextualCalibration.Rule> rule) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(rule, "rule");
    if (rule.isPresent() && !hasPcfRule()) {
      throw new IllegalArgumentException(
          "stage '"
              + name
              + "' has a 'pcf' field; only contextual, contextual-subtractive and domain-context"
              + " stages have one");
    }
    StageFormat format = format();
    return format.read(
        labels,
        new StageParameters(this, parameters, rule.orElse(ContextualCalibration.Rule.NORMALISED)));
  }
}
