package io.calibra.metrics;

import io.calibra.label.LabelDistribution;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a mean label distribution is from uniform: a model without label bias predicts each label
 * equally often on average (and gives content-free inputs the uniform distribution).
 *
 * @param distribution the distribution measured, in label order
 * @param totalVariation {@code 0.5 * sum |m_k - 1/K|}, in [0, 1 - 1/K]
 * @param klFromUniform {@code KL(m || uniform) = sum m_k log(K m_k)} in nats, in [0, log K]
 */
public record LabelBias(List<Double> distribution, double totalVariation, double klFromUniform) {

  /** Copies the distribution list. */
  public LabelBias {
    distribution = List.copyOf(distribution);
  }

  /** The bias of one distribution, for example the content-free distribution {@code p_cf}. */
  public static LabelBias of(LabelDistribution d) {
    return of(d.toArray());
  }

  static LabelBias of(double[] m) {
    int k = m.length;
    double tv = 0;
    double kl = 0;
    List<Double> values = new ArrayList<>(k);
    for (double v : m) {
      tv += Math.abs(v - 1.0 / k);
      if (v > 0) {
        kl += v * Math.log(k * v);
      }
      values.add(v);
    }
    return new LabelBias(values, 0.5 * tv, Math.max(0.0, kl));
  }
}
