package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/**
 * Boundaries of the metric accumulators that PIT found unasserted: empty accumulators, index
 * ranges, merges of mismatched label sets and closed intervals. Hand-written expectations.
 */
class MetricsBoundariesTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void emptyBinsAndCountsRefuseAMetric() {
    EqualWidthBins bins = new EqualWidthBins(4);
    assertThat(bins.bins()).isEqualTo(4);
    assertThat(bins.rows()).isZero();
    assertThatThrownBy(bins::ece)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no rows were added; a metric needs at least one");
    assertThatThrownBy(bins::mce).isInstanceOf(IllegalStateException.class);
    ConfusionCounts counts = new ConfusionCounts(AB);
    assertThatThrownBy(counts::accuracy).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(counts::macroF1).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void confusionCountsRejectIndicesOutsideTheLabels() {
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

  @Test
  void intervalsAreClosed() {
    Bootstrap.Interval i = new Bootstrap.Interval(0.25, 0.5);
    assertThat(i.contains(0.25)).isTrue();
    assertThat(i.contains(0.5)).isTrue();
    assertThat(i.contains(0.375)).isTrue();
    assertThat(i.contains(0.2)).isFalse();
    assertThat(i.contains(0.6)).isFalse();
  }
}
