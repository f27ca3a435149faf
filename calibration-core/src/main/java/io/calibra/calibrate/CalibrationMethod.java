package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
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
 * --help}), the data it is fitted on, the names of its saved parameters and how to rebuild it from
 * them. {@code CalibratorFiles}, the CLI's {@code --method} options and {@link MethodSelection} all
 * read it, so a method is added in one place.
 */
public enum CalibrationMethod {
  /** No calibration: {@link Calibrator#identity}. Fitted on nothing; no parameters. */
  IDENTITY("identity", FitsOn.NOTHING),
  /** {@link ContextualCalibration}'s diagonal form; parameter {@code bias} ({@code p_cf}). */
  CONTEXTUAL("contextual", FitsOn.CONTENT_FREE_ROWS, "bias"),
  /** {@link ContextualCalibration}'s subtractive form; parameter {@code bias} ({@code p_cf}). */
  CONTEXTUAL_SUBTRACTIVE("contextual-subtractive", FitsOn.CONTENT_FREE_ROWS, "bias"),
  /**
   * {@link DomainContextCalibration}, fitted on the distributions of random in-domain strings;
   * parameter {@code bias}.
   */
  DOMAIN_CONTEXT("domain-context", FitsOn.CONTENT_FREE_ROWS, "bias"),
  /**
   * {@link BatchCalibration}, fitted on unlabelled test rows; parameter {@code bias}, and {@code
   * strength} (one value, gamma) when it is not 1 (files without it have gamma = 1).
   */
  BATCH("batch", FitsOn.UNLABELLED_ROWS, "bias", "strength"),
  /**
   * {@link LeaveOneOutCalibration}: the bias from the prompt's own demonstrations, each scored with
   * the others as context; parameter {@code bias}.
   */
  LEAVE_ONE_OUT("leave-one-out", FitsOn.DEMONSTRATIONS, "bias"),
  /**
   * {@link GenerativeCalibration}: the bias from inputs sampled from the model itself; parameter
   * {@code bias}.
   */
  GENERATIVE("generative", FitsOn.SAMPLED_INPUTS, "bias"),
  /** {@link TemperatureScaling}; parameter {@code temperature} (one value). */
  TEMPERATURE("temperature", FitsOn.LABELLED_ROWS, "temperature"),
  /** {@link VectorScaling}; parameters {@code weights} (K) and {@code bias} (K). */
  VECTOR("vector", FitsOn.LABELLED_ROWS, "weights", "bias"),
  /** {@link MatrixScaling}; parameters {@code weights} (K x K, row-major) and {@code bias} (K). */
  MATRIX("matrix", FitsOn.LABELLED_ROWS, "weights", "bias"),
  /**
   * {@link DirichletCalibration}: {@code softmax(W ln p + b)} with ODIR regularisation; parameters
   * {@code weights} (K x K, row-major) and {@code bias} (K).
   */
  DIRICHLET("dirichlet", FitsOn.LABELLED_ROWS, "weights", "bias"),
  /**
   * {@link PrototypicalCalibration}: the posterior of a K-component Gaussian mixture on {@code log
   * p}, fitted on unlabelled rows; parameters {@code mixing} (K), {@code means} (K x K, component
   * k's mean in row k) and {@code covariances} (K x K x K, component k's matrix k-th).
   */
  PROTOTYPICAL("prototypical", FitsOn.UNLABELLED_ROWS, "mixing", "means", "covariances"),
  /**
   * {@link IsotonicCalibration}, classwise; parameters {@code counts} (K: thresholds per label),
   * {@code thresholds} and {@code values} (each label's points one label after another).
   */
  ISOTONIC("isotonic", FitsOn.LABELLED_ROWS, "counts", "thresholds", "values"),
  /**
   * {@link HistogramBinning}, classwise, equal-width bins; parameter {@code values} (K x B,
   * label-major: B follows from the length).
   */
  HISTOGRAM_BINNING("histogram-binning", FitsOn.LABELLED_ROWS, "values"),
  /**
   * {@link ScalingBinning}: temperature, then classwise equal-mass bins; parameters {@code
   * temperature} (one value), {@code counts} (K: bins per label), {@code edges} and {@code values}
   * (each label's bins one label after another).
   */
  SCALING_BINNING(
      "scaling-binning", FitsOn.LABELLED_ROWS, "temperature", "counts", "edges", "values"),
  /**
   * Platt scaling on the log-odds ({@link LogisticCalibration#platt(LabelledSet)}), two labels
   * only; parameters {@code slope} and {@code intercept} (one value each).
   */
  PLATT("platt", FitsOn.LABELLED_ROWS, "slope", "intercept"),
  /**
   * Beta calibration ({@link LogisticCalibration#beta(LabelledSet)}), two labels only; parameters
   * {@code a}, {@code b} and {@code c} (one value each).
   */
  BETA("beta", FitsOn.LABELLED_ROWS, "a", "b", "c"),
  /**
   * Several calibrators applied in order ({@link Calibrator.Pipeline}); saved as its stages, never
   * as a stage of its own, and not fitted by {@link #fit}.
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
  private final List<String> parameterNames;

  CalibrationMethod(String name, FitsOn fitsOn, String... parameterNames) {
    this.name = name;
    this.fitsOn = fitsOn;
    this.parameterNames = List.of(parameterNames);
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
   * #fitWithBins}).
   */
  public boolean isBinned() {
    return this == HISTOGRAM_BINNING || this == SCALING_BINNING;
  }

