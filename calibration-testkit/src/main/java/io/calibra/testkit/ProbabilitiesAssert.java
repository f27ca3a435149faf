package io.calibra.testkit;

import io.calibra.label.LabelSet;
import org.assertj.core.api.AbstractAssert;

/** Assertions on an array of probabilities over a label set. */
public final class ProbabilitiesAssert extends AbstractAssert<ProbabilitiesAssert, double[]> {
  private final LabelSet labels;

  ProbabilitiesAssert(LabelSet labels, double[] actual) {
    super(actual, ProbabilitiesAssert.class);
    this.labels = labels;
  }

  /** One finite value in [0, 1] per label, summing to one within {@code 1e-9}. */
  public ProbabilitiesAssert isValidDistribution() {
    isNotNull();
    if (actual.length != labels.size()) {
      failWithMessage(
          "expected %d probabilities for labels %s but found %d",
          labels.size(), labels.names(), actual.length);
    }
    double sum = 0;
    for (int k = 0; k < actual.length; k++) {
      if (!(actual[k] >= 0 && actual[k] <= 1)) {
        failWithMessage(
            "probability of label '%s' is %s; expected a value in [0, 1]",
            labels.name(k), actual[k]);
      }
      sum += actual[k];
    }
    if (!(Math.abs(sum - 1) <= 1e-9)) {
      failWithMessage("probabilities sum to %s; expected 1 within 1e-9", sum);
    }
    return this;
  }
}
