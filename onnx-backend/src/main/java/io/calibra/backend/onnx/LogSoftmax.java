package io.calibra.backend.onnx;

import java.nio.FloatBuffer;

/** Log-softmax entries of one row of a flat logits buffer, over the full vocabulary. */
final class LogSoftmax {
  private LogSoftmax() {}

  /** {@code log(sum_j exp(logits[offset + j]))} for {@code j < vocabulary}, computed stably. */
  static double logSumExp(FloatBuffer logits, int offset, int vocabulary) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < vocabulary; j++) {
      max = Math.max(max, logits.get(offset + j));
    }
    double sum = 0;
    for (int j = 0; j < vocabulary; j++) {
      sum += Math.exp(logits.get(offset + j) - max);
    }
    return max + Math.log(sum);
  }

  /** Adds log-probabilities as probabilities: {@code log(exp(a) + exp(b))}. */
  static double logAddExp(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double max = Math.max(a, b);
    return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
  }
}
