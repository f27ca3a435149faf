package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import io.calibra.label.Probabilities;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code q = softmax(W log p + b)} with a full (matrix scaling) or diagonal (vector scaling) W, and
 * its regularised NLL fit.
 */
final class AffineScaling extends AbstractCalibrator implements Calibrator.Scaling {
  private final boolean diagonal;
  private final double[] weights; // K values if diagonal, else K*K row-major
  private final double[] bias;

  AffineScaling(LabelSet labels, boolean diagonal, double[] weights, double[] bias) {
    super(labels);
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
    return diagonal ? CalibrationMethod.VECTOR : CalibrationMethod.MATRIX;
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

  /**
   * Fits by L-BFGS from W = I/T (T fitted by temperature scaling), b = 0, minimising mean NLL plus
   * {@code lambda * (||W - I/T||^2 + ||b||^2)} (over the diagonal only for vector scaling).
   */
  static AffineScaling fit(FitData data, LabelSet labels, boolean diagonal, double lambda) {
    if (!(lambda >= 0 && lambda < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "regularisation strength is " + lambda + "; expected a finite value >= 0");
    }
    int k = data.k;
    double w0 = 1.0 / TemperatureScaling.fitTemperature(data);
    int nw = diagonal ? k : k * k;
    double[] start = new double[nw + k];
    for (int i = 0; i < k; i++) {
      start[diagonal ? i : i * k + i] = w0;
    }
    Lbfgs.Objective objective = (x, grad) -> value(data, diagonal, lambda, w0, x, grad);
    double[] x = Lbfgs.minimize(objective, start, 500, 1e-10);
    double[] w = java.util.Arrays.copyOfRange(x, 0, nw);
    double[] b = java.util.Arrays.copyOfRange(x, nw, nw + k);
    return new AffineScaling(labels, diagonal, w, b);
  }

  private static double value(
      FitData data, boolean diagonal, double lambda, double w0, double[] x, double[] grad) {
    int k = data.k;
    int nw = diagonal ? k : k * k;
    // Parallel chunks add [gradient..., nll] in a fixed order: the fit does not depend on threads.
    double[] sums =
        io.calibra.internal.Parallel.sums(
            data.n, grad.length + 1, (from, to, into) -> rows(data, diagonal, x, from, to, into));
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
  private static void rows(
      FitData data, boolean diagonal, double[] x, int from, int to, double[] into) {
    int k = data.k;
    int nw = diagonal ? k : k * k;
    double[] s = new double[k];
    double total = 0;
    for (int r = from; r < to; r++) {
      int off = r * k;
      for (int i = 0; i < k; i++) {
        double v = x[nw + i];
        if (diagonal) {
          v += x[i] * data.z[off + i];
        } else {
          for (int j = 0; j < k; j++) {
            v += x[i * k + j] * data.z[off + j];
          }
        }
        s[i] = v;
      }
      int g = data.gold[r];
      total += Probabilities.logSumExp(s, 0, k) - s[g];
      Probabilities.softmaxInto(s, 0, k, s, 0);
      s[g] -= 1.0; // now dL/ds
      for (int i = 0; i < k; i++) {
        double e = s[i];
        into[nw + i] += e;
        if (diagonal) {
          into[i] += e * data.z[off + i];
        } else {
          for (int j = 0; j < k; j++) {
            into[i * k + j] += e * data.z[off + j];
          }
        }
      }
    }
    into[nw + k] += total;
  }
}
