package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code q = softmax(p - bias)}: Zhao et al.'s affine form with W = I, b = -p_cf. Its argmax is the
 * label with the largest {@code p_k - bias_k}; meant for decisions rather than probabilities.
 */
final class SubtractiveBiasCorrection extends RuleRecordingCalibrator
    implements Calibrator.BiasCorrection {
  private final double[] bias;

  SubtractiveBiasCorrection(LabelDistribution bias, ContextualCalibration.Rule rule) {
    this(bias.labels(), bias.toArray(), rule);
  }

  /** Keeps {@code bias} exactly as given (so a saved and loaded calibrator is bit-identical). */
  SubtractiveBiasCorrection(
      io.calibra.label.LabelSet labels, double[] bias, ContextualCalibration.Rule rule) {
    super(labels, rule);
    Probabilities.checkDistribution(labels.names(), bias);
    this.bias = bias.clone();
  }

  @Override
  void transform(double[] in, int inOffset, double[] out, int outOffset) {
    for (int i = 0; i < k; i++) {
      out[outOffset + i] = in[inOffset + i] - bias[i];
    }
    Probabilities.softmaxInto(out, outOffset, k, out, outOffset);
  }

  @Override
  public CalibrationMethod kind() {
    return CalibrationMethod.CONTEXTUAL_SUBTRACTIVE;
  }

  @Override
  public LabelDistribution bias() {
    return LabelDistribution.ofProbabilities(labels, bias);
  }

  @Override
  Map<String, double[]> parameterMap() {
    Map<String, double[]> p = new LinkedHashMap<>();
    p.put("bias", bias.clone());
    return p;
  }
}
