package io.calibra.calibrate;

import io.calibra.internal.Probabilities;

/**
 * The objective {@link AffineFit} minimises: the mean NLL of {@code softmax(W z + b)} over the
 * rows, with its gradient and dense Hessian summed over fixed chunks of rows, and the ODIR penalty
 * of Dirichlet calibration with its own gradient and Hessian. Stateless.
 */
final class AffineObjective {
  private AffineObjective() {}

  /** The per-entry weight of the off-diagonal penalty: lambda / (K (K - 1)). */
  static double odirOffDiagonalWeight(int k, double lambda) {
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

  static double odirValue(
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

  static double[] odirHessian(FitData data, double offWeight, double biasWeight, double[] x) {
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
  static void scores(boolean diagonal, double[] x, double[] z, int off, int k, double[] s) {
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
  record HessianRows(boolean diagonal, double[] x) implements PartitionedRows.Kernel {
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

  static double value(
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
  record GradientRows(boolean diagonal, double[] x) implements PartitionedRows.Kernel {
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
