package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealVector;

/**
 * Platt scaling and beta calibration (Kull, Silva Filho and Flach 2017, "Beta calibration: a
 * well-founded and easily implemented improvement on logistic calibration for binary classifiers",
 * AISTATS) for two labels. With {@code p = (p_0, p_1)}, label 1 the positive class, and {@code l_j
 * = log p_j} (floored at {@link Probabilities#LOG_FLOOR}):
 *
 * <pre>
 *   logit q_1 = a l_1 - b l_0 + c,    q_0 = 1 - q_1
 * </pre>
 *
 * <ul>
 *   <li>{@code platt}: {@code a = b}, so {@code logit q_1 = a (l_1 - l_0) + c}: logistic regression
 *       on the log-odds (Platt 1999 on the score {@code log(p_1 / p_0)}), a and c free;
 *   <li>{@code beta}: the three-parameter beta family, with {@code a, b >= 0} as Kull et al.
 *       require so that the map is non-decreasing in {@code p_1}. It contains Platt's ({@code a =
 *       b}) and the identity ({@code a = b = 1, c = 0}).
 * </ul>
 *
 * <p>Both are fitted by maximum likelihood (the mean NLL of the gold labels, exact: no clipping, no
 * target smoothing) with Newton's method (exact Hessian, Cholesky solve), from the identity:
 * backtracking steps until the Newton step is below {@code 1e-6 (1 + max |theta|)}, then whole
 * Newton steps (at most 8; the NLL's changes are below its rounding there) until it is below {@code
 * 1e-14 (1 + max |theta|)}. The fit is then at the optimum to rounding: the gradient's largest
 * component must be at most {@link ScalingFit#GRADIENT_TOLERANCE} (in practice it is about 1e-15),
 * else the fit fails. Beta's constraint is met exactly: the objective is convex, so its constrained
 * optimum is the optimum of one face of {@code a, b >= 0} (both free; {@code a = 0}; {@code b = 0};
 * both 0); each face is fitted and the feasible one with the lowest NLL kept (the earlier in that
 * order on an exact tie; the full face ends the search when feasible). If the labelled rows are
 * (quasi-)separated by the features the likelihood has no maximum (the parameters run to infinity)
 * and the fit fails naming the method, rather than returning an arbitrary point.
 */
public final class LogisticCalibration {

  /** Platt scaling's fitting: on labelled rows of two labels. */
  static final MethodFit.LabelledRows PLATT_FIT =
      new MethodFit.LabelledRows(CalibrationMethod.PLATT, (data, options) -> platt(data));

  /** Beta calibration's fitting: on labelled rows of two labels. */
  static final MethodFit.LabelledRows BETA_FIT =
      new MethodFit.LabelledRows(CalibrationMethod.BETA, (data, options) -> beta(data));

  /** Platt scaling's saved stage: {@code slope} and {@code intercept} (one value each). */
  static final StageFormat PLATT_FORMAT =
      new StageFormat(
          (labels, p) -> platt(labels, p.single("slope"), p.single("intercept")),
          "slope",
          "intercept");

  /** Beta calibration's saved stage: {@code a}, {@code b} and {@code c} (one value each). */
  static final StageFormat BETA_FORMAT =
      new StageFormat(
          (labels, p) -> beta(labels, p.single("a"), p.single("b"), p.single("c")), "a", "b", "c");

  /** Newton steps taken at most. */
  static final int MAX_NEWTON = 200;

  /** Step lengths tried at most by the backtracking (1, 1/2, ..., 2^-59). */
  static final int MAX_TRIES = 60;

  /** Newton steps this small (relative to 1 + max |theta|) are taken whole. */
  static final double POLISH = 1e-6;

  /** Full Newton steps taken at most in the quadratic region. */
  static final int MAX_POLISH = 8;

  private LogisticCalibration() {}

  /**
   * Fits Platt scaling on a labelled set over two labels.
   *
   * @throws IllegalArgumentException if there are not exactly 2 labels (naming K), on fewer than 2
   *     rows or a single gold class, or if the rows are separable (no maximum-likelihood fit)
   */
  public static Calibrator platt(LabelledSet data) {
    double[][] x = features(data, "platt", true);
    double[] theta = newton(x, data.goldArray(), "platt");
    return new Logistic(data.labels(), true, theta[0], theta[0], theta[1]);
  }

