package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Candidates}: the cross-validation candidate built from a method's fitting. */
class CandidatesTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /**
   * The identity, fitted on nothing, becomes a candidate named "identity" whose fit on any rows
   * leaves a distribution unchanged (the identity's definition).
   */
  @Test
  void theIdentityIsACandidateThatChangesNothing() {
    MethodSelection.Candidate c = Candidates.of(CalibrationMethod.IDENTITY, null);
    assertThat(c.name()).isEqualTo("identity");
    LabelDistribution row = LabelDistribution.ofProbabilities(AB, 0.3, 0.7);
    LabelledSet data =
        LabelledSet.of(
            List.of(row, LabelDistribution.ofProbabilities(AB, 0.6, 0.4)), new int[] {1, 0});
    Calibrator fitted = c.fit().apply(data);
    assertThat(fitted).isNotNull();
    assertThat(fitted.apply(row)).isEqualTo(row);
  }
}
