package io.calibra.calibrate;

/**
 * How long an iterative fit (vector, matrix and Dirichlet scaling) may run, and who is told how it
 * goes: {@code maxIterations} L-BFGS iterations per optimisation (a fit that reaches them stops
 * short of the optimum and says so in {@link ScalingFit#warning()}), and a {@link Monitor} called
 * after every iteration, which may throw an unchecked exception to stop the fit (a time limit, a
 * cancelled job); the fit lets it through. Immutable; thread-safe if the monitor is.
 *
 * @param maxIterations the L-BFGS iterations of each optimisation, at least 1
 * @param monitor told after every iteration
 */
public record FitControl(int maxIterations, Monitor monitor) {
  /** The default: {@value AffineFit#MAX_ITERATIONS} iterations, nobody told. */
  public static final FitControl DEFAULT =
      new FitControl(AffineFit.MAX_ITERATIONS, (stage, iteration, objective) -> {});

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if {@code maxIterations < 1}
   * @throws NullPointerException if {@code monitor} is null
   */
  public FitControl {
    if (maxIterations < 1) {
      throw new IllegalArgumentException(
          "maximum iterations is " + maxIterations + "; expected at least 1");
    }
    java.util.Objects.requireNonNull(monitor, "monitor");
  }

  /** Told after every iteration of an iterative fit. */
  @FunctionalInterface
  public interface Monitor {
    /**
     * One more iteration of {@code stage} is done.
     *
     * @param stage what is being fitted, such as {@code "dirichlet lambda 0.1, mu 0.01, fold 2 of
     *     3"}
     * @param iteration the iterations of this stage so far (L-BFGS, then Newton steps)
     * @param objective the objective (mean NLL plus penalty) reached
     */
    void iteration(String stage, int iteration, double objective);
  }
}
