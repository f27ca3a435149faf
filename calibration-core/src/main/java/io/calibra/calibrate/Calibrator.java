package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fitted calibration map from label distributions to calibrated label distributions over one
 * {@link LabelSet}.
 *
 * <p>A sealed hierarchy: every calibrator is one of {@link Identity}, {@link BiasCorrection}
 * (contextual, contextual-subtractive, domain-context, batch, leave-one-out and generative
 * calibration), {@link Temperature}, {@link Scaling} (vector and matrix scaling, Dirichlet
 * calibration), {@link Mixture} (prototypical calibration), {@link Isotonic}, {@link
 * HistogramBinning}, {@link ScalingBinning}, {@link Logistic} (Platt and beta) or {@link Pipeline},
 * each with typed accessors for its parameters, and {@link #kind()} names its {@link
 * CalibrationMethod}. They are immutable and thread-safe and come from {@link #identity}, the
 * static factories of {@link ContextualCalibration}, {@link DomainContextCalibration}, {@link
 * BatchCalibration}, {@link TemperatureScaling}, {@link VectorScaling}, {@link MatrixScaling},
 * {@link DirichletCalibration}, {@link PrototypicalCalibration}, {@link IsotonicCalibration},
 * {@link io.calibra.calibrate.HistogramBinning}, {@link io.calibra.calibrate.ScalingBinning},
 * {@link LogisticCalibration} (or {@link CalibrationMethod#fitting()}) and {@link #andThen}.
 *
 * <p>Applications cannot implement this interface, so every calibrator can be saved and loaded by
 * {@code CalibratorFiles}. To combine methods, chain them with {@link #andThen}; to apply a map of
 * your own, apply it to the {@link LabelDistribution}s before or after a calibrator (a function
 * {@code LabelDistribution -> LabelDistribution} composes with {@link #apply} as a method
 * reference), and save its parameters yourself.
 *
 * <p>Every method rejects NaN, infinite or negative probabilities, rows that do not sum to one
 * within {@code 1e-6}, and distributions over another label set, with an {@link
 * IllegalArgumentException}; every output is a valid distribution.
 */
public sealed interface Calibrator
    permits Calibrator.Identity,
        Calibrator.BiasCorrection,
        Calibrator.Temperature,
        Calibrator.Scaling,
        Calibrator.Mixture,
        Calibrator.Pipeline,
        Calibrator.Isotonic,
        Calibrator.HistogramBinning,
        Calibrator.ScalingBinning,
        Calibrator.Logistic {

  /**
   * No calibration: every distribution is returned unchanged ({@link CalibrationMethod#IDENTITY}).
   */
  sealed interface Identity extends Calibrator permits IdentityCalibrator {}

  /**
   * A label-bias correction ({@link CalibrationMethod#CONTEXTUAL}, {@link
   * CalibrationMethod#CONTEXTUAL_SUBTRACTIVE}, {@link CalibrationMethod#DOMAIN_CONTEXT}, {@link
   * CalibrationMethod#BATCH}, {@link CalibrationMethod#LEAVE_ONE_OUT} or {@link
   * CalibrationMethod#GENERATIVE}) with its bias estimate.
   */
  sealed interface BiasCorrection extends Calibrator
      permits DiagonalBiasCorrection, SubtractiveBiasCorrection {
    /**
     * The bias estimate ({@code p_cf} for contextual calibration) as a distribution; the saved file
     * holds its values exactly as fitted.
     */
    LabelDistribution bias();

    /**
     * The strength gamma of the correction, {@code log q = log p - gamma log bias} up to
     * normalisation: 1 for every method except {@link BatchCalibration#fromBias(LabelSet, double[],
     * double) batch calibration} with another strength.
     */
    default double strength() {
      return 1.0;
    }
  }

  /** Temperature scaling ({@link CalibrationMethod#TEMPERATURE}). */
  sealed interface Temperature extends Calibrator permits TemperatureScaling.Temperature {
    /** The temperature {@code T} of {@code softmax(log p / T)}. */
    double temperature();
  }

  /**
   * Vector or matrix scaling, or Dirichlet calibration ({@link CalibrationMethod#VECTOR}, {@link
   * CalibrationMethod#MATRIX}, {@link CalibrationMethod#DIRICHLET}): {@code q = softmax(W log p +
   * b)}.
   */
  sealed interface Scaling extends Calibrator permits AffineScaling {
    /** Whether W is diagonal (vector scaling). */
    boolean diagonal();

    /** A copy of the weights: K values (the diagonal) for vector scaling, K x K row-major else. */
    double[] weights();

    /** A copy of the K biases {@code b}. */
    double[] biases();
  }

  /**
   * Prototypical calibration ({@link CalibrationMethod#PROTOTYPICAL}): {@code q_k} is the posterior
   * of component k of a Gaussian mixture on {@code log p}, component k matched to label k.
   */
  sealed interface Mixture extends Calibrator permits PrototypicalCalibration.Fitted {
    /** A copy of the K mixing weights (positive, summing to one). */
    double[] mixingWeights();

    /** A copy of component {@code k}'s mean (K values, a point in log-probability space). */
    double[] mean(int k);

    /**
     * A copy of component {@code k}'s covariance, K x K row-major (symmetric, positive definite).
     */
    double[] covariance(int k);
  }

  /**
   * Calibrators applied one after another ({@link CalibrationMethod#PIPELINE}); {@link #stages()}
   * lists them, never nested.
   */
  sealed interface Pipeline extends Calibrator permits StagedCalibrator {}

  /**
   * Classwise isotonic regression ({@link CalibrationMethod#ISOTONIC}, {@link
   * IsotonicCalibration}): per label, a non-decreasing piecewise-linear map through the points
   * {@code (thresholds[j], values[j])}, then the row normalised.
   */
  sealed interface Isotonic extends Calibrator permits IsotonicCalibration.Isotonic {
    /**
     * A copy of the strictly increasing x values of label {@code label}'s map (scikit-learn's
     * {@code X_thresholds_}).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= label < K}
     */
    double[] thresholds(int label);

    /**
     * A copy of the non-decreasing values at the {@link #thresholds} (scikit-learn's {@code
     * y_thresholds_}).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= label < K}
     */
    double[] values(int label);
  }

  /**
   * Classwise histogram binning with equal-width bins ({@link CalibrationMethod#HISTOGRAM_BINNING},
   * {@link io.calibra.calibrate.HistogramBinning}).
   */
  sealed interface HistogramBinning extends Calibrator
      permits io.calibra.calibrate.HistogramBinning.Binned {
    /** The number B of equal-width bins per label. */
    int bins();

    /**
     * A copy of the B bin values of label {@code label}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= label < K}
     */
    double[] values(int label);
  }

  /**
   * Temperature scaling then classwise equal-mass binning ({@link
   * CalibrationMethod#SCALING_BINNING}, {@link io.calibra.calibrate.ScalingBinning}).
   */
  sealed interface ScalingBinning extends Calibrator
      permits io.calibra.calibrate.ScalingBinning.Binned {
    /** The temperature {@code T} of the scaling step. */
    double temperature();

    /**
     * A copy of the upper bin edges of label {@code label} (strictly increasing, the last 1.0).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= label < K}
     */
    double[] edges(int label);

    /**
     * A copy of the bin values of label {@code label}, one per edge.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= label < K}
     */
    double[] values(int label);
  }

  /**
   * Platt scaling or beta calibration for two labels ({@link CalibrationMethod#PLATT}, {@link
   * CalibrationMethod#BETA}, {@link LogisticCalibration}): {@code logit q_1 = a log p_1 - b log p_0
   * + c}, with {@code a = b} for Platt.
   */
  sealed interface Logistic extends Calibrator permits LogisticCalibration.Logistic {
    /** The weight a of {@code log p_1}. */
    double a();

    /** The weight b of {@code -log p_0} (equal to {@link #a()} for Platt scaling). */
    double b();

    /** The intercept c. */
    double c();
  }

  /**
   * The calibrator that returns every distribution over {@code labels} unchanged (but still rejects
   * invalid rows): "no calibration" as a calibrator, for example as a baseline.
   */
  static Calibrator identity(LabelSet labels) {
    return new IdentityCalibrator(labels);
  }

  /**
   * The largest magnitude of a scaling parameter: every weight and bias of vector and matrix
   * scaling, and the inverse temperature {@code 1/T}, must be at most this (so {@code T >=
   * 1e-300}). Log-probabilities enter floored at {@link
   * io.calibra.internal.Probabilities#LOG_FLOOR} (-745), so a score is at most {@code 1e300 + 46341
   * * 745 * 1e300 < 3.5e307} in magnitude for any label count a K x K matrix can hold, and the
   * difference of two scores stays below {@link Double#MAX_VALUE}: outputs are finite, normalised
   * distributions for every valid input. Larger parameters are rejected where the calibrator is
   * built (or loaded), naming the parameter.
   */
  double MAX_PARAMETER_MAGNITUDE = 1e300;

  /** The label set this calibrator was fitted on; inputs must be over the same set. */
  LabelSet labels();

  /** The method of this calibrator, from the registry {@link CalibrationMethod}. */
  CalibrationMethod kind();

  /**
   * The method's name, {@code kind().methodName()}.
   *
   * @deprecated use {@link #kind()}
   */
  @Deprecated
  default String method() {
    return kind().methodName();
  }

  /**
   * The fitted parameters by the names a file saves them under (see {@link
   * CalibrationMethod#parameterNames()}), as copies; a pipeline returns none and exposes its {@link
   * #stages()} instead.
   *
   * @deprecated use the typed accessors of {@link Temperature}, {@link Scaling} and {@link
   *     BiasCorrection}
   */
  @Deprecated
  Map<String, double[]> parameters();

  /** The calibrators applied in order: this one alone unless it is a pipeline. */
  default List<Calibrator> stages() {
    return List.of(this);
  }

  /**
   * Calibrates one row without allocating: reads K probabilities from {@code in} at {@code
   * inOffset} and writes K calibrated probabilities to {@code out} at {@code outOffset} ({@code
   * out} may be {@code in}, at the same offset).
   *
   * @throws IllegalArgumentException if the input row is not a valid distribution (naming the label
   *     and value)
   */
  void applyInto(double[] in, int inOffset, double[] out, int outOffset);

  /**
   * Calibrates one distribution.
   *
   * @throws IllegalArgumentException if it is over another label set
   */
  default LabelDistribution apply(LabelDistribution distribution) {
    labels().requireSame(distribution.labels(), kind() + " calibration input");
    double[] row = distribution.toArray();
    applyInto(row, 0, row, 0);
    return LabelDistribution.ofProbabilities(labels(), row);
  }

  /**
   * Calibrates every distribution, in order.
   *
   * @throws IllegalArgumentException naming the row whose distribution is over another label set
   */
  default List<LabelDistribution> applyAll(List<LabelDistribution> distributions) {
    List<LabelDistribution> out = new ArrayList<>(distributions.size());
    for (int i = 0; i < distributions.size(); i++) {
      try {
        out.add(apply(distributions.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("row " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * Calibrates {@code rows} rows stored row-major in {@code in} (K values each) into {@code out},
   * allocating nothing per row; batches of more than {@value
   * io.calibra.internal.Parallel#CHUNK_ROWS} rows are split into chunks run in parallel on the
   * common fork-join pool (rows are independent, so results do not depend on it). {@code out} may
   * be {@code in}.
   *
   * @throws IllegalArgumentException naming the first invalid row
   */
  default void applyBatch(double[] in, double[] out, int rows) {
    int k = labels().size();
    long needed = (long) rows * k;
    if (rows < 0 || in.length < needed || out.length < needed) {
      throw new IllegalArgumentException(
          "batch arrays too short: expected at least "
              + needed
              + " values for "
              + rows
              + " rows of "
              + k
              + " labels, found "
              + in.length
              + " in and "
              + out.length
              + " out");
    }
    // Large batches run in parallel chunks; the first bad row (lowest index) is reported.
    int[] badRow = new int[io.calibra.internal.Parallel.chunks(rows)];
    IllegalArgumentException[] errors = new IllegalArgumentException[badRow.length];
    io.calibra.internal.Parallel.forEachChunk(
        rows,
        (from, to) -> {
          for (int r = from; r < to; r++) {
            try {
              applyInto(in, r * k, out, r * k);
            } catch (IllegalArgumentException e) {
              int chunk = from / io.calibra.internal.Parallel.CHUNK_ROWS;
              badRow[chunk] = r;
              errors[chunk] = e;
              return;
            }
          }
        });
    for (int c = 0; c < errors.length; c++) {
      if (errors[c] != null) {
        throw new IllegalArgumentException(
            "row " + badRow[c] + ": " + errors[c].getMessage(), errors[c]);
      }
    }
  }

  /**
   * This calibrator followed by {@code next}: the returned calibrator applies this one, then {@code
   * next} to its output.
   *
   * @throws IllegalArgumentException if the two are over different label sets
   */
  default Calibrator andThen(Calibrator next) {
    return StagedCalibrator.of(List.of(this, next));
  }
}
