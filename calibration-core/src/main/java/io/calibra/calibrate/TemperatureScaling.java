package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks", ICML): {@code q
 * = softmax(log p / T)}, equivalently {@code softmax(z / T)} for logits {@code z}, since softmax
 * ignores a per-row shift.
 *
 * <p>{@link #fit} finds {@code T* = argmin NLL(softmax(log p / T))} on a labelled set with Commons
 * Math's Brent optimiser over {@code log T} in [{@value #MIN_LOG_TEMPERATURE}, {@value
 * #MAX_LOG_TEMPERATURE}] (T from about 0.0009 to 1100), to a relative 1e-6, then Newton steps on
 * {@code 1/T}, where the NLL is convex, to the exact optimum (a search on values alone cannot place
 * T closer than about 1e-7: the NLL differences sink below rounding). The NLL is exact (no
 * clipping); zero probabilities enter as log-probability {@code -745}, just below the log of the
 * smallest positive double. Sums over rows run in parallel chunks added in a fixed order, so the
 * fitted T does not depend on the number of threads. If the optimum's NLL is not below that of
 * {@code T = 1}, {@code T = 1} is returned, so a fit never raises the NLL on its fitting set.
 *
 * <p><b>When there is no fit.</b> The logits {@code z / T} are linear in {@code 1/T}, so the NLL is
 * convex in {@code 1/T} and a finite optimum with {@code T > 0} exists exactly when some row's gold
 * label scores strictly below another label (else the NLL keeps falling as T goes to 0: on
 * separable rows, as small dev sets often are, the "fit" is T near 0.001 and every test row the
 * model gets wrong then has a gold probability near 0) and the gold labels score above the average
 * label on the whole (else the optimum is at T = infinity). {@link #fit} checks both exactly before
 * optimising, and refuses a T at a bound of the search, with a {@link NoFitException} saying why
 * and what to do; it never returns such a T silently. On rows where the fit exists nothing changes.
 */
public final class TemperatureScaling {

  /** Temperature scaling's fitting: on labelled rows. */
  static final MethodFit.LabelledRows FIT =
      new MethodFit.LabelledRows(CalibrationMethod.TEMPERATURE, (data, options) -> fit(data));

  /** Its saved stage: {@code temperature} (one value). */
  static final StageFormat FORMAT =
      new StageFormat(
          (labels, p) -> of(labels, p.single("temperature", "temperatures")), "temperature");

  /** The lower bound of the search over {@code log T}. */
  public static final double MIN_LOG_TEMPERATURE = -7.0;

  /** The upper bound of the search over {@code log T}. */
  public static final double MAX_LOG_TEMPERATURE = 7.0;

  /** Newton steps on {@code 1/T} taken at most by {@link #polish}. */
  static final int MAX_POLISH = 20;

  private TemperatureScaling() {}

  /**
   * A temperature calibrator with a known temperature.
   *
   * @throws IllegalArgumentException unless {@code temperature} is finite and at least {@code
   *     1e-300} (so that {@code 1/T} is at most {@link Calibrator#MAX_PARAMETER_MAGNITUDE} and
   *     {@code log p / T} cannot overflow)
   */
  public static Calibrator of(LabelSet labels, double temperature) {
    return new Temperature(labels, temperature);
  }

  /**
   * Fits the temperature on a labelled set by minimising its NLL.
   *
   * @throws IllegalArgumentException on fewer than 2 rows or a single gold class
   * @throws NoFitException if the fit does not exist (separable or uninformative rows)
   */
  public static Calibrator fit(LabelledSet data) {
    return of(data.labels(), fitTemperature(FitData.of(data, "temperature scaling")));
  }

  /**
   * Fits the temperature on rows kept in parts (such as a Spark Dataset's partitions), with the
   * same optimiser as {@link #fit(LabelledSet)}; the parts are asked for sums only.
   *
   * @throws IllegalArgumentException on fewer than 2 rows or a single gold class
   * @throws NoFitException if the fit does not exist (separable or uninformative rows)
   */
  public static Calibrator fit(PartitionedRows rows) {
    return of(rows.labels(), fitTemperature(FitData.of(rows, "temperature scaling")));
  }

  static double fitTemperature(FitData data) {
    return fitTemperature(data, "temperature scaling");
  }

  /**
   * The fitted T, after checking that it exists ({@link #requireFit}); {@code method} names the
   * method in a refusal (vector scaling, for example, starts from this fit).
   *
   * @throws NoFitException if the fit does not exist or ends at a bound of the search
   */
  static double fitTemperature(FitData data, String method) {
    requireFit(data.temperatureExistence(), data.n, method);
    double t = fitTemperature(data::temperatureNll, data::inverseTemperatureDerivatives);
    double logT = Math.log(t);
    if (!(logT > MIN_LOG_TEMPERATURE + BOUND_MARGIN && logT < MAX_LOG_TEMPERATURE - BOUND_MARGIN)) {
      throw new NoFitException(
          method,
          String.format(
              java.util.Locale.ROOT,
              "the NLL is lowest at T = %.4g, the bound of the search over T (nearly separable or"
                  + " uninformative scores)",
              t));
    }
    return t;
  }

  /** How close (in log T) to a bound of the search a fitted T counts as at the bound. */
  static final double BOUND_MARGIN = 1e-3;

  /**
   * Refuses unless temperature scaling's fit exists, from {@link FitData#temperatureExistence}: a
   * slope at T = infinity ({@code 1/T = 0}) that is not negative means the NLL is lowest at T =
   * infinity or beyond (the scores carry no information about the gold labels, as when every row is
   * uniform, or point away from them); no row with its gold label strictly below another label
   * means the NLL falls for ever as T goes to 0 (every row right: separable).
   */
  static void requireFit(double[] existence, int n, String method) {
    if (!(existence[1] < 0)) {
      throw new NoFitException(
          method,
          "the gold labels score no higher than the average label, so the NLL is lowest as T"
              + " grows without bound (the scores carry no information about the labels)");
    }
    if (existence[0] == 0) {
      throw new NoFitException(
          method,
          "all "
              + n
              + " labelled rows have their gold label on top (separable), so the NLL keeps falling"
              + " as the scores are scaled up without bound");
    }
  }

  /**
   * The fit on a mean NLL given as a function of T and its derivatives with respect to {@code 1/T}
   * ({@link FitData#temperatureNll} and {@link FitData#inverseTemperatureDerivatives} in
   * production, scripted functions in tests): Brent over {@code log T}, then {@link #polish}, then
   * T = 1 unless the result's NLL is strictly below that of T = 1.
   */
  static double fitTemperature(DoubleUnaryOperator nll, DoubleFunction<double[]> derivatives) {
    // A coarse search brackets the optimum; Newton steps on 1/T (in polish) then make it exact.
    BrentOptimizer brent = new BrentOptimizer(1e-6, 1e-8);
    UnivariatePointValuePair best =
        brent.optimize(
            new MaxEval(1000),
            new UnivariateObjectiveFunction(logT -> nll.applyAsDouble(Math.exp(logT))),
            GoalType.MINIMIZE,
            new SearchInterval(MIN_LOG_TEMPERATURE, MAX_LOG_TEMPERATURE, 0.0));
    double t = polish(nll, derivatives, Math.exp(best.getPoint()));
    return nll.applyAsDouble(t) < nll.applyAsDouble(1.0) ? t : 1.0;
  }

  /**
   * Near its optimum the NLL is too flat for a search on values to place T closer than about 1e-7
   * (the differences sink below rounding), so a few Newton steps on the derivative with respect to
   * 1/T, which is convex, finish the job: at most {@value #MAX_POLISH} steps, stopping early at a
   * non-positive or non-finite second derivative, a non-finite first one, a proposal {@code 1/T}
   * that is not positive and finite, or a step of at most {@code 1e-15 * 1/T}. The polished T is
   * kept if its log lies in the search interval and its NLL is at most that of {@code t} plus
   * 1e-12, else {@code t} is returned.
   *
   * @param nll the mean NLL as a function of T
   * @param derivatives the first and second derivatives of the mean NLL with respect to 1/T
   */
  static double polish(DoubleUnaryOperator nll, DoubleFunction<double[]> derivatives, double t) {
    double beta = 1.0 / t;
    for (int iter = 0; iter < MAX_POLISH; iter++) {
      double[] d = derivatives.apply(beta);
      if (!(d[1] > 0) || !Double.isFinite(d[0])) {
        break;
      }
      double next = beta - d[0] / d[1];
      if (!(next > 0 && Double.isFinite(next))) {
        break;
      }
      double step = Math.abs(next - beta);
      beta = next;
      if (step <= 1e-15 * beta) {
        break;
      }
    }
    double polished = 1.0 / beta;
    boolean inRange =
        Math.log(polished) >= MIN_LOG_TEMPERATURE && Math.log(polished) <= MAX_LOG_TEMPERATURE;
    return inRange && nll.applyAsDouble(polished) <= nll.applyAsDouble(t) + 1e-12 ? polished : t;
  }

  /** {@code softmax(log p / T)}. */
  static final class Temperature extends AbstractCalibrator implements Calibrator.Temperature {
    private final double temperature;
    private final double inverse;

    Temperature(LabelSet labels, double temperature) {
      super(labels);
      if (!(temperature > 0 && temperature < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "temperature is " + temperature + "; expected a finite value > 0");
      }
      if (!(1.0 / temperature <= Calibrator.MAX_PARAMETER_MAGNITUDE)) {
        throw new IllegalArgumentException(
            "temperature is "
                + temperature
                + "; expected a value >= 1e-300 (1/temperature must be at most "
                + Calibrator.MAX_PARAMETER_MAGNITUDE
                + ", or log p / T overflows)");
      }
      this.temperature = temperature;
      this.inverse = 1.0 / temperature;
    }

    @Override
    void transform(double[] in, int inOffset, double[] out, int outOffset) {
      for (int i = 0; i < k; i++) {
        out[outOffset + i] = Probabilities.flooredLog(in[inOffset + i]) * inverse;
      }
      Probabilities.softmaxInto(out, outOffset, k, out, outOffset);
    }

    @Override
    public double temperature() {
      return temperature;
    }

    @Override
    public CalibrationMethod kind() {
      return CalibrationMethod.TEMPERATURE;
    }

    @Override
    Map<String, double[]> parameterMap() {
      Map<String, double[]> p = new LinkedHashMap<>();
      p.put("temperature", new double[] {temperature});
      return p;
    }
  }
}
