package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfusionCounts}: empty counts refuse a metric; indices outside the labels and merges of
 * other label sets are refused. Hand-written expectations.
 */
class ConfusionCountsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void emptyCountsRefuseAMetric() {
    ConfusionCounts counts = new ConfusionCounts(AB);
    assertThatThrownBy(counts::accuracy).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(counts::macroF1).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void indicesOutsideTheLabelsAreRefused() {
    ConfusionCounts counts = new ConfusionCounts(AB);
    assertThatThrownBy(() -> counts.add(2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gold 2 or prediction 0 out of range; expected 0..1");
    assertThatThrownBy(() -> counts.add(0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gold 0 or prediction 2 out of range; expected 0..1");
    assertThatThrownBy(() -> counts.merge(new ConfusionCounts(LabelSet.of("a", "c"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for merging confusion counts");
  }
}
