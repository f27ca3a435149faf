package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code q = softmax(W log p + b)} with a full (matrix scaling) or diagonal (vector scaling) W, and
 * its regularised NLL fit.
 */
final class AffineScaling extends AbstractCalibrator implements Calibrator.Scaling {
  private final CalibrationMethod method;
  private final boolean diagonal;
  private final double[] weights; // K values if diagonal, else K*K row-major
  private final double[] bias;

  AffineScaling(LabelSet labels, boolean diagonal, double[] weights, double[] bias) {
    this(
        diagonal ? CalibrationMethod.VECTOR : CalibrationMethod.MATRIX,
        labels,
        diagonal,
        weights,
        bias);
  }

  /** A full-matrix map recorded as {@code method} (Dirichlet calibration). */
  AffineScaling(
      CalibrationMethod method,
      LabelSet labels,
      boolean diagonal,
      double[] weights,
      double[] bias) {
    super(labels);
    this.method = method;
    this.diagonal = diagonal;
    int expected = diagonal ? k : k * k;
    if (weights.length != expected || bias.length != k) {
      throw new IllegalArgumentException(
          "expected "
              + expected
              + " weights and "
              + k
              + " biases for "
              + k
              + " labels, found "
              + weights.length
              + " and "
              + bias.length);
    }
    checkFinite(weights, "weights");
    checkFinite(bias, "bias");
    this.weights = weights.clone();
    this.bias = bias.clone();
  }

