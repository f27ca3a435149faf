package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelledSet;
import org.junit.jupiter.api.Test;

/** {@link DevComparison} of a step that changes nothing. */
class DevComparisonTest {
  @Test
  void aStepThatChangesNothingIsNotWorse() {
    LabelledSet data = FourRows.labelled();
    DevComparison same = DevComparison.of("identity", data, data);
    assertThat(same.worse()).isFalse();
    assertThat(same.summary()).doesNotContain("worse");
  }
}