  /**
   * Fits beta calibration on a labelled set over two labels.
   *
   * @throws IllegalArgumentException if there are not exactly 2 labels (naming K), on fewer than 2
   *     rows or a single gold class, or if no face of the constraint has a maximum-likelihood fit
   */
  public static Calibrator beta(LabelledSet data) {
    double[][] full = features(data, "beta", false);
    int[] y = data.goldArray();
    double[] best =
        constrainedOptimum(
            face -> {
              double[][] x = new double[full.length][face.length];
              for (int i = 0; i < full.length; i++) {
                for (int j = 0; j < face.length; j++) {
                  x[i][j] = full[i][face[j]];
                }
              }
              // the unconstrained fit fails on separable or too few distinct rows, and then so
              // would every face whose cone holds the separating direction: beta fails with it;
              // when it succeeds, every face (a subspace) has an optimum too
              return newton(x, y, "beta");
            },
            theta -> nll(full, y, theta));
    return new Logistic(data.labels(), false, best[0], best[1], best[2]);
  }

  /**
   * The faces of {@code a, b >= 0} in the order they are tried: {a, b, c} free; a = 0; b = 0; a = b
   * = 0 (the indices of the free coordinates among (a, b, c)).
   */
  private static final int[][] FACES = {{0, 1, 2}, {1, 2}, {0, 2}, {2}};

  /**
   * The constrained optimum from the optima of the faces: the full face's if it is feasible (then
   * no other face is asked for), else the feasible face optimum ({@code a, b >= 0}, zeros included)
   * with the lowest NLL, the first in {@link #FACES} order on an exact tie.
   *
   * @param faceOptimum the optimum of a face, its free coordinates in the face's order
   * @param nll the NLL of a full (a, b, c)
   */
  static double[] constrainedOptimum(
      Function<int[], double[]> faceOptimum, ToDoubleFunction<double[]> nll) {
    double[] best = null;
    double bestNll = Double.POSITIVE_INFINITY;
    for (int[] face : FACES) {
      double[] sub = faceOptimum.apply(face);
      double[] theta = new double[3];
      for (int j = 0; j < face.length; j++) {
        theta[face[j]] = sub[j];
      }
      if (!(theta[0] >= 0 && theta[1] >= 0)) {
        continue;
      }
      double value = nll.applyAsDouble(theta);
      if (value < bestNll) {
        bestNll = value;
        best = theta;
      }
      if (face.length == 3) {
        break; // the unconstrained optimum is feasible: it is the constrained one
      }
    }
    return best;
  }

  /**
   * Platt scaling with known parameters: {@code logit q_1 = a (log p_1 - log p_0) + c}.
   *
   * @throws IllegalArgumentException unless there are 2 labels and a and c are finite, of magnitude
   *     at most {@link Calibrator#MAX_PARAMETER_MAGNITUDE}
   */
  public static Calibrator platt(LabelSet labels, double a, double c) {
    return new Logistic(labels, true, a, a, c);
  }

  /**
   * Beta calibration with known parameters: {@code logit q_1 = a log p_1 - b log p_0 + c}.
   *
   * @throws IllegalArgumentException unless there are 2 labels, a and b are in [0, {@link
   *     Calibrator#MAX_PARAMETER_MAGNITUDE}] and c finite of magnitude at most that
   */
  public static Calibrator beta(LabelSet labels, double a, double b, double c) {
    return new Logistic(labels, false, a, b, c);
  }

  static void requireTwoLabels(LabelSet labels, String method) {
    if (labels.size() != 2) {
      throw new IllegalArgumentException(
          method
              + " calibration needs exactly 2 labels (K = 2); found K = "
              + labels.size()
              + " ("
              + String.join(", ", labels.names())
              + ")");
    }
  }

  /** Rows of {@code (l_1 - l_0, 1)} (platt) or {@code (l_1, -l_0, 1)} (beta). */
  private static double[][] features(LabelledSet data, String method, boolean platt) {
    java.util.Objects.requireNonNull(data, "data");
    requireTwoLabels(data.labels(), method);
    data.requireFittable(method + " calibration");
    double[][] x = new double[data.size()][];
    for (int i = 0; i < x.length; i++) {
      double l0 = Probabilities.flooredLog(data.distribution(i).probability(0));
      double l1 = Probabilities.flooredLog(data.distribution(i).probability(1));
      x[i] = platt ? new double[] {l1 - l0, 1.0} : new double[] {l1, -l0, 1.0};
    }
    return x;
  }

  /** {@code log(1 + exp(s))}, stable. */
  static double softplus(double s) {
    return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
  }

