package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CalibrationMetrics}'s keyed view and the replacement of its equal-mass ECE. */
class CalibrationMetricsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void byKeyListsTheJsonKeysInOrderAndWithEceEqualMassReplacesOne() {
    CalibrationMetrics m = Metrics.evaluate(FourRows.labelled());
    Map<String, Double> keyed = m.byKey();
    assertThat(keyed)
        .containsExactly(
            Map.entry("accuracy", m.accuracy()),
            Map.entry("macro_f1", m.macroF1()),
            Map.entry("ece", m.ece()),
            Map.entry("ece_equal_mass", m.eceEqualMass().getAsDouble()),
            Map.entry("mce", m.mce()),
            Map.entry("classwise_ece", m.classwiseEce()),
            Map.entry("brier", m.brier()),
            Map.entry("nll", m.nll()));

    CalibrationMetrics replaced = m.withEceEqualMass(0.125);
    assertThat(replaced.eceEqualMass().getAsDouble()).isEqualTo(0.125);
    assertThat(replaced.byKey()).containsEntry("ece_equal_mass", 0.125);
    assertThat(replaced.withEceEqualMass(m.eceEqualMass().getAsDouble())).isEqualTo(m);

    MetricsAccumulator widthOnly = new MetricsAccumulator(AB, 15, false);
    widthOnly.add(FourRows.ROWS[0], 0, 0);
    assertThat(widthOnly.result().byKey()).doesNotContainKey("ece_equal_mass").hasSize(7);
  }
}
