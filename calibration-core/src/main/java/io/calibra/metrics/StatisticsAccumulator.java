package io.calibra.metrics;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.Objects;

/**
 * The calibration statistics that sums define, so that partial accumulators (per thread, per file
 * chunk) can be merged: the debiased ECE on equal-width bins, the Spiegelhalter test, RSD and
 * BiasScore (definitions in {@link CalibrationStatistics}). The statistics that need every row
 * sorted or gridded (Kumar's debiased ECE on equal-mass bins, ACE, smooth ECE, KS) are not
 * mergeable: they are one-shot methods of {@link CalibrationStatistics}. Mutable, not thread-safe;
 * merge one accumulator per thread.
 */
public final class StatisticsAccumulator {
  private final LabelSet labels;
  private final int bins;
  private final long[] binCount;
  private final double[] binConfidence;
  private final double[] binCorrect;
  private final long[] goldCount;
  private final long[] goldCorrect;
  private final double[] sumDistribution;
  private double spiegelhalterNumerator;
  private double spiegelhalterVariance;
  private long rows;

  /**
   * An empty accumulator over {@code labels} with {@code bins} equal-width bins.
   *
   * @throws IllegalArgumentException unless {@code bins >= 1}
   */
  public StatisticsAccumulator(LabelSet labels, int bins) {
    this.labels = Objects.requireNonNull(labels, "labels");
    if (bins < 1) {
      throw new IllegalArgumentException("bins is " + bins + "; expected at least 1");
    }
    this.bins = bins;
    this.binCount = new long[bins];
    this.binConfidence = new double[bins];
    this.binCorrect = new double[bins];
    this.goldCount = new long[labels.size()];
    this.goldCorrect = new long[labels.size()];
    this.sumDistribution = new double[labels.size()];
  }

  /**
   * Adds a row.
   *
   * @throws IllegalArgumentException if {@code p} is over another label set or {@code gold} is out
   *     of range
   */
  public void add(LabelDistribution p, int gold) {
    labels.requireSame(p.labels(), "statistics input");
    int k = labels.size();
    if (gold < 0 || gold >= k) {
      throw new IllegalArgumentException(
          "gold label index " + gold + " out of range; expected 0.." + (k - 1));
    }
    int predicted = p.argmax();
    double c = p.confidence();
    boolean correct = predicted == gold;
    double y = correct ? 1 : 0;
    int b = EqualWidthBins.binOf(c, bins);
    binCount[b]++;
    binConfidence[b] += c;
    binCorrect[b] += y;
    goldCount[gold]++;
    if (correct) {
      goldCorrect[gold]++;
    }
    for (int i = 0; i < k; i++) {
      sumDistribution[i] += p.probability(i);
    }
    spiegelhalterNumerator += (y - c) * (1 - 2 * c);
    spiegelhalterVariance += (1 - 2 * c) * (1 - 2 * c) * c * (1 - c);
    rows++;
  }

  /**
   * Adds {@code other}'s rows to this one's, after them.
   *
   * @throws IllegalArgumentException if the label sets or bin counts differ
   */
  public void merge(StatisticsAccumulator other) {
    labels.requireSame(other.labels, "merging statistics");
    if (bins != other.bins) {
      throw new IllegalArgumentException(
          "cannot merge statistics with different settings: "
              + bins
              + " vs "
              + other.bins
              + " bins");
    }
    for (int b = 0; b < bins; b++) {
      binCount[b] += other.binCount[b];
      binConfidence[b] += other.binConfidence[b];
      binCorrect[b] += other.binCorrect[b];
    }
    for (int k = 0; k < goldCount.length; k++) {
      goldCount[k] += other.goldCount[k];
      goldCorrect[k] += other.goldCorrect[k];
      sumDistribution[k] += other.sumDistribution[k];
    }
    spiegelhalterNumerator += other.spiegelhalterNumerator;
    spiegelhalterVariance += other.spiegelhalterVariance;
    rows += other.rows;
  }

  /** The number of rows added. */
  public long rows() {
    return rows;
  }

  private void requireRows() {
    if (rows == 0) {
      throw new IllegalStateException("no rows were added");
    }
  }

  /**
   * Kumar et al.'s debiased estimate of the top-label l2 calibration error on the equal-width bins:
   * {@code sqrt(max(0, sum over bins with n_b >= 2 of (n_b / n)[(mean c - m)^2 - m (1 - m) / (n_b -
   * 1)]))}, {@code m} the bin's accuracy.
   *
   * @throws IllegalStateException if no rows were added
   */
  public double debiasedEce() {
    requireRows();
    double total = 0;
    for (int b = 0; b < bins; b++) {
      long nb = binCount[b];
      if (nb >= 2) {
        double m = binCorrect[b] / nb;
        double gap = binConfidence[b] / nb - m;
        total += (nb / (double) rows) * (gap * gap - m * (1 - m) / (nb - 1.0));
      }
    }
    return Math.sqrt(Math.max(total, 0));
  }

  /**
   * The Spiegelhalter test on top-label confidences.
   *
   * @throws IllegalStateException if no rows were added, or every confidence is 1/2 or 1
   */
  public SpiegelhalterTest spiegelhalter() {
    requireRows();
    return SpiegelhalterTest.of(spiegelhalterNumerator, spiegelhalterVariance);
  }

  /**
   * RSD: the population standard deviation of the per-class accuracy (recall) over the classes that
   * have gold rows, divided by its mean.
   *
   * @throws IllegalStateException if no rows were added or every class's accuracy is 0
   */
  public double rsd() {
    requireRows();
    int classes = 0;
    double sum = 0;
    for (int k = 0; k < goldCount.length; k++) {
      if (goldCount[k] > 0) {
        sum += goldCorrect[k] / (double) goldCount[k];
        classes++;
      }
    }
    double mean = sum / classes;
    if (!(mean > 0)) {
      throw new IllegalStateException(
          "RSD is undefined: every class's accuracy is 0, so their mean is 0");
    }
    double squares = 0;
    for (int k = 0; k < goldCount.length; k++) {
      if (goldCount[k] > 0) {
        double d = goldCorrect[k] / (double) goldCount[k] - mean;
        squares += d * d;
      }
    }
    return Math.sqrt(squares / classes) / mean;
  }

  /**
   * BiasScore: the total-variation distance {@code 1/2 sum_k |mean p_k - f_k|} between the mean
   * predicted distribution and the gold label frequencies {@code f}.
   *
   * @throws IllegalStateException if no rows were added
   */
  public double biasScore() {
    requireRows();
    double total = 0;
    for (int k = 0; k < goldCount.length; k++) {
      total += Math.abs(sumDistribution[k] / rows - goldCount[k] / (double) rows);
    }
    return total / 2;
  }
}
