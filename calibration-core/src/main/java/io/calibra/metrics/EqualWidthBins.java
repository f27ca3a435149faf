package io.calibra.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Equal-width bins over a score in [0, 1] with a binary outcome: per bin the count, the sum of
 * scores and the sum of outcomes. The bin of score {@code c} is {@code clamp(ceil(c * B) - 1, 0, B
 * - 1)}, so bins are {@code (lo, hi]} and 0 falls in the first. Gives ECE, MCE and the reliability
 * diagram.
 */
final class EqualWidthBins implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int bins;
  private final long[] count;
  private final double[] sumScore;
  private final double[] sumOutcome;
  private long rows;

  /**
   * Empty bins.
   *
   * @throws IllegalArgumentException unless {@code bins >= 1}
   */
  public EqualWidthBins(int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins is " + bins + "; expected at least 1");
    }
    this.bins = bins;
    this.count = new long[bins];
    this.sumScore = new double[bins];
    this.sumOutcome = new double[bins];
  }

  /** The bin index of {@code score}: {@code clamp(ceil(score * B) - 1, 0, B - 1)}. */
  static int binOf(double score, int bins) {
    return io.calibra.internal.Bins.equalWidth(score, bins);
  }

  /**
   * Adds a row with {@code score} in [0, 1] and outcome 1 (correct) or 0.
   *
   * @throws IllegalArgumentException if the score is NaN or outside [0, 1]
   */
  public void add(double score, boolean outcome) {
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score is " + score + "; expected a value in [0, 1]");
    }
    int b = binOf(score, bins);
    count[b]++;
    sumScore[b] += score;
    sumOutcome[b] += outcome ? 1 : 0;
    rows++;
  }

  /** Adds {@code other}'s bins to these. */
  public void merge(EqualWidthBins other) {
    if (other.bins != bins) {
      throw new IllegalArgumentException(
          "cannot merge " + other.bins + " bins into " + bins + " bins; expected the same number");
    }
    for (int b = 0; b < bins; b++) {
      count[b] += other.count[b];
      sumScore[b] += other.sumScore[b];
      sumOutcome[b] += other.sumOutcome[b];
    }
    rows += other.rows;
  }

  /** The number of bins. */
  public int bins() {
    return bins;
  }

  /** The number of rows added. */
  public long rows() {
    return rows;
  }

  /** {@code sum over non-empty bins of (n_b / n) * |mean outcome - mean score|}. */
  public double ece() {
    requireRows();
    double sum = 0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        sum += count[b] * Math.abs(sumOutcome[b] / count[b] - sumScore[b] / count[b]);
      }
    }
    return sum / rows;
  }

  /** The largest {@code |mean outcome - mean score|} over non-empty bins. */
  public double mce() {
    requireRows();
    double max = 0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        max = Math.max(max, Math.abs(sumOutcome[b] / count[b] - sumScore[b] / count[b]));
      }
    }
    return max;
  }

  /** The non-empty bins, in score order. */
  public List<ReliabilityBin> nonEmptyBins() {
    List<ReliabilityBin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        out.add(
            new ReliabilityBin(
                (double) b / bins,
                (double) (b + 1) / bins,
                count[b],
                sumScore[b] / count[b],
                sumOutcome[b] / count[b]));
      }
    }
    return out;
  }

  private void requireRows() {
    if (rows == 0) {
      throw new IllegalStateException("no rows were added; a metric needs at least one");
    }
  }
}
