package io.calibra.cli;

import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.MethodFit;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreRow;
import java.util.ArrayList;
import java.util.List;

/** {@code calibra fit --method leave-one-out}: the class-balanced bias of a leave-one-out file. */
final class LeaveOneOutFit {
  private LeaveOneOutFit() {}

  /**
   * Fits on the rows of a leave-one-out score file, each distribution mapped by {@code before} (a
   * pipeline's earlier stages): every row must have its demonstration's label as gold.
   *
   * @throws DataFileException naming the file (and the line of a row without gold)
   */
  static Calibrator fit(
      MethodFit.Demonstrations fit,
      ScoreRows rows,
      java.util.function.UnaryOperator<io.calibra.label.LabelDistribution> before) {
    List<io.calibra.label.LabelDistribution> d = new ArrayList<>(rows.rows().size());
    int[] labels = new int[rows.rows().size()];
    for (int j = 0; j < labels.length; j++) {
      ScoreRow r = rows.rows().get(j);
      if (!r.hasGold()) {
        throw new DataFileException(
            rows.file(),
            r.line(),
            0,
            "a leave-one-out row needs its demonstration's label in the gold column; found none");
      }
      labels[j] = r.gold();
      d.add(before.apply(r.distribution()));
    }
    try {
      return fit.fit(io.calibra.label.LabelledSet.of(d, labels));
    } catch (IllegalArgumentException e) {
      throw new DataFileException(rows.file(), 0, 0, e.getMessage(), e);
    }
  }
}
