package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fitted (or loaded) prototypical calibrator: the posterior of a K-component Gaussian mixture on
 * {@code log p}, component k being label k's. {@link PrototypicalCalibration} fits it by EM.
 */
final class GaussianMixture extends AbstractCalibrator implements Calibrator.Mixture {
  private final double[] mixing;
  private final double[] means;
  private final double[] covariances;
  private final double[] chol; // K factors of K x K
  private final double[] logNorm; // log mixing + log-density constant, per component

  GaussianMixture(LabelSet labels, double[] mixing, double[] means, double[] covariances) {
    super(labels);
    if (mixing.length != k || means.length != k * k || covariances.length != k * k * k) {
      throw new IllegalArgumentException(
          "prototypical calibration for "
              + k
              + " labels expects "
              + k
              + " mixing weights, "
              + (k * k)
              + " means and "
              + (k * k * k)
              + " covariance entries; found "
              + mixing.length
              + ", "
              + means.length
              + " and "
              + covariances.length);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      if (!(mixing[c] > 0 && mixing[c] <= 1)) {
        throw new IllegalArgumentException(
            "prototypical mixing weight for label '"
                + labels.name(c)
                + "' is "
                + mixing[c]
                + "; expected a value in (0, 1]");
      }
      sum += mixing[c];
    }
    if (!(Math.abs(sum - 1) <= Probabilities.SUM_TOLERANCE)) {
      throw new IllegalArgumentException(
          "prototypical mixing weights sum to " + sum + "; expected 1 within 1e-6");
    }
    for (int i = 0; i < means.length; i++) {
      if (!(means[i] >= Probabilities.LOG_FLOOR && means[i] <= 0)) {
        throw new IllegalArgumentException(
            "prototypical means["
                + i
                + "] is "
                + means[i]
                + "; expected a log-probability in ["
                + Probabilities.LOG_FLOOR
                + ", 0]");
      }
    }
    this.mixing = mixing.clone();
    this.means = means.clone();
    this.covariances = covariances.clone();
    this.chol = new double[k * k * k];
    this.logNorm = new double[k];
    for (int c = 0; c < k; c++) {
      double[] m = java.util.Arrays.copyOfRange(this.covariances, c * k * k, (c + 1) * k * k);
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < a; b++) {
          if (m[a * k + b] != m[b * k + a]) {
            throw new IllegalArgumentException(
                "prototypical covariance of label '"
                    + labels.name(c)
                    + "' is not symmetric at ("
                    + a
                    + ", "
                    + b
                    + "): "
                    + m[a * k + b]
                    + " and "
                    + m[b * k + a]);
          }
        }
      }
      double[] l = Cholesky.lower(m, k, 0.0);
      if (l == null) {
        throw new IllegalArgumentException(
            "prototypical covariance of label '"
                + labels.name(c)
                + "' is not positive definite (or not finite)");
      }
      System.arraycopy(l, 0, chol, c * k * k, k * k);
      logNorm[c] = Math.log(this.mixing[c]) + PrototypicalCalibration.logNormaliser(l, k);
    }
  }

  @Override
  void transform(double[] in, int inOffset, double[] out, int outOffset) {
    double[] scratch = SCRATCH.get();
    if (scratch == null || scratch.length < 3 * k) {
      scratch = new double[3 * k];
      SCRATCH.set(scratch);
    }
    for (int j = 0; j < k; j++) {
      scratch[j] = Probabilities.flooredLog(in[inOffset + j]);
    }
    double best = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double score =
          logNorm[c]
              - 0.5
                  * PrototypicalCalibration.mahalanobis(
                      chol, c * k * k, k, scratch, 0, means, c * k, scratch, 2 * k);
      scratch[k + c] = score;
      best = Math.max(best, score);
    }
    if (!(best > Double.NEGATIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "prototypical calibration: the row is too far from every component (its log-densities"
              + " overflow); expected a row near the fitted mixture");
    }
    System.arraycopy(scratch, k, out, outOffset, k);
    Probabilities.softmaxInto(out, outOffset, k, out, outOffset);
  }

  private static final ThreadLocal<double[]> SCRATCH = new ThreadLocal<>();

  @Override
  public CalibrationMethod kind() {
    return CalibrationMethod.PROTOTYPICAL;
  }

  @Override
  public double[] mixingWeights() {
    return mixing.clone();
  }

  @Override
  public double[] mean(int c) {
    java.util.Objects.checkIndex(c, k);
    return java.util.Arrays.copyOfRange(means, c * k, (c + 1) * k);
  }

  @Override
  public double[] covariance(int c) {
    java.util.Objects.checkIndex(c, k);
    return java.util.Arrays.copyOfRange(covariances, c * k * k, (c + 1) * k * k);
  }

  @Override
  Map<String, double[]> parameterMap() {
    Map<String, double[]> p = new LinkedHashMap<>();
    p.put("mixing", mixing.clone());
    p.put("means", means.clone());
    p.put("covariances", covariances.clone());
    return p;
  }
}
