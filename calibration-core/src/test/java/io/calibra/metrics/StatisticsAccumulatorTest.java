package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/**
 * {@link StatisticsAccumulator}'s checks (other label sets, gold out of range, no rows) and its
 * RSD. Expected values are hand computed.
 */
class StatisticsAccumulatorTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet AC = LabelSet.of("a", "c"); // same size, other names

  @Test
  void accumulatorsRefuseOtherLabelSetsOfTheSameSize() {
    MetricsAccumulator acc = new MetricsAccumulator(AB);
    assertThatThrownBy(() -> acc.merge(new MetricsAccumulator(AC)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mismatched label sets for merging metrics");
    StatisticsAccumulator stats = new StatisticsAccumulator(AB, 10);
    assertThatThrownBy(() -> stats.add(LabelDistribution.ofProbabilities(AC, 0.5, 0.5), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mismatched label sets for statistics input");
    assertThatThrownBy(() -> stats.add(LabelDistribution.ofProbabilities(AB, 0.5, 0.5), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gold label index 2 out of range; expected 0..1");
    assertThat(stats.rows()).isZero();
  }

  @Test
  void statisticsOfNoRowsAreRefused() {
    StatisticsAccumulator empty = new StatisticsAccumulator(AB, 10);
    assertThatThrownBy(empty::debiasedEce)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no rows were added");
    assertThatThrownBy(empty::spiegelhalter)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no rows were added");
    assertThatThrownBy(empty::rsd)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no rows were added");
  }

  @Test
  void rsdLeavesOutClassesThatAreNeverGold() {
    LabelSet abc = LabelSet.of("a", "b", "c");
    StatisticsAccumulator stats = new StatisticsAccumulator(abc, 10);
    stats.add(LabelDistribution.ofProbabilities(abc, 0.8, 0.1, 0.1), 0); // a: right
    stats.add(LabelDistribution.ofProbabilities(abc, 0.8, 0.1, 0.1), 1); // b: wrong
    stats.add(LabelDistribution.ofProbabilities(abc, 0.1, 0.8, 0.1), 1); // b: right
    // class accuracies 1 and 1/2 (c is never gold): mean 3/4, deviations 1/4 -> RSD 1/3
    assertThat(stats.rsd()).isCloseTo(1.0 / 3, within(1e-15));
  }
}
