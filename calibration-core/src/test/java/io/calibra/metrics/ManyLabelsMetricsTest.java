package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Metrics at 100,000 labels: no K x K matrix, so this runs in the test heap; the command line at
 * 100,000 labels in a 1 GB heap is tested in the CLI module.
 */
class ManyLabelsMetricsTest {
  @Test
  void confusionCountsArePerLabelTruePositivesFalsePositivesAndFalseNegatives() {
    // hand computed: (gold, predicted) = (0,0) (0,1) (1,1) (2,1) (2,2) (2,2)
    ConfusionCounts c = new ConfusionCounts(LabelSet.of("a", "b", "c"));
    int[][] pairs = {{0, 0}, {0, 1}, {1, 1}, {2, 1}, {2, 2}, {2, 2}};
    for (int[] p : pairs) {
      c.add(p[0], p[1]);
    }
    assertThat(new long[] {c.truePositives(0), c.truePositives(1), c.truePositives(2)})
        .containsExactly(1, 1, 2);
    assertThat(new long[] {c.falsePositives(0), c.falsePositives(1), c.falsePositives(2)})
        .containsExactly(0, 2, 0);
    assertThat(new long[] {c.falseNegatives(0), c.falseNegatives(1), c.falseNegatives(2)})
        .containsExactly(1, 0, 1);
    assertThat(c.accuracy()).isEqualTo(4.0 / 6);
    // F1 = 2TP / (2TP + FP + FN): a 2/3, b 2/4, c 4/5
    assertThat(c.macroF1()).isEqualTo((2.0 / 3 + 2.0 / 4 + 4.0 / 5) / 3);
    assertThat(c.predictionCounts()).containsExactly(1L, 3L, 2L);
    ConfusionCounts other = new ConfusionCounts(LabelSet.of("a", "b", "c"));
    other.add(1, 0);
    c.merge(other);
    assertThat(c.falsePositives(0)).isEqualTo(1);
    assertThat(c.falseNegatives(1)).isEqualTo(1);
    assertThat(c.rows()).isEqualTo(7);
  }

  @Test
  void aHundredThousandLabels() {
    int k = 100_000;
    List<String> names = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      names.add("label" + i);
    }
    LabelSet labels = LabelSet.of(names);
    MetricsAccumulator acc = new MetricsAccumulator(labels, 15, false);
    // 10 rows, each putting 0.9 on label 3i and 0.1 on label 3i + 1; gold 3i for even i and
    // 3i + 1 for odd i: five correct at confidence 0.9
    for (int i = 0; i < 10; i++) {
      double[] p = new double[k];
      p[3 * i] = 0.9;
      p[3 * i + 1] = 0.1;
      acc.add(LabelDistribution.ofProbabilities(labels, p), i % 2 == 0 ? 3 * i : 3 * i + 1);
    }
    CalibrationMetrics m = acc.result();
    assertThat(m.accuracy()).isEqualTo(0.5);
    // Not tracked, so absent (it used to read 0.0, a perfect score)
    assertThat(acc.tracksEqualMass()).isFalse();
    assertThat(m.eceEqualMass()).isEmpty();
    // hand computed: labels 3i (i even) have F1 1; labels 3i (i odd) have TP 0, FP 1; labels 3i+1
    // (i odd) have TP 0, FN 1; every other label 0: macro-F1 = 5 / 100,000
    assertThat(m.macroF1()).isEqualTo(5.0 / k);
    assertThat(m.predictionCounts()).hasSize(k);
    assertThat(m.ece()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
  }
}
