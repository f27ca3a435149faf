package io.calibra.calibrate;

/**
 * The Cholesky factorisation of a dense symmetric matrix (row-major) and its solve: calibra's one
 * Cholesky, for the Newton steps of affine scaling, Platt and beta calibration and the Gaussian
 * densities of prototypical calibration. Stateless.
 *
 * <p>Not Commons Math's {@code CholeskyDecomposition}: the callers hold row-major arrays (up to
 * 1200 x 1200 for matrix scaling's Newton polish), which it would copy into a {@code double[][]}
 * twice; they search for the smallest ridge that makes a matrix positive definite, which it reports
 * only by exception; and its right-looking elimination sums in another order, which moves the last
 * digits of the committed golden fits.
 */
final class Cholesky {
  private Cholesky() {}

  /**
   * The lower factor L of {@code m + ridge I} ({@code m} n x n, row-major; only its lower triangle
   * is read), or null if a pivot is not positive and finite: with every pivot finite, the factor's
   * unset entries are exact zeros that add nothing to any product. A pivot overflows only for a
   * diagonal entry plus ridge above about 1.8e308.
   */
  static double[] lower(double[] m, int n, double ridge) {
    double[] l = new double[n * n];
    for (int j = 0; j < n; j++) {
      double diag = m[j * n + j] + ridge;
      for (int p = 0; p < j; p++) {
        diag -= l[j * n + p] * l[j * n + p];
      }
      if (!(diag > 0 && diag < Double.POSITIVE_INFINITY)) {
        return null;
      }
      double pivot = Math.sqrt(diag);
      l[j * n + j] = pivot;
      for (int i = j + 1; i < n; i++) {
        double v = m[i * n + j];
        for (int p = 0; p < j; p++) {
          v -= l[i * n + p] * l[j * n + p];
        }
        l[i * n + j] = v / pivot;
      }
    }
    return l;
  }

  /**
   * The solution x of {@code L L^T x = b} for a factor {@code l} from {@link #lower} (n x n,
   * row-major): forward then back substitution.
   */
  static double[] solve(double[] l, int n, double[] b) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double v = b[i];
      for (int j = 0; j < i; j++) {
        v -= l[i * n + j] * y[j];
      }
      y[i] = v / l[i * n + i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double v = y[i];
      for (int j = i + 1; j < n; j++) {
        v -= l[j * n + i] * x[j];
      }
      x[i] = v / l[i * n + i];
    }
    return x;
  }
}