  /**
   * Fits a {@link #isBinned() binned} method on labelled rows with {@code bins} bins per label.
   *
   * @throws IllegalArgumentException if this method has no bins, {@code bins} is out of range, or
   *     the data cannot be fitted
   */
  public Calibrator fitWithBins(LabelledSet data, int bins) {
    Objects.requireNonNull(data, "data");
    return switch (this) {
      case HISTOGRAM_BINNING -> HistogramBinning.fit(data, bins);
      case SCALING_BINNING -> ScalingBinning.fit(data, bins);
      default ->
          throw new IllegalArgumentException(
              name + " has no bins; only histogram-binning and scaling-binning do");
    };
  }

  /**
   * The names of the parameters saved for a stage of this method, in file order; batch
   * calibration's {@code strength} is saved only when it is not 1 (so a file without it loads as
   * gamma = 1).
   */
  public List<String> parameterNames() {
    return parameterNames;
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
   * Fits this method on labelled rows, with the default regularisation where it has one; for {@link
   * #LEAVE_ONE_OUT} the rows are the demonstrations' leave-one-out distributions with their labels.
   *
   * @throws IllegalArgumentException if it is not fitted on labelled rows (nor {@link #IDENTITY} or
   *     {@link #LEAVE_ONE_OUT}), or the data cannot be fitted
   */
  public Calibrator fit(LabelledSet data) {
    return fit(data, this == MATRIX ? MatrixScaling.DEFAULT_LAMBDA : VectorScaling.DEFAULT_LAMBDA);
  }

  /**
   * Fits this method on labelled rows with regularisation strength {@code lambda} (used by vector
   * and matrix scaling only; Dirichlet calibration chooses its ODIR strengths by cross-validation,
   * see {@link DirichletCalibration#fit(LabelledSet)}).
   *
   * @throws IllegalArgumentException if it is not fitted on labelled rows (nor {@link #IDENTITY}),
   *     or the data cannot be fitted
   */
  public Calibrator fit(LabelledSet data, double lambda) {
    Objects.requireNonNull(data, "data");
    return switch (this) {
      case IDENTITY -> Calibrator.identity(data.labels());
      case TEMPERATURE -> TemperatureScaling.fit(data);
      case VECTOR -> VectorScaling.fit(data, lambda);
      case MATRIX -> MatrixScaling.fit(data, lambda);
      case DIRICHLET -> DirichletCalibration.fit(data);
      case LEAVE_ONE_OUT -> LeaveOneOutCalibration.fit(data.distributions(), data.goldArray());
      case ISOTONIC -> IsotonicCalibration.fit(data);
      case HISTOGRAM_BINNING -> HistogramBinning.fit(data);
      case SCALING_BINNING -> ScalingBinning.fit(data);
      case PLATT -> LogisticCalibration.platt(data);
      case BETA -> LogisticCalibration.beta(data);
      default ->
          throw new IllegalArgumentException(
              name + " is fitted on " + describe(fitsOn) + ", not on labelled rows");
    };
  }

  /**
   * Fits this method on unlabelled distributions: content-free rows for the contextual and
   * domain-context methods, the rows to calibrate for batch calibration (gamma = 1) and
   * prototypical calibration (seed {@link PrototypicalCalibration#DEFAULT_SEED}).
   *
   * @throws IllegalArgumentException if it is fitted on labelled rows or stages, or the rows cannot
   *     be fitted (empty, mixed label sets, a zero bias entry naming the label)
   */
  public Calibrator fit(LabelSet labels, List<LabelDistribution> rows) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(rows, "rows");
    for (LabelDistribution d : rows) {
      labels.requireSame(d.labels(), name + " fitting rows");
    }
    return switch (this) {
      case IDENTITY -> Calibrator.identity(labels);
      case CONTEXTUAL -> ContextualCalibration.fit(rows, ContextualCalibration.Form.DIAGONAL);
      case CONTEXTUAL_SUBTRACTIVE ->
          ContextualCalibration.fit(rows, ContextualCalibration.Form.SUBTRACTIVE);
      case DOMAIN_CONTEXT -> DomainContextCalibration.fit(rows);
      case BATCH -> BatchCalibration.fit(rows);
      case PROTOTYPICAL -> PrototypicalCalibration.fit(rows, PrototypicalCalibration.DEFAULT_SEED);
      case GENERATIVE -> GenerativeCalibration.fit(rows);
      default ->
          throw new IllegalArgumentException(
              name + " is fitted on " + describe(fitsOn) + ", not on unlabelled rows");
    };
  }

  private static String describe(FitsOn f) {
    return switch (f) {
      case NOTHING -> "nothing";
      case LABELLED_ROWS -> "labelled rows";
      case CONTENT_FREE_ROWS -> "content-free rows";
      case UNLABELLED_ROWS -> "unlabelled rows";
      case DEMONSTRATIONS -> "leave-one-out demonstration rows";
      case SAMPLED_INPUTS -> "sampled-input rows";
      case STAGES -> "other calibrators";
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
    ContextualCalibration.Rule pcf = rule.orElse(ContextualCalibration.Rule.NORMALISED);
    return switch (this) {
      case IDENTITY -> Calibrator.identity(labels);
      case CONTEXTUAL ->
          ContextualCalibration.fromBias(
              labels, required(parameters, "bias"), ContextualCalibration.Form.DIAGONAL, pcf);
      case CONTEXTUAL_SUBTRACTIVE ->
          ContextualCalibration.fromBias(
              labels, required(parameters, "bias"), ContextualCalibration.Form.SUBTRACTIVE, pcf);
      case DOMAIN_CONTEXT ->
          DomainContextCalibration.fromBias(labels, required(parameters, "bias"), pcf);
      case BATCH -> {
        double[] strength = parameters.get("strength");
        if (strength == null) {
          yield BatchCalibration.fromBias(labels, required(parameters, "bias"));
        }
        if (strength.length != 1) {
          throw new IllegalArgumentException(
              "stage 'batch' has " + strength.length + " strengths; expected 1");
        }
        yield BatchCalibration.fromBias(labels, required(parameters, "bias"), strength[0]);
      }
      case LEAVE_ONE_OUT -> LeaveOneOutCalibration.fromBias(labels, required(parameters, "bias"));
      case GENERATIVE -> GenerativeCalibration.fromBias(labels, required(parameters, "bias"));
      case TEMPERATURE -> {
        double[] t = required(parameters, "temperature");
        if (t.length != 1) {
          throw new IllegalArgumentException(
              "stage 'temperature' has " + t.length + " temperatures; expected 1");
        }
        yield TemperatureScaling.of(labels, t[0]);
      }
      case VECTOR ->
          VectorScaling.of(labels, required(parameters, "weights"), required(parameters, "bias"));
      case MATRIX ->
          MatrixScaling.of(labels, required(parameters, "weights"), required(parameters, "bias"));
      case DIRICHLET ->
          DirichletCalibration.of(
              labels, required(parameters, "weights"), required(parameters, "bias"));
      case PROTOTYPICAL ->
          PrototypicalCalibration.of(
              labels,
              required(parameters, "mixing"),
              required(parameters, "means"),
              required(parameters, "covariances"));
      case ISOTONIC -> {
        double[] counts = required(parameters, "counts");
        yield IsotonicCalibration.of(
            labels,
            Classwise.split(labels, counts, required(parameters, "thresholds"), name, "thresholds"),
            Classwise.split(labels, counts, required(parameters, "values"), name, "values"));
      }
      case HISTOGRAM_BINNING -> HistogramBinning.fromFlat(labels, required(parameters, "values"));
      case SCALING_BINNING -> {
        double[] counts = required(parameters, "counts");
        yield ScalingBinning.of(
            labels,
            single(parameters, "temperature"),
            Classwise.split(labels, counts, required(parameters, "edges"), name, "edges"),
            Classwise.split(labels, counts, required(parameters, "values"), name, "values"));
      }
      case PLATT ->
          LogisticCalibration.platt(
              labels, single(parameters, "slope"), single(parameters, "intercept"));
      case BETA ->
          LogisticCalibration.beta(
              labels, single(parameters, "a"), single(parameters, "b"), single(parameters, "c"));
      case PIPELINE ->
          throw new IllegalArgumentException(
              "a pipeline is saved as its stages; expected one of " + names(stageMethods()));
    };
  }

  private double single(Map<String, double[]> parameters, String parameter) {
    double[] v = required(parameters, parameter);
    if (v.length != 1) {
      throw new IllegalArgumentException(
          "stage '" + name + "' has " + v.length + " values of '" + parameter + "'; expected 1");
    }
    return v[0];
  }

  private double[] required(Map<String, double[]> parameters, String parameter) {
    double[] v = parameters.get(parameter);
    if (v == null) {
      throw new IllegalArgumentException("stage '" + name + "' has no '" + parameter + "' array");
    }
    return v;
  }
}
