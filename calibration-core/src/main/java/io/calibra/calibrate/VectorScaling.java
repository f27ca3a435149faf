package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;

/**
 * Vector scaling (Guo et al. 2017): {@code q = softmax(w * log p + b)} with a weight and a bias per
 * label.
 *
 * <p>{@link #fit} minimises the mean NLL plus {@code lambda * (||w - 1/T||^2 + ||b||^2)} by L-BFGS
 * then Newton steps (to a gradient of at most {@value ScalingFit#GRADIENT_TOLERANCE}; {@link
 * #fitWithDiagnostics} says if it stopped short), starting from, and shrinking towards, the
 * temperature-scaling solution {@code w = 1/T, b = 0} (T fitted first on the same set). Since the
 * start has no penalty and the optimiser never returns a worse point, the fitted NLL is never above
 * temperature scaling's on the fitting set. The default {@value #DEFAULT_LAMBDA} keeps the fit
 * stable on small sets.
 *
 * <p><b>When there is no fit.</b> The scores {@code w * log p + b} are linear in (w, b): if the
 * fitted map puts every fitting row's gold label strictly on top, scaling it up drives the NLL to
 * 0, so no maximum-likelihood fit exists (the rows are separable in this family, as small dev sets
 * the model gets all right are). The fit then throws a {@link NoFitException}, as it does when
 * temperature scaling, its start, has no fit. The penalty does not change this: whatever {@code
 * lambda}, it is a stabiliser, not a prior that would make such a fit sane.
 */
public final class VectorScaling {

  /** Vector scaling's fitting: on labelled rows, with {@code lambda} and an iteration budget. */
  static final MethodFit.LabelledRows FIT =
      new MethodFit.LabelledRows(
          CalibrationMethod.VECTOR,
          (data, options) ->
              AffineScaling.reportWarning(
                  fitWithDiagnostics(
                      data,
                      options.lambda().orElse(VectorScaling.DEFAULT_LAMBDA),
                      options.control()),
                  options));

  /** Its saved stage: {@code weights} (K) and {@code bias} (K). */
  static final StageFormat FORMAT =
      new StageFormat(
          (labels, p) -> of(labels, p.required("weights"), p.required("bias")), "weights", "bias");

  /** The default L2 regularisation strength. */
  public static final double DEFAULT_LAMBDA = 1e-3;

  private VectorScaling() {}

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
    return AffineScaling.fit(FitData.of(data, "vector scaling"), data.labels(), true, lambda);
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
        FitData.of(data, "vector scaling"),
        data.labels(),
        true,
        lambda,
        control.maxIterations(),
        true,
        control.monitor());
  }

  /**
   * Fits on rows kept in parts (such as a Spark Dataset's partitions), with the same optimiser and
   * objective as {@link #fitWithDiagnostics(LabelledSet, double)}; the parts are asked for sums
   * only.
   *
   * @throws IllegalArgumentException on fewer than 2 rows, a single gold class, or a negative or
   *     non-finite {@code lambda}
   */
  public static ScalingFit fitWithDiagnostics(PartitionedRows rows, double lambda) {
    return AffineScaling.fit(FitData.of(rows, "vector scaling"), rows.labels(), true, lambda);
  }

  /**
   * A vector-scaling calibrator with known weights and biases, one per label.
   *
   * @throws IllegalArgumentException on a wrong length or a non-finite value
   */
  public static Calibrator of(LabelSet labels, double[] weights, double[] bias) {
    return new AffineScaling(labels, true, weights, bias);
  }
}
