package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.List;

/** The mean of label distributions, renormalised: the bias estimate of the diagonal methods. */
final class BiasEstimates {
  private BiasEstimates() {}

  static LabelDistribution mean(List<LabelDistribution> distributions, String what) {
    java.util.Objects.requireNonNull(distributions, "distributions");
    if (distributions.isEmpty()) {
      throw new IllegalArgumentException(what + " needs at least one distribution; found none");
    }
    LabelSet labels = distributions.get(0).labels();
    double[] sum = new double[labels.size()];
    for (int i = 0; i < distributions.size(); i++) {
      LabelDistribution d = distributions.get(i);
      if (d == null) {
        throw new NullPointerException(what + ": distribution " + i + " is null");
      }
      labels.requireSame(d.labels(), what + " distribution " + i);
      for (int k = 0; k < sum.length; k++) {
        sum[k] += d.probability(k);
      }
    }
    return LabelDistribution.normalise(labels, sum);
  }
}
