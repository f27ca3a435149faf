package io.calibra.calibrate;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The settings of a fit that some methods have: the L2 strength {@code lambda} of vector and matrix
 * scaling, the ODIR strengths of Dirichlet calibration, the number of bins of histogram-binning and
 * scaling-binning, the seed of prototypical calibration, the strength gamma of batch calibration,
 * the iteration budget and monitor of the iterative fits, and who is told what a fit chose or where
 * it stopped short. A setting left unset takes the method's default.
 *
 * <p>A setting is refused by a method it does not apply to ({@link #requireApplicable}), so bins
 * given to temperature scaling are an error, never silently ignored. Immutable; thread-safe if its
 * {@link FitControl} monitor and {@link Log} are.
 */
public final class FitOptions {
  /** Told what a fit chose and where it stopped short of its optimum. */
  public interface Log {
    /** Ignores everything. */
    Log NONE =
        new Log() {
          @Override
          public void warning(String message) {}

          @Override
          public void note(String message) {}
        };

    /**
     * The fit is saved but off its optimum (an iteration budget reached); {@code message} says
     * which fit and by how much.
     */
    void warning(String message);

    /** A setting the fit chose itself, such as Dirichlet's ODIR strengths by cross-validation. */
    void note(String message);
  }

  private static final FitOptions DEFAULTS =
      new FitOptions(null, null, null, null, null, null, FitControl.DEFAULT, Log.NONE);

  private final Double lambda;
  private final Double odirLambda;
  private final Double odirMu;
  private final Integer bins;
  private final Long seed;
  private final Double strength;
  private final FitControl control;
  private final Log log;

  private FitOptions(
      Double lambda,
      Double odirLambda,
      Double odirMu,
      Integer bins,
      Long seed,
      Double strength,
      FitControl control,
      Log log) {
    this.lambda = lambda;
    this.odirLambda = odirLambda;
    this.odirMu = odirMu;
    this.bins = bins;
    this.seed = seed;
    this.strength = strength;
    this.control = control;
    this.log = log;
  }

  /** No setting given: every method's defaults, nobody told. */
  public static FitOptions defaults() {
    return DEFAULTS;
  }

  /** With L2 strength {@code lambda} (vector and matrix scaling; checked by the fit). */
  public FitOptions withLambda(double lambda) {
    return new FitOptions(lambda, odirLambda, odirMu, bins, seed, strength, control, log);
  }

  /**
   * With ODIR strengths {@code lambda} (off-diagonal) and {@code mu} (intercepts) for Dirichlet
   * calibration, instead of choosing them by cross-validation (checked by the fit).
   */
  public FitOptions withOdir(double lambda, double mu) {
    return new FitOptions(this.lambda, lambda, mu, bins, seed, strength, control, log);
  }

  /**
   * With {@code bins} bins per label (histogram-binning and scaling-binning; checked by the fit).
   */
  public FitOptions withBins(int bins) {
    return new FitOptions(lambda, odirLambda, odirMu, bins, seed, strength, control, log);
  }

  /** With {@code seed} for prototypical calibration's initialisation. */
  public FitOptions withSeed(long seed) {
    return new FitOptions(lambda, odirLambda, odirMu, bins, seed, strength, control, log);
  }

  /** With strength gamma for batch calibration (checked by the fit). */
  public FitOptions withStrength(double strength) {
    return new FitOptions(lambda, odirLambda, odirMu, bins, seed, strength, control, log);
  }

  /** With {@code control}'s iteration budget and monitor (vector, matrix, Dirichlet). */
  public FitOptions withControl(FitControl control) {
    Objects.requireNonNull(control, "control");
    return new FitOptions(lambda, odirLambda, odirMu, bins, seed, strength, control, log);
  }

  /** With {@code log} told of warnings and choices. */
  public FitOptions withLog(Log log) {
    Objects.requireNonNull(log, "log");
    return new FitOptions(lambda, odirLambda, odirMu, bins, seed, strength, control, log);
  }

  /** The L2 strength, if set. */
  public OptionalDouble lambda() {
    return lambda == null ? OptionalDouble.empty() : OptionalDouble.of(lambda);
  }

  /** The ODIR strength of the off-diagonal weights, if set. */
  public OptionalDouble odirLambda() {
    return odirLambda == null ? OptionalDouble.empty() : OptionalDouble.of(odirLambda);
  }

  /** The ODIR strength of the intercepts, if set. */
  public OptionalDouble odirMu() {
    return odirMu == null ? OptionalDouble.empty() : OptionalDouble.of(odirMu);
  }

  /** The bins per label, if set. */
  public OptionalInt bins() {
    return bins == null ? OptionalInt.empty() : OptionalInt.of(bins);
  }

  /** The seed, if set. */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /** Batch calibration's strength gamma, if set. */
  public OptionalDouble strength() {
    return strength == null ? OptionalDouble.empty() : OptionalDouble.of(strength);
  }

  /** The iteration budget and monitor ({@link FitControl#DEFAULT} unless set). */
  public FitControl control() {
    return control;
  }

  /** Who is told of warnings and choices ({@link Log#NONE} unless set). */
  public Log log() {
    return log;
  }

  /**
   * Checks that every setting given applies to {@code method}: lambda to vector and matrix scaling,
   * the ODIR strengths to Dirichlet calibration, bins to the binned methods, a seed to prototypical
   * calibration and a strength to batch calibration. The {@link FitControl} and the {@link Log}
   * apply to every method: a fit that does not iterate has nothing to tell them.
   *
   * @throws IllegalArgumentException naming the first setting that does not apply
   */
  public void requireApplicable(CalibrationMethod method) {
    Objects.requireNonNull(method, "method");
    refuse(lambda != null && !method.isRegularised(), method, "lambda", "vector and matrix");
    refuse(
        odirLambda != null && method != CalibrationMethod.DIRICHLET,
        method,
        "ODIR strengths",
        "dirichlet");
    refuse(
        bins != null && !method.isBinned(),
        method,
        "bins",
        "histogram-binning and scaling-binning");
    refuse(
        seed != null && method != CalibrationMethod.PROTOTYPICAL, method, "seed", "prototypical");
    refuse(strength != null && method != CalibrationMethod.BATCH, method, "strength", "batch");
  }

  private static void refuse(boolean given, CalibrationMethod method, String what, String owners) {
    if (given) {
      throw new IllegalArgumentException(method + " takes no " + what + "; only " + owners + " do");
    }
  }

  @Override
  public String toString() {
    return "FitOptions[lambda="
        + lambda
        + ", odir="
        + odirLambda
        + "/"
        + odirMu
        + ", bins="
        + bins
        + ", seed="
        + seed
        + ", strength="
        + strength
        + ", maxIterations="
        + control.maxIterations()
        + "]";
  }
}
