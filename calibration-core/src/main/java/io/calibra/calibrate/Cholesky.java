package io.calibra.calibrate;

/**
 * The Cholesky factorisation of a dense symmetric matrix (row-major), for the Newton steps of
 * affine scaling and the Gaussian densities of prototypical calibration. Stateless.
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
}
