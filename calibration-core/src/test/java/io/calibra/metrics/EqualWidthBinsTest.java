package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link EqualWidthBins}: an empty accumulator refuses a metric. Hand-written expectations. */
class EqualWidthBinsTest {
  @Test
  void emptyBinsRefuseAMetric() {
    EqualWidthBins bins = new EqualWidthBins(4);
    assertThat(bins.bins()).isEqualTo(4);
    assertThat(bins.rows()).isZero();
    assertThatThrownBy(bins::ece)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no rows were added; a metric needs at least one");
    assertThatThrownBy(bins::mce).isInstanceOf(IllegalStateException.class);
  }
}
