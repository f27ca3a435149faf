package io.calibra.metrics;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-label counts of (gold, predicted) pairs: true positives, predictions and gold occurrences of
 * each label, from which accuracy, macro-F1 and prediction counts follow. Memory is linear in the
 * number of labels K (three {@code long}s a label), not K x K, so 100,000 labels take 2.4 MB. Not
 * thread-safe.
 */
final class ConfusionCounts implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final LabelSet labels;
  private final long[] truePositives;
  private final long[] predicted; // TP + FP
  private final long[] gold; // TP + FN
  private long rows;

  /** Empty counts over {@code labels}. */
  public ConfusionCounts(LabelSet labels) {
    this.labels = labels;
    int k = labels.size();
    this.truePositives = new long[k];
    this.predicted = new long[k];
    this.gold = new long[k];
  }

  /** Counts one row with gold label {@code gold} and predicted label {@code predicted}. */
  public void add(int gold, int predicted) {
    int k = labels.size();
    if (gold < 0 || gold >= k || predicted < 0 || predicted >= k) {
      throw new IllegalArgumentException(
          "gold " + gold + " or prediction " + predicted + " out of range; expected 0.." + (k - 1));
    }
    if (gold == predicted) {
      truePositives[gold]++;
    }
    this.predicted[predicted]++;
    this.gold[gold]++;
    rows++;
  }

  /** Adds {@code other}'s counts to this one's. */
  public void merge(ConfusionCounts other) {
    labels.requireSame(other.labels, "merging confusion counts");
    for (int i = 0; i < truePositives.length; i++) {
      truePositives[i] += other.truePositives[i];
      predicted[i] += other.predicted[i];
      gold[i] += other.gold[i];
    }
    rows += other.rows;
  }

  /** The number of rows counted. */
  public long rows() {
    return rows;
  }

  /** The rows with gold {@code label} predicted as {@code label}. */
  public long truePositives(int label) {
    return truePositives[label];
  }

  /** The rows predicted as {@code label} whose gold is another label. */
  public long falsePositives(int label) {
    return predicted[label] - truePositives[label];
  }

  /** The rows with gold {@code label} predicted as another label. */
  public long falseNegatives(int label) {
    return gold[label] - truePositives[label];
  }

  /** The fraction of rows whose prediction is the gold label. */
  public double accuracy() {
    requireRows();
    long correct = 0;
    for (long tp : truePositives) {
      correct += tp;
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
      long denominator = predicted[c] + gold[c]; // (TP + FP) + (TP + FN)
      sum += denominator == 0 ? 0.0 : 2.0 * truePositives[c] / denominator;
    }
    return sum / k;
  }

  /** How many rows predict each label, in label order. */
  public List<Long> predictionCounts() {
    List<Long> out = new ArrayList<>(predicted.length);
    for (long p : predicted) {
      out.add(p);
    }
    return out;
  }

  private void requireRows() {
    if (rows == 0) {
      throw new IllegalStateException("no rows were added; a metric needs at least one");
    }
  }
}
