package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link IdentityCalibrator}: copies between arrays and offsets, and a fresh parameter map. */
class IdentityCalibratorTest {
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  @Test
  void identityCopiesIntoAnotherArrayAndItsParametersAreAFreshMap() {
    Calibrator id = Calibrator.identity(ABC);
    double[] in = {0.9, 0.2, 0.3, 0.5, 0.2};
    double[] out = new double[5];
    id.applyInto(in, 2, out, 1);
    assertThat(out).containsExactly(0, 0.3, 0.5, 0.2, 0);
    double[] sameOffset = new double[3];
    id.applyInto(new double[] {0.2, 0.3, 0.5}, 0, sameOffset, 0);
    assertThat(sameOffset).containsExactly(0.2, 0.3, 0.5);
    double[] shared = {0.2, 0.3, 0.5, 0, 0, 0}; // one array, another offset
    id.applyInto(shared, 0, shared, 3);
    assertThat(shared).containsExactly(0.2, 0.3, 0.5, 0.2, 0.3, 0.5);
    // in place is a no-op
    id.applyInto(in, 2, in, 2);
    assertThat(in).containsExactly(0.9, 0.2, 0.3, 0.5, 0.2);
    Map<String, double[]> p = id.parameters();
    assertThat(p).isEmpty();
    // parameters() is a copy the caller owns, as for every other calibrator
    p.put("x", new double[] {1});
    assertThat(id.parameters()).isEmpty();
  }
}
