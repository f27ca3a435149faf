package io.calibra.metrics;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;

/** Counts of (gold, predicted) pairs: accuracy, macro-F1 and prediction counts. */
public final class ConfusionCounts {
  private final LabelSet labels;
  private final long[] counts; // [gold * K + predicted]
  private long rows;

  /** An empty confusion matrix over {@code labels}. */
  public ConfusionCounts(LabelSet labels) {
    this.labels = labels;
    this.counts = new long[labels.size() * labels.size()];
  }

  /** Counts one row with gold label {@code gold} and predicted label {@code predicted}. */
  public void add(int gold, int predicted) {
    int k = labels.size();
    if (gold < 0 || gold >= k || predicted < 0 || predicted >= k) {
      throw new IllegalArgumentException(
          "gold " + gold + " or prediction " + predicted + " out of range; expected 0.." + (k - 1));
    }
    counts[gold * k + predicted]++;
    rows++;
  }

  /** Adds {@code other}'s counts to this one's. */
  public void merge(ConfusionCounts other) {
    labels.requireSame(other.labels, "merging confusion counts");
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    rows += other.rows;
  }

  /** The number of rows counted. */
  public long rows() {
    return rows;
  }

  /** The number of rows with gold {@code gold} predicted as {@code predicted}. */
  public long count(int gold, int predicted) {
    return counts[gold * labels.size() + predicted];
  }

  /** The fraction of rows whose prediction is the gold label. */
  public double accuracy() {
    requireRows();
    long correct = 0;
    for (int k = 0; k < labels.size(); k++) {
      correct += count(k, k);
    }
    return (double) correct / rows;
  }

  /**
   * The mean over classes of {@code 2TP / (2TP + FP + FN)}, a class counting 0 when that is 0/0.
   */
  public double macroF1() {
    requireRows();
    int k = labels.size();
    double sum = 0;
    for (int c = 0; c < k; c++) {
      long tp = count(c, c);
      long predicted = 0;
      long gold = 0;
      for (int j = 0; j < k; j++) {
        predicted += count(j, c);
        gold += count(c, j);
      }
      long denominator = predicted + gold; // (TP + FP) + (TP + FN)
      sum += denominator == 0 ? 0.0 : 2.0 * tp / denominator;
    }
    return sum / k;
  }

  /** How many rows predict each label, in label order. */
  public List<Long> predictionCounts() {
    int k = labels.size();
    List<Long> out = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      long predicted = 0;
      for (int g = 0; g < k; g++) {
        predicted += count(g, c);
      }
      out.add(predicted);
    }
    return out;
  }

  private void requireRows() {
    if (rows == 0) {
      throw new IllegalStateException("no rows were added; a metric needs at least one");
    }
  }
}