  private void checkFinite(double[] v, String what) {
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(
            kind() + " scaling " + what + "[" + i + "] is " + v[i] + "; expected a finite value");
      }
      if (!(Math.abs(v[i]) <= Calibrator.MAX_PARAMETER_MAGNITUDE)) {
        throw new IllegalArgumentException(
            kind()
                + " scaling "
                + what
                + "["
                + i
                + "] is "
                + v[i]
                + "; expected a finite value of magnitude at most "
                + Calibrator.MAX_PARAMETER_MAGNITUDE
                + " (larger ones overflow)");
      }
    }
  }

  @Override
  void transform(double[] in, int inOffset, double[] out, int outOffset) {
    if (diagonal) {
      for (int i = 0; i < k; i++) {
        out[outOffset + i] = weights[i] * Probabilities.flooredLog(in[inOffset + i]) + bias[i];
      }
    } else {
      double[] z = scratch(k);
      for (int j = 0; j < k; j++) {
        z[j] = Probabilities.flooredLog(in[inOffset + j]);
      }
      for (int i = 0; i < k; i++) {
        double s = bias[i];
        for (int j = 0; j < k; j++) {
          s += weights[i * k + j] * z[j];
        }
        out[outOffset + i] = s;
      }
    }
    Probabilities.softmaxInto(out, outOffset, k, out, outOffset);
  }

  private static final ThreadLocal<double[]> SCRATCH = new ThreadLocal<>();

  // One buffer per thread, so the batch path allocates nothing per row and stays thread-safe.
  private static double[] scratch(int size) {
    double[] buffer = SCRATCH.get();
    if (buffer == null || buffer.length < size) {
      buffer = new double[size];
      SCRATCH.set(buffer);
    }
    return buffer;
  }

  @Override
  public CalibrationMethod kind() {
    return method;
  }

  @Override
  public boolean diagonal() {
    return diagonal;
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double[] biases() {
    return bias.clone();
  }

  @Override
  Map<String, double[]> parameterMap() {
    Map<String, double[]> p = new LinkedHashMap<>();
    p.put("weights", weights.clone());
    p.put("bias", bias.clone());
    return p;
  }

  /** L-BFGS iterations before the Newton polish. */
  static final int MAX_ITERATIONS = 1000;

  /** Newton polish runs only up to this many parameters (its Hessian is dense). */
  static final int MAX_NEWTON_DIMENSION = 1200;

  /** Tells {@code options}' log when {@code fit} stopped short of its optimum; its calibrator. */
  static Calibrator reportWarning(ScalingFit fit, FitOptions options) {
    fit.warning().ifPresent(options.log()::warning);
    return fit.calibrator();
  }

  /**
   * Fits by L-BFGS from W = I/T (T fitted by temperature scaling), b = 0, minimising mean NLL plus
   * {@code lambda * (||W - I/T||^2 + ||b||^2)} (over the diagonal only for vector scaling), then
   * Newton steps to the optimum (L-BFGS alone slows to a crawl on the flat, ill-conditioned valleys
   * of matrix scaling); the result says whether the gradient reached {@link
   * ScalingFit#GRADIENT_TOLERANCE}.
   */
  static ScalingFit fit(FitData data, LabelSet labels, boolean diagonal, double lambda) {
    return fit(data, labels, diagonal, lambda, MAX_ITERATIONS, true);
  }

  /** {@link #fit} with an iteration budget and optional polish (tests). */
  static ScalingFit fit(
      FitData data,
      LabelSet labels,
      boolean diagonal,
      double lambda,
      int maxIterations,
      boolean polish) {
    return fit(data, labels, diagonal, lambda, maxIterations, polish, FitControl.DEFAULT.monitor());
  }

  /** {@link #fit} with an iteration budget, optional polish and a monitor. */
  static ScalingFit fit(
      FitData data,
      LabelSet labels,
      boolean diagonal,
      double lambda,
      int maxIterations,
      boolean polish,
      FitControl.Monitor monitor) {
    String method = diagonal ? "vector scaling" : "matrix scaling";
    return requireNotSeparating(
        data,
        diagonal,
        method,
        fitPenalised(data, labels, diagonal, lambda, maxIterations, polish, monitor));
  }

  /**
   * The optimum of the penalised objective, without the check that the map does not separate the
   * rows ({@link #requireNotSeparating}); it still needs temperature scaling's fit for its start.
   */
  static ScalingFit fitPenalised(
      FitData data,
      LabelSet labels,
      boolean diagonal,
      double lambda,
      int maxIterations,
      boolean polish) {
    return fitPenalised(
        data, labels, diagonal, lambda, maxIterations, polish, FitControl.DEFAULT.monitor());
  }

  private static ScalingFit fitPenalised(
      FitData data,
      LabelSet labels,
      boolean diagonal,
      double lambda,
      int maxIterations,
      boolean polish,
      FitControl.Monitor monitor) {
    checkStrength("regularisation strength", lambda);
    int k = data.k;
    String method = diagonal ? "vector scaling" : "matrix scaling";
    double w0 = 1.0 / TemperatureScaling.fitTemperature(data, method);
    int nw = diagonal ? k : k * k;
    return minimise(
        (x, grad) -> value(data, diagonal, lambda, w0, x, grad),
        p -> hessian(data, diagonal, lambda, p),
        start(k, diagonal, w0),
        maxIterations,
        polish,
        monitor,
        method,
        x ->
            new AffineScaling(
                labels,
                diagonal,
                java.util.Arrays.copyOfRange(x, 0, nw),
                java.util.Arrays.copyOfRange(x, nw, nw + k)));
  }

  /**
   * Fits Dirichlet calibration: full W and b minimising the mean NLL plus the ODIR penalty {@code
   * lambda / (K (K - 1)) * sum_{i != j} W_ij^2 + mu / K * sum_j b_j^2}, by L-BFGS from W = I/T, b =
   * 0 (T fitted by temperature scaling), then Newton steps, as {@link #fit}.
   */
  static ScalingFit fitOdir(FitData data, LabelSet labels, double lambda, double mu) {
    return fitOdir(data, labels, lambda, mu, MAX_ITERATIONS, true);
  }

  /** {@link #fitOdir} with an iteration budget and optional polish (tests). */
  static ScalingFit fitOdir(
      FitData data, LabelSet labels, double lambda, double mu, int maxIterations, boolean polish) {
    return fitOdir(
        data, labels, lambda, mu, maxIterations, polish, FitControl.DEFAULT.monitor(), "");
  }

  /**
   * {@link #fitOdir} with an iteration budget, optional polish, a monitor and what to call the
   * stage after "dirichlet" (such as "lambda 0.1, mu 0.01, fold 2 of 3").
   */
  static ScalingFit fitOdir(
      FitData data,
      LabelSet labels,
      double lambda,
      double mu,
      int maxIterations,
      boolean polish,
      FitControl.Monitor monitor,
      String stage) {
    checkStrength("ODIR lambda", lambda);
    checkStrength("ODIR mu", mu);
    int k = data.k;
    double offWeight = odirOffDiagonalWeight(k, lambda);
    double biasWeight = mu / k;
    String method = "dirichlet calibration";
    double w0 = 1.0 / TemperatureScaling.fitTemperature(data, method);
    return requireNotSeparating(
        data,
        false,
        method,
        minimise(
            (x, grad) -> odirValue(data, offWeight, biasWeight, x, grad),
            p -> odirHessian(data, offWeight, biasWeight, p),
            start(k, false, w0),
            maxIterations,
            polish,
            monitor,
            stage.isEmpty() ? "dirichlet" : "dirichlet " + stage,
            x ->
                new AffineScaling(
                    CalibrationMethod.DIRICHLET,
                    labels,
                    false,
                    java.util.Arrays.copyOfRange(x, 0, k * k),
                    java.util.Arrays.copyOfRange(x, k * k, k * k + k))));
  }

  /**
   * Returns {@code fit} unless its calibrator puts every fitting row's gold label strictly on top.
   * The scores {@code W z + b} are linear in (W, b), so every row's margin (gold score minus
   * another label's) is too: if one (W, b) makes every margin positive, multiplying it by c > 1
   * multiplies the margins by c and drives the NLL to 0. The unpenalised maximum-likelihood fit
   * then does not exist (the rows are separable in this family), and the penalised one is only as
   * finite as its weak penalty makes it: weights that sharpen every row to near certainty.
   *
   * @throws NoFitException if the fitted map separates the rows
   */
  static ScalingFit requireNotSeparating(
      FitData data, boolean diagonal, String method, ScalingFit fit) {
    Calibrator.Scaling c = (Calibrator.Scaling) fit.calibrator();
    double[] x = concat(c.weights(), c.biases());
    double onTop = data.sum(new GoldOnTop(diagonal, x))[0];
    if (onTop == data.n) {
      throw new NoFitException(
          method,
          "the fitted map puts the gold label strictly on top in all "
              + data.n
              + " labelled rows (separable in this family), so the NLL keeps falling as the"
              + " weights grow");
    }
    return fit;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Counts the rows whose gold score under {@code W z + b} is strictly above every other. */
  private record GoldOnTop(boolean diagonal, double[] x) implements PartitionedRows.Kernel {
    @Override
    public int width() {
      return 1;
    }

    @Override
    public void add(double[] z, int[] gold, int k, int from, int to, double[] into) {
      double[] s = new double[k];
      for (int r = from; r < to; r++) {
        scores(diagonal, x, z, r * k, k, s);
        int g = gold[r];
        boolean top = true;
        for (int i = 0; i < k; i++) {
          top &= i == g || s[i] < s[g];
        }
        if (top) {
          into[0]++;
        }
      }
    }
  }

  /**
   * L-BFGS from {@code start} and, when {@code polish} and the parameters are at most {@link
   * #MAX_NEWTON_DIMENSION}, Newton steps with {@code hessian}: with a polish to follow, L-BFGS only
   * needs to come near; without, to the promised 1e-8.
   */
  static ScalingFit minimise(
      Lbfgs.Objective objective,
      java.util.function.Function<double[], double[]> hessian,
      double[] start,
      int maxIterations,
      boolean polish,
      java.util.function.Function<double[], AffineScaling> calibrator) {
    return minimise(
        objective,
        hessian,
        start,
        maxIterations,
        polish,
        FitControl.DEFAULT.monitor(),
        "",
        calibrator);
  }

  /** {@link #minimise}, telling the monitor about every L-BFGS iteration and Newton step. */
  private static ScalingFit minimise(
      Lbfgs.Objective objective,
      java.util.function.Function<double[], double[]> hessian,
      double[] start,
      int maxIterations,
      boolean polish,
      FitControl.Monitor monitor,
      String stage,
      java.util.function.Function<double[], AffineScaling> calibrator) {
    boolean newton = polish && start.length <= MAX_NEWTON_DIMENSION;
    Lbfgs.Result result =
        Lbfgs.minimize(
            objective,
            start,
            maxIterations,
            newton ? HANDOVER_GRADIENT : ScalingFit.GRADIENT_TOLERANCE,
            (iteration, value) -> monitor.iteration(stage, iteration, value));
    double[] x = result.x();
    double[] g = result.gradient();
    double fx = result.value();
    int newtonSteps = 0;
    if (newton) {
      int before = result.iterations();
      double[] polished =
          polish(
              objective,
              hessian,
              x,
              g,
              fx,
              (step, value) -> monitor.iteration(stage, before + step, value));
      fx = polished[0];
      newtonSteps = (int) polished[1];
    }
    double largest = maxAbs(g);
    return new ScalingFit(
        calibrator.apply(x),
        largest <= ScalingFit.GRADIENT_TOLERANCE,
        result.iterations(),
        newtonSteps,
        fx,
        largest);
  }

  private static void checkStrength(String what, double v) {
    if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(what + " is " + v + "; expected a finite value >= 0");
    }
  }

  /** The per-entry weight of the off-diagonal penalty: lambda / (K (K - 1)). */
  private static double odirOffDiagonalWeight(int k, double lambda) {
    return lambda / ((double) k * (k - 1));
  }

  /** The ODIR objective and its gradient (for tests). */
  static double odirObjective(FitData data, double lambda, double mu, double[] x, double[] grad) {
    return odirValue(data, odirOffDiagonalWeight(data.k, lambda), mu / data.k, x, grad);
  }

  /** The ODIR objective's Hessian (for tests). */
  static double[] odirHessianOf(FitData data, double lambda, double mu, double[] x) {
    return odirHessian(data, odirOffDiagonalWeight(data.k, lambda), mu / data.k, x);
  }

  private static double odirValue(
      FitData data, double offWeight, double biasWeight, double[] x, double[] grad) {
    int k = data.k;
    int nw = k * k;
    double[] sums = data.sum(new GradientRows(false, x.clone()));
    double inv = 1.0 / data.n;
    for (int i = 0; i < grad.length; i++) {
      grad[i] = sums[i] * inv;
    }
    double off = 0;
    for (int i = 0; i < nw; i++) {
      if (i / k != i % k) {
        off += x[i] * x[i];
        grad[i] += 2 * offWeight * x[i];
      }
    }
    double b = 0;
    for (int i = nw; i < nw + k; i++) {
      b += x[i] * x[i];
      grad[i] += 2 * biasWeight * x[i];
    }
    return sums[grad.length] * inv + offWeight * off + biasWeight * b;
  }

  private static double[] odirHessian(
      FitData data, double offWeight, double biasWeight, double[] x) {
    int k = data.k;
    int dim = x.length;
    double[] h = hessian(data, false, 0.0, x);
    for (int i = 0; i < k * k; i++) {
      if (i / k != i % k) {
        h[i * dim + i] += 2 * offWeight;
      }
    }
    for (int i = k * k; i < dim; i++) {
      h[i * dim + i] += 2 * biasWeight;
    }
    return h;
  }

  /**
   * Newton steps from {@code x} (with gradient {@code g} and value {@code fx}, both updated in
   * place) until the gradient is below {@link #NEWTON_TARGET} or no step lowers the objective;
   * returns {value, steps}.
   */
  static double[] polish(
      Lbfgs.Objective objective,
      java.util.function.Function<double[], double[]> hessian,
      double[] x,
      double[] g,
      double fx) {
    return polish(objective, hessian, x, g, fx, (step, value) -> {});
  }

  private static double[] polish(
      Lbfgs.Objective objective,
      java.util.function.Function<double[], double[]> hessian,
      double[] x,
      double[] g,
      double fx,
      Lbfgs.Listener listener) {
    double[] xNew = new double[x.length];
    double[] gNew = new double[x.length];
    int newtonSteps = 0;
    while (newtonSteps < MAX_NEWTON_STEPS && maxAbs(g) > NEWTON_TARGET) {
      double[] d = newtonDirection(hessian.apply(x), g);
      if (d == null) {
        break;
      }
      double slope = 0;
      for (int i = 0; i < d.length; i++) {
        slope += g[i] * d[i];
      }
      boolean accepted = false;
      double step = 1;
      for (int tries = 0; tries < 30 && slope < 0; tries++, step *= 0.5) {
        for (int i = 0; i < x.length; i++) {
          xNew[i] = x[i] + step * d[i];
        }
        double fNew = objective.valueAndGradient(xNew, gNew);
        // Armijo; or, at the objective's rounding floor, a smaller gradient at no higher value.
        boolean lower = fNew <= fx + 1e-4 * step * slope;
        boolean flat = fNew <= fx + 1e-14 * Math.abs(fx) && maxAbs(gNew) < maxAbs(g);
        if (lower || flat) {
          accepted = true;
          fx = fNew;
          System.arraycopy(xNew, 0, x, 0, x.length);
          System.arraycopy(gNew, 0, g, 0, x.length);
          break;
        }
      }
      if (!accepted) {
        break;
      }
      newtonSteps++;
      listener.accepted(newtonSteps, fx);
    }
    return new double[] {fx, newtonSteps};
  }

  /** Newton stops below this (well under the 1e-8 promised), near the gradient's rounding. */
  private static final double NEWTON_TARGET = 1e-12;

  private static final int MAX_NEWTON_STEPS = 30;

  /** L-BFGS hands over to Newton at this gradient, where Newton converges in a few steps. */
  private static final double HANDOVER_GRADIENT = 1e-5;

  /** The start point: W = w0 I (its diagonal for vector scaling), b = 0. */
  static double[] start(int k, boolean diagonal, double w0) {
    int nw = diagonal ? k : k * k;
    double[] start = new double[nw + k];
    for (int i = 0; i < k; i++) {
      start[diagonal ? i : i * k + i] = w0;
    }
    return start;
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  /** The objective and its gradient (for tests: finite differences). */
  static double objective(
      FitData data, boolean diagonal, double lambda, double w0, double[] x, double[] grad) {
    return value(data, diagonal, lambda, w0, x, grad);
  }

  /**
   * The objective's Hessian, dense and row-major: mean over rows of {@code J^T (diag(q) - q q^T) J}
   * ({@code J} the scores' Jacobian with respect to the parameters) plus {@code 2 lambda I}.
   */
  static double[] hessian(FitData data, boolean diagonal, double lambda, double[] x) {
    int dim = x.length;
    double[] h = data.sum(new HessianRows(diagonal, x.clone()));
    double inv = 1.0 / data.n;
    for (int i = 0; i < h.length; i++) {
      h[i] *= inv;
    }
    for (int i = 0; i < dim; i++) {
      h[i * dim + i] += 2 * lambda;
    }
    return h;
  }

  /** Writes a row's scores {@code W z + b} (at {@code z[off..off+k)}) into {@code s}. */
  private static void scores(boolean diagonal, double[] x, double[] z, int off, int k, double[] s) {
    int nw = diagonal ? k : k * k;
    for (int i = 0; i < k; i++) {
      double v = x[nw + i];
      if (diagonal) {
        v += x[i] * z[off + i];
      } else {
        for (int j = 0; j < k; j++) {
          v += x[i * k + j] * z[off + j];
        }
      }
      s[i] = v;
    }
  }

  /** The Hessian's sum over rows, dense and row-major (before the mean and the ridge). */
  private record HessianRows(boolean diagonal, double[] x) implements PartitionedRows.Kernel {
    @Override
    public int width() {
      return x.length * x.length;
    }

    @Override
    public void add(double[] z, int[] gold, int k, int from, int to, double[] h) {
      int dim = x.length;
      int nw = diagonal ? k : k * k;
      double[] s = new double[k];
      double[] zt = new double[k + 1];
      for (int r = from; r < to; r++) {
        int off = r * k;
        scores(diagonal, x, z, off, k, s);
        Probabilities.softmaxInto(s, 0, k, s, 0);
        System.arraycopy(z, off, zt, 0, k);
        zt[k] = 1.0;
        for (int i = 0; i < k; i++) {
          for (int l = 0; l < k; l++) {
            double a = (i == l ? s[i] : 0.0) - s[i] * s[l];
            if (diagonal) {
              h[i * dim + l] += a * zt[i] * zt[l];
              h[i * dim + nw + l] += a * zt[i];
              h[(nw + i) * dim + l] += a * zt[l];
              h[(nw + i) * dim + nw + l] += a;
            } else {
              for (int j = 0; j <= k; j++) {
                int row = (j < k ? i * k + j : nw + i) * dim;
                double aj = a * zt[j];
                for (int m = 0; m < k; m++) {
                  h[row + l * k + m] += aj * zt[m];
                }
                h[row + nw + l] += aj;
              }
            }
          }
        }
      }
    }
  }

  /**
   * Solves {@code (H + mu I) d = -g} by Cholesky with the smallest ridge {@code mu} (from 1e-12 of
   * the largest diagonal entry up) that keeps it positive definite: without regularisation H is
   * singular along score shifts that leave every softmax unchanged, where the gradient is zero.
   * Null if no ridge works, or when a pivot overflows.
   */
  static double[] newtonDirection(double[] h, double[] g) {
    int dim = g.length;
    double scale = 0;
    for (int i = 0; i < dim; i++) {
      scale = Math.max(scale, Math.abs(h[i * dim + i]));
    }
    if (!(scale > 0 && scale < Double.POSITIVE_INFINITY)) {
      return null;
    }
    for (double mu = 1e-12 * scale; mu <= scale; mu *= 100) {
      double[] l = Cholesky.lower(h, dim, mu);
      if (l != null) {
        double[] y = new double[dim];
        for (int i = 0; i < dim; i++) {
          double v = -g[i];
          for (int j = 0; j < i; j++) {
            v -= l[i * dim + j] * y[j];
          }
          y[i] = v / l[i * dim + i];
        }
        double[] d = new double[dim];
        for (int i = dim - 1; i >= 0; i--) {
          double v = y[i];
          for (int j = i + 1; j < dim; j++) {
            v -= l[j * dim + i] * d[j];
          }
          d[i] = v / l[i * dim + i];
        }
        return d;
      }
    }
    return null;
  }

  private static double value(
      FitData data, boolean diagonal, double lambda, double w0, double[] x, double[] grad) {
    int k = data.k;
    int nw = diagonal ? k : k * k;
    // Parallel chunks add [gradient..., nll] in a fixed order: the fit does not depend on threads.
    double[] sums = data.sum(new GradientRows(diagonal, x.clone()));
    double inv = 1.0 / data.n;
    for (int i = 0; i < grad.length; i++) {
      grad[i] = sums[i] * inv;
    }
    double penalty = 0;
    for (int i = 0; i < nw; i++) {
      boolean onDiagonal = diagonal || i / k == i % k;
      double d = x[i] - (onDiagonal ? w0 : 0.0);
      penalty += d * d;
      grad[i] += 2 * lambda * d;
    }
    for (int i = nw; i < nw + k; i++) {
      penalty += x[i] * x[i];
      grad[i] += 2 * lambda * x[i];
    }
    return sums[grad.length] * inv + lambda * penalty;
  }

  /**
   * Adds the NLL gradient of rows [from, to) into {@code into[0..]} and their NLL into the last
   * slot.
   */
  private record GradientRows(boolean diagonal, double[] x) implements PartitionedRows.Kernel {
    @Override
    public int width() {
      return x.length + 1;
    }

    @Override
    public void add(double[] z, int[] gold, int k, int from, int to, double[] into) {
      int nw = diagonal ? k : k * k;
      double[] s = new double[k];
      double total = 0;
      for (int r = from; r < to; r++) {
        int off = r * k;
        scores(diagonal, x, z, off, k, s);
        int g = gold[r];
        total += Probabilities.logSumExp(s, 0, k) - s[g];
        Probabilities.softmaxInto(s, 0, k, s, 0);
        s[g] -= 1.0; // now dL/ds
        for (int i = 0; i < k; i++) {
          double e = s[i];
          into[nw + i] += e;
          if (diagonal) {
            into[i] += e * z[off + i];
          } else {
            for (int j = 0; j < k; j++) {
              into[i * k + j] += e * z[off + j];
            }
          }
        }
      }
      into[nw + k] += total;
    }
  }
}
