package io.calibra.testkit;

import io.calibra.label.LabelDistribution;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link LabelDistribution}. */
public final class LabelDistributionAssert
    extends AbstractAssert<LabelDistributionAssert, LabelDistribution> {

  LabelDistributionAssert(LabelDistribution actual) {
    super(actual, LabelDistributionAssert.class);
  }

  /** Every label has probability {@code 1/K} within {@code tolerance}. */
  public LabelDistributionAssert isUniform(double tolerance) {
    isNotNull();
    for (int k = 0; k < actual.size(); k++) {
      double expected = 1.0 / actual.size();
      if (!(Math.abs(actual.probability(k) - expected) <= tolerance)) {
        failWithMessage(
            "expected a uniform distribution but label '%s' has %s (expected %s within %s): %s",
            actual.labels().name(k), actual.probability(k), expected, tolerance, actual);
      }
    }
    return this;
  }

  /** The predicted label (argmax, ties to the lowest index) is {@code label}. */
  public LabelDistributionAssert predicts(String label) {
    isNotNull();
    if (!actual.predictedLabel().equals(label)) {
      failWithMessage(
          "expected prediction '%s' but was '%s' in %s", label, actual.predictedLabel(), actual);
    }
    return this;
  }

  /** The probability of {@code label} is {@code expected} within {@code tolerance}. */
  public LabelDistributionAssert hasProbability(String label, double expected, double tolerance) {
    isNotNull();
    double p = actual.probability(label);
    if (!(Math.abs(p - expected) <= tolerance)) {
      failWithMessage("expected P(%s) = %s within %s but was %s", label, expected, tolerance, p);
    }
    return this;
  }

  /** Every probability equals {@code other}'s within {@code tolerance}, over the same labels. */
  public LabelDistributionAssert isCloseTo(LabelDistribution other, double tolerance) {
    isNotNull();
    if (!actual.labels().equals(other.labels())) {
      failWithMessage("expected labels %s but found %s", other.labels(), actual.labels());
    }
    for (int k = 0; k < actual.size(); k++) {
      if (!(Math.abs(actual.probability(k) - other.probability(k)) <= tolerance)) {
        failWithMessage(
            "label '%s': expected %s within %s but was %s",
            actual.labels().name(k), other.probability(k), tolerance, actual.probability(k));
      }
    }
    return this;
  }
}
