package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;

/**
 * Matrix scaling (Guo et al. 2017): {@code q = softmax(W log p + b)} with a K x K matrix W.
 *
 * <p>{@link #fit} minimises the mean NLL plus {@code lambda * (||W - I/T||_F^2 + ||b||^2)} by
 * L-BFGS then Newton steps (to a gradient of at most {@value ScalingFit#GRADIENT_TOLERANCE}; {@link
 * #fitWithDiagnostics} says if it stopped short), starting from, and shrinking towards, the
 * temperature-scaling solution (T fitted first on the same set), so its fitted NLL is never above
 * temperature scaling's on the fitting set. With K^2 + K parameters it overfits small sets: prefer
 * vector scaling unless rows are plentiful.
 *
 * <p><b>When there is no fit.</b> As for {@link VectorScaling}: if the fitted map {@code W log p +
 * b} puts every fitting row's gold label strictly on top, the rows are separable in this family (no
 * maximum-likelihood fit exists, whatever {@code lambda}) and the fit throws a {@link
 * NoFitException}; with more parameters than rows that is the usual case.
 */
public final class MatrixScaling {

  /** Matrix scaling's fitting: on labelled rows, with {@code lambda} and an iteration budget. */
  static final MethodFit.LabelledRows FIT =
      new MethodFit.LabelledRows(
          CalibrationMethod.MATRIX,
          (data, options) ->
              AffineScaling.reportWarning(
                  fitWithDiagnostics(
                      data,
                      options.lambda().orElse(MatrixScaling.DEFAULT_LAMBDA),
                      options.control()),
                  options));

  /** Its saved stage: {@code weights} (K x K, row-major) and {@code bias} (K). */
  static final StageFormat FORMAT =
      new StageFormat(
          (labels, p) -> of(labels, p.required("weights"), p.required("bias")), "weights", "bias");

  /** The default L2 regularisation strength. */
  public static final double DEFAULT_LAMBDA = 1e-3;

  private MatrixScaling() {}

  /** Fits with {@link #DEFAULT_LAMBDA}. */
  public static Calibrator fit(LabelledSet data) {
    return fit(data, DEFAULT_LAMBDA);
  }

  /**
   * Fits with regularisation strength {@code lambda}.
   *
   * @throws IllegalArgumentException on fewer than 2 rows, a single gold class, or a negative or
   *     non-finite {@code lambda}
   */
  public static Calibrator fit(LabelledSet data, double lambda) {
    return fitWithDiagnostics(data, lambda).calibrator();
  }

  /**
   * Fits with regularisation strength {@code lambda} and says whether the optimiser converged (see
   * {@link ScalingFit#warning()}).
   *
   * @throws IllegalArgumentException on fewer than 2 rows, a single gold class, or a negative or
   *     non-finite {@code lambda}
   */
  public static ScalingFit fitWithDiagnostics(LabelledSet data, double lambda) {
    return AffineScaling.fit(FitData.of(data, "matrix scaling"), data.labels(), false, lambda);
  }

  /**
   * {@link #fitWithDiagnostics(LabelledSet, double)} with {@code control}'s iteration budget and
   * monitor (which may stop the fit by throwing).
   *
   * @throws IllegalArgumentException as the other form
   * @throws NoFitException on rows separable in this family
   */
  public static ScalingFit fitWithDiagnostics(LabelledSet data, double lambda, FitControl control) {
    java.util.Objects.requireNonNull(control, "control");
    return AffineScaling.fit(
        FitData.of(data, "matrix scaling"),
        data.labels(),
        false,
        lambda,
        control.maxIterations(),
        true,
        control.monitor());
  }

  /**
   * A matrix-scaling calibrator with a known row-major K x K matrix and K biases.
   *
   * @throws IllegalArgumentException on a wrong length or a non-finite value
   */
  public static Calibrator of(LabelSet labels, double[] weights, double[] bias) {
    return new AffineScaling(labels, false, weights, bias);
  }
}
