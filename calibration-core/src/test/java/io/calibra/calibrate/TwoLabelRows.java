package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;

/** Labelled rows over labels (a, b) shared by the tests of several calibrators. */
final class TwoLabelRows {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private TwoLabelRows() {}

  private static LabelDistribution d(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  /** Overlapping classes (gold not a function of p), so even unregularised fits are bounded. */
  static LabelledSet overlapping() {
    List<LabelDistribution> ds = new ArrayList<>();
    int[] gold = {0, 1, 0, 1, 1, 0, 0, 1};
    double[] pa = {0.8, 0.7, 0.6, 0.55, 0.4, 0.35, 0.3, 0.2};
    for (double p : pa) {
      ds.add(d(p));
    }
    return LabelledSet.of(ds, gold);
  }
}
