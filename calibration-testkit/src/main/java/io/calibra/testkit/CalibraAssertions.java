package io.calibra.testkit;

import io.calibra.calibrate.Calibrator;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;

/** Entry point of calibra's AssertJ assertions: {@code import static ...CalibraAssertions.*}. */
public final class CalibraAssertions {
  private CalibraAssertions() {}

  /** Assertions on a label distribution. */
  public static LabelDistributionAssert assertThat(LabelDistribution actual) {
    return new LabelDistributionAssert(actual);
  }

  /** Assertions on a calibrator. */
  public static CalibratorAssert assertThat(Calibrator actual) {
    return new CalibratorAssert(actual);
  }

  /** Assertions on raw probabilities over a label set, such as a calibrator's batch output. */
  public static ProbabilitiesAssert assertThatProbabilities(LabelSet labels, double[] actual) {
    return new ProbabilitiesAssert(labels, actual);
  }
}
