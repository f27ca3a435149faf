package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code q = normalise(p / bias)}: Zhao et al.'s W = diag(bias)^-1, b = 0, renormalised. Shared by
 * contextual, domain-context and batch calibration, which differ only in how the bias is estimated.
 */
final class DiagonalBiasCorrection extends RuleRecordingCalibrator
    implements Calibrator.BiasCorrection {
  private final CalibrationMethod method;
  private final double[] bias;
  // bias_min / bias_k: in (0, 1], so it never overflows; the constant factor cancels on
  // normalising.
  private final double[] scaledInverse;
  private final double[] logBias;
  // gamma: q = normalise(p / bias^gamma); 1 for every method but batch calibration's other
  // strengths
  private final double strength;

  DiagonalBiasCorrection(CalibrationMethod method, LabelDistribution bias) {
    this(method, bias.labels(), bias.toArray());
  }

  DiagonalBiasCorrection(
      CalibrationMethod method, LabelDistribution bias, ContextualCalibration.Rule rule) {
    this(method, bias.labels(), bias.toArray(), rule);
  }

  /** Keeps {@code bias} exactly as given (so a saved and loaded calibrator is bit-identical). */
  DiagonalBiasCorrection(
      CalibrationMethod method, io.calibra.label.LabelSet labels, double[] bias) {
    this(method, labels, bias, null);
  }

  DiagonalBiasCorrection(
      CalibrationMethod method,
      io.calibra.label.LabelSet labels,
      double[] bias,
      ContextualCalibration.Rule rule) {
    this(method, labels, bias, rule, 1.0);
  }

  /** Batch calibration with strength {@code strength} (gamma), bias kept exactly. */
  DiagonalBiasCorrection(io.calibra.label.LabelSet labels, double[] bias, double strength) {
    this(CalibrationMethod.BATCH, labels, bias, null, strength);
  }

  private DiagonalBiasCorrection(
      CalibrationMethod method,
      io.calibra.label.LabelSet labels,
      double[] bias,
      ContextualCalibration.Rule rule,
      double strength) {
    super(labels, rule);
    this.method = method;
    if (!(strength >= 0 && strength <= Calibrator.MAX_PARAMETER_MAGNITUDE)) {
      throw new IllegalArgumentException(
          method
              + " strength (gamma) is "
              + strength
              + "; expected a finite value >= 0 and at most "
              + Calibrator.MAX_PARAMETER_MAGNITUDE);
    }
    this.strength = strength;
    Probabilities.checkDistribution(labels.names(), bias);
    this.bias = bias.clone();
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      if (!(this.bias[i] > 0)) {
        throw new IllegalArgumentException(
            method
                + " bias for label '"
                + labels.name(i)
                + "' (index "
                + i
                + ") is "
                + this.bias[i]
                + "; expected a finite value > 0 (the model never predicts this label on the"
                + " inputs used to estimate the bias)");
      }
      min = Math.min(min, this.bias[i]);
    }
    this.scaledInverse = new double[k];
    this.logBias = new double[k];
    for (int i = 0; i < k; i++) {
      // (bias_min / bias_i)^gamma: in [0, 1]; for gamma = 1 exactly the ratio (no pow)
      scaledInverse[i] =
          strength == 1.0 ? min / this.bias[i] : Math.pow(min / this.bias[i], strength);
      logBias[i] = strength == 1.0 ? Math.log(this.bias[i]) : strength * Math.log(this.bias[i]);
    }
  }

  @Override
  void transform(double[] in, int inOffset, double[] out, int outOffset) {
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += in[inOffset + i] * scaledInverse[i];
    }
    if (sum >= Double.MIN_NORMAL) {
      double inv = 1.0 / sum;
      for (int i = 0; i < k; i++) {
        out[outOffset + i] = in[inOffset + i] * scaledInverse[i] * inv;
      }
      return;
    }
    // Every product underflowed: take the ratio in log space, where it cannot.
    for (int i = 0; i < k; i++) {
      double p = in[inOffset + i];
      out[outOffset + i] = p > 0 ? Math.log(p) - logBias[i] : Double.NEGATIVE_INFINITY;
    }
    Probabilities.softmaxInto(out, outOffset, k, out, outOffset);
  }

  @Override
  public CalibrationMethod kind() {
    return method;
  }

  @Override
  public LabelDistribution bias() {
    return LabelDistribution.ofProbabilities(labels, bias);
  }

  @Override
  public double strength() {
    return strength;
  }

  @Override
  Map<String, double[]> parameterMap() {
    Map<String, double[]> p = new LinkedHashMap<>();
    p.put("bias", bias.clone());
    if (strength != 1.0) {
      p.put("strength", new double[] {strength});
    }
    return p;
  }
}
