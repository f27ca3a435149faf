package io.calibra.metrics;

import java.util.Arrays;

/**
 * Equal-mass (adaptive) ECE: rows sorted by confidence, split into B groups whose sizes differ by
 * at most one with the larger groups first (as {@code numpy.array_split}), then {@code sum of (n_g
 * / n) * |mean correct - mean confidence|}. Rows tied in confidence count with their tie's mean
 * correctness ({@link io.calibra.internal.Ties}), so a group cut inside a tie does not depend on
 * the order the rows came in. It keeps every row's confidence (12 bytes a row), since groups depend
 * on the global order; merging appends rows.
 */
final class EqualMassEce implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int bins;
  private double[] confidence = new double[64];
  private boolean[] correct = new boolean[64];
  private int rows;

  /**
   * An empty accumulator.
   *
   * @throws IllegalArgumentException unless {@code bins >= 1}
   */
  public EqualMassEce(int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins is " + bins + "; expected at least 1");
    }
    this.bins = bins;
  }

  /**
   * Adds a row.
   *
   * @throws IllegalArgumentException if the confidence is NaN or outside [0, 1]
   */
  public void add(double rowConfidence, boolean rowCorrect) {
    if (!(rowConfidence >= 0 && rowConfidence <= 1)) {
      throw new IllegalArgumentException(
          "confidence is " + rowConfidence + "; expected a value in [0, 1]");
    }
    if (rows == confidence.length) {
      int grown = Math.max(64, rows * 2);
      confidence = Arrays.copyOf(confidence, grown);
      correct = Arrays.copyOf(correct, grown);
    }
    confidence[rows] = rowConfidence;
    correct[rows] = rowCorrect;
    rows++;
  }

  /** Appends {@code other}'s rows after this one's. */
  public void merge(EqualMassEce other) {
    if (other.bins != bins) {
      throw new IllegalArgumentException(
          "cannot merge " + other.bins + " bins into " + bins + " bins; expected the same number");
    }
    for (int i = 0; i < other.rows; i++) {
      add(other.confidence[i], other.correct[i]);
    }
  }

  /** The number of rows added. */
  public long rows() {
    return rows;
  }

  /** The equal-mass ECE. */
  public double ece() {
    if (rows == 0) {
      throw new IllegalStateException("no rows were added; a metric needs at least one");
    }
    int[] order = io.calibra.internal.StableSort.ascending(confidence, rows);
    double[] outcome = new double[rows];
    for (int i = 0; i < rows; i++) {
      outcome[i] = correct[i] ? 1 : 0;
    }
    double[] meanCorrect = io.calibra.internal.Ties.meanOutcomes(confidence, order, outcome);
    int base = rows / bins;
    int larger = rows % bins;
    double sum = 0;
    int start = 0;
    for (int g = 0; g < bins; g++) {
      int size = base + (g < larger ? 1 : 0);
      if (size == 0) {
        continue;
      }
      double sumConfidence = 0;
      double sumCorrect = 0;
      for (int i = start; i < start + size; i++) {
        sumConfidence += confidence[order[i]];
        sumCorrect += meanCorrect[i];
      }
      sum += size * Math.abs(sumCorrect / size - sumConfidence / size);
      start += size;
    }
    return sum / rows;
  }
}
