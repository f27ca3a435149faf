package io.calibra.calibrate;

import java.util.Objects;
import java.util.Optional;

/**
 * A vector- or matrix-scaling fit with its convergence diagnostics: whether the optimiser reached
 * the optimum of its objective (the gradient's largest component at most {@link
 * #GRADIENT_TOLERANCE}) or stopped short of it. A fit that did not converge still returns its best
 * point, but says so in {@link #warning()}; callers that only want the calibrator use {@code
 * VectorScaling.fit} or {@code MatrixScaling.fit}.
 *
 * @param calibrator the fitted calibrator
 * @param converged whether {@link #maxAbsGradient} is at most {@link #GRADIENT_TOLERANCE}
 * @param iterations the L-BFGS iterations taken
 * @param newtonSteps the Newton steps that polished the L-BFGS point
 * @param objective the regularised objective (mean NLL plus penalty) at the returned point
 * @param maxAbsGradient the largest absolute component of the objective's gradient there
 */
public record ScalingFit(
    Calibrator calibrator,
    boolean converged,
    int iterations,
    int newtonSteps,
    double objective,
    double maxAbsGradient) {
  /** The largest gradient component a converged fit may leave. */
  public static final double GRADIENT_TOLERANCE = 1e-8;

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if {@code calibrator} is null
   * @throws IllegalArgumentException on negative counts, or {@code converged} not matching the
   *     gradient
   */
  public ScalingFit {
    Objects.requireNonNull(calibrator, "calibrator");
    if (iterations < 0 || newtonSteps < 0) {
      throw new IllegalArgumentException(
          "iterations and Newton steps are "
              + iterations
              + " and "
              + newtonSteps
              + "; expected values >= 0");
    }
    if (converged != (maxAbsGradient <= GRADIENT_TOLERANCE)) {
      throw new IllegalArgumentException(
          "converged is "
              + converged
              + " but the largest gradient component is "
              + maxAbsGradient
              + "; expected converged exactly when it is at most "
              + GRADIENT_TOLERANCE);
    }
  }

  /** A warning for users if the fit did not converge, else empty. */
  public Optional<String> warning() {
    if (converged) {
      return Optional.empty();
    }
    return Optional.of(
        calibrator.method()
            + " scaling did not converge: the largest gradient component is "
            + maxAbsGradient
            + " after "
            + iterations
            + " L-BFGS iterations and "
            + newtonSteps
            + " Newton steps (expected at most "
            + GRADIENT_TOLERANCE
            + "); the calibrator may be off its optimum");
  }
}
