package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code q = softmax(W log p + b)} with a full (matrix scaling) or diagonal (vector scaling) W: the
 * fitted calibrator of vector, matrix and Dirichlet scaling. {@link AffineFit} fits it.
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
}
