package io.calibra.metrics;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;

/** Four labelled rows over labels (a, b) whose metrics are hand computed below. */
final class FourRows {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /**
   * Four rows (hand computed): confidences 0.9 (right), 0.7 (wrong), 0.6 (wrong), 0.8 (right);
   * accuracy 1/2; each row alone in its tenth, so ECE over 10 bins is (0.1 + 0.7 + 0.6 + 0.2) / 4 =
   * 0.4, over one bin |0.5 - 0.75| = 0.25.
   */
  static final double[][] ROWS = {{0.9, 0.1}, {0.3, 0.7}, {0.6, 0.4}, {0.2, 0.8}};

  static final int[] GOLD = {0, 0, 1, 1};

  private FourRows() {}

  static LabelledSet labelled() {
    List<LabelDistribution> rows = new ArrayList<>();
    for (double[] p : ROWS) {
      rows.add(LabelDistribution.ofProbabilities(AB, p));
    }
    return LabelledSet.of(rows, GOLD);
  }
}
