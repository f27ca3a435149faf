package io.calibra.metrics;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Accumulates every metric of {@link CalibrationMetrics} over rows of (distribution, gold label).
 * Combine partial accumulators (per thread, per file chunk, per machine) with {@link #merge}; the
 * result equals that of one accumulator over all rows, in merge order. Not thread-safe.
 *
 * <p>Memory is linear in the number of labels K (per-label counts and bins, never K x K), so
 * 100,000 labels fit in a 1 GB heap, and constant in the number of rows except for the equal-mass
 * ECE, which keeps 9 bytes a row; construct with {@code equalMass = false} to stream without it (it
 * is then absent from the result: {@link CalibrationMetrics#eceEqualMass()} is empty, never 0), and
 * compute it with {@link StreamingEqualMassEce} when the rows can be read three times.
 */
public final class MetricsAccumulator implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The default number of bins: 15, as in Guo et al. 2017. */
  public static final int DEFAULT_BINS = 15;

  private static final double NLL_CLIP = 1e-15;

  private final LabelSet labels;
  private final int bins;
  private final ConfusionCounts confusion;
  private final EqualWidthBins topLabel;
  private final EqualWidthBins[] classwise;
  private final EqualMassEce equalMass;
  private final double[] sumDistribution;
  private double sumBrier;
  private double sumNll;
  private long rows;

  /** An accumulator with {@link #DEFAULT_BINS} bins and equal-mass ECE. */
  public MetricsAccumulator(LabelSet labels) {
    this(labels, DEFAULT_BINS, true);
  }

  /**
   * An accumulator with {@code bins} bins; {@code equalMass} keeps each row's confidence for the
   * equal-mass ECE.
   *
   * @throws IllegalArgumentException unless {@code bins >= 1}
   */
  public MetricsAccumulator(LabelSet labels, int bins, boolean equalMass) {
    this.labels = Objects.requireNonNull(labels, "labels");
    this.bins = bins;
    this.confusion = new ConfusionCounts(labels);
    this.topLabel = new EqualWidthBins(bins);
    this.classwise = new EqualWidthBins[labels.size()];
    for (int k = 0; k < classwise.length; k++) {
      classwise[k] = new EqualWidthBins(bins);
    }
    this.equalMass = equalMass ? new EqualMassEce(bins) : null;
    this.sumDistribution = new double[labels.size()];
  }

  /**
   * Adds a row.
   *
   * @throws IllegalArgumentException if the distribution is over another label set or {@code gold}
   *     is out of range
   */
  public void add(LabelDistribution p, int gold) {
    if (p.labels() != labels) { // equal label sets are compared in O(K)
      labels.requireSame(p.labels(), "metrics input");
    }
    addChecked(p.toArray(), 0, gold);
  }

  /**
   * Adds a row of K probabilities read from {@code p} at {@code offset}, without allocating.
   *
   * @throws IllegalArgumentException if the row is not a valid distribution (naming the label and
   *     value) or {@code gold} is out of range
   */
  public void add(double[] p, int offset, int gold) {
    io.calibra.internal.Probabilities.checkRow(labels.names(), p, offset);
    addChecked(p, offset, gold);
  }

  private void addChecked(double[] p, int offset, int gold) {
    int k = labels.size();
    if (gold < 0 || gold >= k) {
      throw new IllegalArgumentException(
          "gold label index "
              + gold
              + " out of range; expected 0.."
              + (k - 1)
              + " for labels "
              + labels.names());
    }
    int predicted = io.calibra.internal.Probabilities.argmax(p, offset, k);
    double confidence = p[offset + predicted];
    boolean correct = predicted == gold;
    confusion.add(gold, predicted);
    topLabel.add(confidence, correct);
    if (equalMass != null) {
      equalMass.add(confidence, correct);
    }
    double brier = 0;
    for (int i = 0; i < k; i++) {
      double v = p[offset + i];
      double y = i == gold ? 1 : 0;
      classwise[i].add(v, i == gold);
      brier += (v - y) * (v - y);
      sumDistribution[i] += v;
    }
    sumBrier += brier;
    sumNll -= Math.log(Math.min(1.0, Math.max(NLL_CLIP, p[offset + gold])));
    rows++;
  }

  /**
   * Adds {@code other}'s rows to this one's, after them.
   *
   * @throws IllegalArgumentException if the label sets, bin counts or equal-mass settings differ
   */
  public void merge(MetricsAccumulator other) {
    labels.requireSame(other.labels, "merging metrics");
    if (bins != other.bins || (equalMass == null) != (other.equalMass == null)) {
      throw new IllegalArgumentException(
          "cannot merge metrics with different settings: "
              + bins
              + " vs "
              + other.bins
              + " bins, equal-mass "
              + tracksEqualMass()
              + " vs "
              + other.tracksEqualMass());
    }
    confusion.merge(other.confusion);
    topLabel.merge(other.topLabel);
    for (int k = 0; k < classwise.length; k++) {
      classwise[k].merge(other.classwise[k]);
    }
    if (equalMass != null) {
      equalMass.merge(other.equalMass);
    }
    for (int k = 0; k < sumDistribution.length; k++) {
      sumDistribution[k] += other.sumDistribution[k];
    }
    sumBrier += other.sumBrier;
    sumNll += other.sumNll;
    rows += other.rows;
  }

  /** Whether the equal-mass ECE is computed. */
  public boolean tracksEqualMass() {
    return equalMass != null;
  }

  /** The number of rows added. */
  public long rows() {
    return rows;
  }

  /** The label set. */
  public LabelSet labels() {
    return labels;
  }

  /**
   * The metrics of the rows added so far.
   *
   * @throws IllegalStateException if no row was added
   */
  public CalibrationMetrics result() {
    if (rows == 0) {
      throw new IllegalStateException("no rows were added; metrics need at least one");
    }
    double classwiseSum = 0;
    for (EqualWidthBins c : classwise) {
      classwiseSum += c.ece();
    }
    double[] mean = new double[sumDistribution.length];
    for (int k = 0; k < mean.length; k++) {
      mean[k] = sumDistribution[k] / rows;
    }
    return new CalibrationMetrics(
        rows,
        confusion.accuracy(),
        confusion.macroF1(),
        topLabel.ece(),
        equalMass == null ? OptionalDouble.empty() : OptionalDouble.of(equalMass.ece()),
        topLabel.mce(),
        classwiseSum / classwise.length,
        sumBrier / rows,
        sumNll / rows,
        confusion.predictionCounts(),
        topLabel.nonEmptyBins(),
        LabelBias.of(mean));
  }
}
