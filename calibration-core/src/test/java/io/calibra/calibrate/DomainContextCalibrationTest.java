package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DomainContextCalibration}: its bias factories and the bounds of its content-free inputs.
 * Expected values are hand computed unless stated.
 */
class DomainContextCalibrationTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void fromBiasFactoriesBuildTheirMethod() {
    LabelDistribution bias = d(AB, 0.25, 0.75);
    Calibrator batch = BatchCalibration.fromBias(bias);
    assertThat(batch.kind()).isEqualTo(CalibrationMethod.BATCH);
    // q = normalise(p / bias) = normalise(.5/.25, .5/.75) = normalise(2, 2/3) = (.75, .25)
    assertThat(batch.apply(d(AB, 0.5, 0.5)).toArray())
        .containsExactly(new double[] {0.75, 0.25}, within(1e-15));
    Calibrator domain = DomainContextCalibration.fromBias(bias);
    assertThat(domain.kind()).isEqualTo(CalibrationMethod.DOMAIN_CONTEXT);
    assertThat(((Calibrator.BiasCorrection) domain).bias()).isEqualTo(bias);
    Calibrator domainArray = DomainContextCalibration.fromBias(AB, new double[] {0.25, 0.75});
    assertThat(domainArray).isEqualTo(domain);
    assertThat(ContextualCalibration.rule(domainArray))
        .contains(ContextualCalibration.Rule.NORMALISED);
  }

  @Test
  void domainContextInputsBoundaries() {
    List<String> one = DomainContextCalibration.contentFreeInputs(List.of("w"), 1, 3);
    assertThat(one).containsExactly("w");
    assertThatThrownBy(() -> DomainContextCalibration.contentFreeInputs(List.of("w"), 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count is 0; expected at least 1");
    assertThatThrownBy(() -> DomainContextCalibration.contentFreeInputs(List.of(), 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs an in-domain corpus; found no texts");
  }

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }
}
