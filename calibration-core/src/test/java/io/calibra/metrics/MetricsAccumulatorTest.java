package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/** {@link MetricsAccumulator}'s row count, labels and gold-index check. */
class MetricsAccumulatorTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void accumulatorsCountTheirRowsAndKnowTheirLabels() {
    MetricsAccumulator acc = new MetricsAccumulator(AB);
    EqualMassEce mass = new EqualMassEce(3);
    EqualWidthBins width = new EqualWidthBins(3);
    for (int i = 0; i < FourRows.ROWS.length; i++) {
      acc.add(FourRows.ROWS[i], 0, FourRows.GOLD[i]);
      mass.add(FourRows.ROWS[i][0], true);
      width.add(FourRows.ROWS[i][0], true);
    }
    assertThat(acc.rows()).isEqualTo(4);
    assertThat(acc.labels()).isEqualTo(AB);
    assertThat(mass.rows()).isEqualTo(4);
    assertThat(width.rows()).isEqualTo(4);
    assertThatThrownBy(() -> acc.add(FourRows.ROWS[0], 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gold label index 2 out of range; expected 0..1 for labels [a, b]");
  }
}