  /** {@code 1 / (1 + exp(-s))}, stable. */
  static double sigmoid(double s) {
    if (s >= 0) {
      return 1.0 / (1.0 + Math.exp(-s));
    }
    double e = Math.exp(s);
    return e / (1.0 + e);
  }

  private static double dot(double[] x, double[] theta) {
    double s = 0;
    for (int j = 0; j < x.length; j++) {
      s += x[j] * theta[j];
    }
    return s;
  }

  /** The mean NLL of {@code y} (label 1 positive) under {@code sigmoid(x . theta)}. */
  static double nll(double[][] x, int[] y, double[] theta) {
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double s = dot(x[i], theta);
      total += y[i] == 1 ? softplus(-s) : softplus(s);
    }
    return total / x.length;
  }

  /** The gradient of {@link #nll} at {@code theta}. */
  static double[] gradient(double[][] x, int[] y, double[] theta) {
    int d = theta.length;
    double[] g = new double[d];
    for (int i = 0; i < x.length; i++) {
      double r = sigmoid(dot(x[i], theta)) - y[i];
      for (int j = 0; j < d; j++) {
        g[j] += r * x[i][j];
      }
    }
    for (int j = 0; j < d; j++) {
      g[j] /= x.length;
    }
    return g;
  }

  /** A smooth convex function of theta with its gradient and Hessian (scripted in tests). */
  interface Objective {
    /** The value at {@code theta}. */
    double value(double[] theta);

    /** The gradient at {@code theta}. */
    double[] gradient(double[] theta);

    /** The Hessian at {@code theta}, a full symmetric matrix. */
    double[][] hessian(double[] theta);
  }

  /** {@link #nll} of rows {@code x} and gold {@code y}, with its gradient and Hessian. */
  static Objective rows(double[][] x, int[] y) {
    return new Objective() {
      @Override
      public double value(double[] theta) {
        return nll(x, y, theta);
      }

      @Override
      public double[] gradient(double[] theta) {
        return LogisticCalibration.gradient(x, y, theta);
      }

      @Override
      public double[][] hessian(double[] theta) {
        int d = theta.length;
        double[][] h = new double[d][d];
        for (double[] row : x) {
          double q = sigmoid(dot(row, theta));
          double w = q * (1 - q);
          for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
              h[a][b] += w * row[a] * row[b];
            }
          }
        }
        for (int a = 0; a < d; a++) {
          for (int b = a; b < d; b++) {
            h[a][b] /= x.length;
            h[b][a] = h[a][b];
          }
        }
        return h;
      }
    };
  }

  /**
   * Newton's method with backtracking on {@link #nll} of rows {@code x} and gold {@code y}; returns
   * the optimum.
   *
   * @throws IllegalArgumentException if it has none (separable rows)
   */
  static double[] newton(double[][] x, int[] y, String method) {
    return newton(rows(x, y), x[0].length, method);
  }

  /**
   * Newton's method with backtracking on {@code f} in {@code d} dimensions, from {@code theta = (1,
   * ..., 1, 0)} (the identity map for the rows' objective): while the Newton step exceeds {@link
   * #POLISH} {@code (1 + max |theta|)}, the step is halved (at most 59 times) until the value is at
   * most the current one; below that, whole steps are taken until one is at most {@code 1e-14 (1 +
   * max |theta|)} or {@link #MAX_POLISH} have been taken; then the gradient must be within {@link
   * ScalingFit#GRADIENT_TOLERANCE}. At most {@link #MAX_NEWTON} steps in all.
   *
   * @throws IllegalArgumentException naming {@code method} if the Hessian is not positive definite,
   *     a step is not finite, no halving lowers the value, the steps run out or the final gradient
   *     is too large (separable rows)
   */
  static double[] newton(Objective f, int d, String method) {
    double[] theta = new double[d];
    for (int j = 0; j < d - 1; j++) {
      theta[j] = 1.0;
    }
    double value = f.value(theta);
    int polished = 0;
    for (int iter = 0; iter < MAX_NEWTON; iter++) {
      double[] g = f.gradient(theta);
      double[][] h = f.hessian(theta);
      RealVector step;
      try {
        step =
            new CholeskyDecomposition(new Array2DRowRealMatrix(h, false), 1e-300, 0)
                .getSolver()
                .solve(new ArrayRealVector(g, false))
                .mapMultiply(-1);
      } catch (NonPositiveDefiniteMatrixException
          | org.apache.commons.math3.linear.SingularMatrixException e) {
        throw separable(method, theta);
      }
      double size = step.getLInfNorm();
      if (!Double.isFinite(size)) {
        throw separable(method, theta);
      }
      double thetaSize = 0;
      for (double t : theta) {
        thetaSize = Math.max(thetaSize, Math.abs(t));
      }
      double[] next = new double[d];
      if (size <= POLISH * (1 + thetaSize)) {
        // in Newton's quadratic region: full steps, since the NLL's changes are below its
        // rounding and a line search would stall on noise
        for (int j = 0; j < d; j++) {
          next[j] = theta[j] + step.getEntry(j);
        }
        theta = next;
        if (size <= 1e-14 * (1 + thetaSize) || ++polished >= MAX_POLISH) {
          return converged(f, theta, method);
        }
        value = f.value(theta);
        continue;
      }
      double scale = 1.0;
      double fNext = Double.NaN;
      boolean lowered = false;
      for (int tries = 0; tries < MAX_TRIES; tries++) {
        for (int j = 0; j < d; j++) {
          next[j] = theta[j] + scale * step.getEntry(j);
        }
        fNext = f.value(next);
        if (fNext <= value) {
          lowered = true;
          break;
        }
        scale *= 0.5;
      }
      if (!lowered) {
        // a Newton step this large that lowers nothing: the NLL is at its rounding floor far
        // from a stationary point, as on separable rows (NLL -> 0 as the parameters grow)
        throw separable(method, theta);
      }
      theta = next;
      value = fNext;
    }
    throw separable(method, theta);
  }

  /** Returns {@code theta} if the gradient there is within the tolerance, else fails. */
  private static double[] converged(Objective f, double[] theta, String method) {
    double max = 0;
    for (double v : f.gradient(theta)) {
      max = Math.max(max, Math.abs(v));
    }
    if (!(max <= ScalingFit.GRADIENT_TOLERANCE)) {
      throw separable(method, theta);
    }
    return theta;
  }

  private static IllegalArgumentException separable(String method, double[] theta) {
    return new NoFitException(
        method
            + " calibration has no unique maximum-likelihood fit: the labelled rows are (nearly)"
            + " separable by the log-probabilities, so the parameters grow without bound, or too"
            + " few distinct to identify them (stopped at "
            + java.util.Arrays.toString(theta)
            + ")");
  }

  /** {@code logit q_1 = a l_1 - b l_0 + c}. */
  static final class Logistic extends AbstractCalibrator implements Calibrator.Logistic {
    private final boolean platt;
    private final double a;
    private final double b;
    private final double c;

    Logistic(LabelSet labels, boolean platt, double a, double b, double c) {
      super(labels);
      this.platt = platt;
      String method = platt ? "platt" : "beta";
      requireTwoLabels(labels, method);
      check(method, "a", a, !platt);
      check(method, "b", b, !platt);
      check(method, "c", c, false);
      this.a = a;
      this.b = b;
      this.c = c;
    }

    private static void check(String method, String name, double v, boolean nonNegative) {
      boolean ok = Math.abs(v) <= Calibrator.MAX_PARAMETER_MAGNITUDE && (!nonNegative || v >= 0);
      if (!ok) {
        throw new IllegalArgumentException(
            method
                + " calibration "
                + name
                + " is "
                + v
                + "; expected a finite value"
                + (nonNegative ? " >= 0" : "")
                + " of magnitude at most "
                + Calibrator.MAX_PARAMETER_MAGNITUDE);
      }
    }

    @Override
    void transform(double[] in, int inOffset, double[] out, int outOffset) {
      double l0 = Probabilities.flooredLog(in[inOffset]);
      double l1 = Probabilities.flooredLog(in[inOffset + 1]);
      double s = platt ? a * (l1 - l0) + c : a * l1 - b * l0 + c;
      out[outOffset] = sigmoid(-s);
      out[outOffset + 1] = sigmoid(s);
    }

    @Override
    public double a() {
      return a;
    }

    @Override
    public double b() {
      return b;
    }

    @Override
    public double c() {
      return c;
    }

    @Override
    public CalibrationMethod kind() {
      return platt ? CalibrationMethod.PLATT : CalibrationMethod.BETA;
    }

    @Override
    Map<String, double[]> parameterMap() {
      Map<String, double[]> p = new LinkedHashMap<>();
      if (platt) {
        p.put("slope", new double[] {a});
        p.put("intercept", new double[] {c});
      } else {
        p.put("a", new double[] {a});
        p.put("b", new double[] {b});
        p.put("c", new double[] {c});
      }
      return p;
    }
  }
}
