package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.Probabilities;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code q = softmax(p - bias)}: Zhao et al.'s affine form with W = I, b = -p_cf. Its argmax is the
 * label with the largest {@code p_k - bias_k}; meant for decisions rather than probabilities.
 */
final class SubtractiveBiasCorrection extends AbstractCalibrator
    implements Calibrator.BiasCorrection {
  private final double[] bias;
  private final ContextualCalibration.Rule rule;

  SubtractiveBiasCorrection(LabelDistribution bias, ContextualCalibration.Rule rule) {
    this(bias.labels(), bias.toArray(), rule);
  }

  /** Keeps {@code bias} exactly as given (so a saved and loaded calibrator is bit-identical). */
  SubtractiveBiasCorrection(
      io.calibra.label.LabelSet labels, double[] bias, ContextualCalibration.Rule rule) {
    super(labels);
    this.rule = rule;
    Probabilities.checkDistribution(labels, bias);
    this.bias = bias.clone();
  }

  @Override
  void transform(double[] in, int inOffset, double[] out, int outOffset) {
    for (int i = 0; i < k; i++) {
      out[outOffset + i] = in[inOffset + i] - bias[i];
    }
    Probabilities.softmaxInto(out, outOffset, k, out, outOffset);
  }

  /** The p_cf rule the bias was estimated with, or null. */
  ContextualCalibration.Rule rule() {
    return rule;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && ((SubtractiveBiasCorrection) o).rule == rule;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + java.util.Objects.hashCode(rule);
  }

  @Override
  public String toString() {
    String s = super.toString();
    return rule == null ? s : s.substring(0, s.length() - 1) + ", pcf=" + rule.id() + "}";
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
