package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
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

  /** Five rows in four bins: edges, counts, means, ECE and MCE hand computed in the comments. */
  @Test
  void reliabilityBinEdgesCountsAndMeans() {
    EqualWidthBins bins = new EqualWidthBins(4);
    // Bins are (lo, hi]; 0 falls in the first. 0.25 -> bin 0, 0.26 -> bin 1, 1.0 -> bin 3.
    bins.add(0.0, false);
    bins.add(0.25, true);
    bins.add(0.26, true);
    bins.add(0.5, false);
    bins.add(1.0, true);
    List<ReliabilityBin> out = bins.nonEmptyBins();
    assertThat(out).hasSize(3);
    double[][] expected = {
      {0.0, 0.25, 2, 0.125, 0.5}, {0.25, 0.5, 2, 0.38, 0.5}, {0.75, 1, 1, 1, 1}
    };
    for (int i = 0; i < 3; i++) {
      ReliabilityBin b = out.get(i);
      double[] e = expected[i];
      assertThat(b.lower()).as("lower %d", i).isEqualTo(e[0]);
      assertThat(b.upper()).as("upper %d", i).isEqualTo(e[1]);
      assertThat(b.count()).as("count %d", i).isEqualTo((long) e[2]);
      assertThat(b.meanConfidence()).as("confidence %d", i).isCloseTo(e[3], within(1e-15));
      assertThat(b.accuracy()).as("accuracy %d", i).isEqualTo(e[4]);
    }
    assertThat(out.get(0).gap()).isEqualTo(0.375);
    // ECE = (2 * 0.375 + 2 * 0.12 + 1 * 0) / 5; MCE = 0.375.
    assertThat(bins.ece()).isCloseTo((2 * 0.375 + 2 * 0.12) / 5, within(1e-15));
    assertThat(bins.mce()).isEqualTo(0.375);
    assertThat(EqualWidthBins.binOf(0.75, 4)).isEqualTo(2);
    assertThat(EqualWidthBins.binOf(0.7500001, 4)).isEqualTo(3);
    assertThat(EqualWidthBins.binOf(1e-300, 4)).isZero();
  }
}
