package io.calibra.metrics;

import io.calibra.internal.Parallel;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;

/** One-shot helpers over a whole {@link LabelledSet}. Stateless and thread-safe. */
public final class Metrics {
  private Metrics() {}

  /** Every metric, with {@link MetricsAccumulator#DEFAULT_BINS} bins. */
  public static CalibrationMetrics evaluate(LabelledSet data) {
    return evaluate(data, MetricsAccumulator.DEFAULT_BINS);
  }

  /**
   * Every metric of {@code distributions} with gold labels given by name, with {@link
   * MetricsAccumulator#DEFAULT_BINS} bins.
   *
   * @throws IllegalArgumentException as {@link LabelledSet#of(java.util.List, java.util.List)}
   */
  public static CalibrationMetrics evaluate(
      java.util.List<io.calibra.label.LabelDistribution> distributions,
      java.util.List<String> gold) {
    return evaluate(LabelledSet.of(distributions, gold));
  }

  /**
   * Every metric, with {@code bins} bins. Large sets are accumulated in parallel chunks merged in
   * row order, so the result does not depend on the number of threads.
   */
  public static CalibrationMetrics evaluate(LabelledSet data, int bins) {
    return accumulate(
        data.labels(), data.size(), bins, (acc, i) -> acc.add(data.distribution(i), data.gold(i)));
  }

  /**
   * Every metric of {@code rows} rows of probabilities stored row-major in {@code probabilities} (K
   * values each) with gold label indices {@code gold}, accumulated in parallel chunks.
   *
   * @throws IllegalArgumentException naming the row if a row is not a valid distribution or its
   *     gold index is out of range
   */
  public static CalibrationMetrics evaluate(
      LabelSet labels, double[] probabilities, int[] gold, int bins) {
    int k = labels.size();
    if (probabilities.length % k != 0 || probabilities.length / k != gold.length) {
      throw new IllegalArgumentException(
          "expected "
              + gold.length
              + " rows of "
              + k
              + " probabilities, found "
              + probabilities.length
              + " values");
    }
    return accumulate(
        labels, gold.length, bins, (acc, i) -> acc.add(probabilities, i * k, gold[i]));
  }

  private interface RowAdder {
    void add(MetricsAccumulator acc, int row);
  }

  private static CalibrationMetrics accumulate(
      LabelSet labels, int rows, int bins, RowAdder adder) {
    MetricsAccumulator[] parts = new MetricsAccumulator[Math.max(1, Parallel.chunks(rows))];
    Parallel.forEachChunk(
        rows,
        (from, to) -> {
          MetricsAccumulator acc = new MetricsAccumulator(labels, bins, true);
          for (int i = from; i < to; i++) {
            try {
              adder.add(acc, i);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("row " + i + ": " + e.getMessage(), e);
            }
          }
          parts[from / Parallel.CHUNK_ROWS] = acc;
        });
    MetricsAccumulator total = parts[0];
    for (int c = 1; c < parts.length; c++) {
      total.merge(parts[c]);
    }
    return total.result();
  }

  /** Accuracy. */
  public static double accuracy(LabelledSet data) {
    return evaluate(data).accuracy();
  }

  /** Top-label ECE with {@code bins} equal-width bins. */
  public static double ece(LabelledSet data, int bins) {
    java.util.Objects.requireNonNull(data, "data");
    EqualWidthBins b = new EqualWidthBins(bins);
    for (int i = 0; i < data.size(); i++) {
      var d = data.distribution(i);
      b.add(d.confidence(), d.argmax() == data.gold(i));
    }
    return b.ece();
  }

  /**
   * The clip of {@code p_gold} in every NLL calibra reports: {@code -log max(p_gold, 1e-15)}, as
   * scikit-learn's {@code log_loss} with its default {@code eps}; a row whose gold label has
   * probability 0 then costs {@code -log 1e-15 = 34.5}, large but finite.
   */
  public static final double NLL_CLIP = 1e-15;

  /**
   * A gold probability below this counts as near zero ({@link #nearZeroGold}): the model (or its
   * calibrator) said the label that occurred was all but impossible. Such rows dominate the NLL
   * (each adds at least {@code -log 1e-6 = 13.8}), and a calibrator that produces them on held-out
   * rows has claimed a certainty its fitting rows could not support.
   */
  public static final double NEAR_ZERO = 1e-6;

  /** NLL with {@code p_gold} clipped to [{@value #NLL_CLIP}, 1]. */
  public static double nll(LabelledSet data) {
    double sum = 0;
    for (int i = 0; i < data.size(); i++) {
      sum -=
          Math.log(
              Math.min(1.0, Math.max(NLL_CLIP, data.distribution(i).probability(data.gold(i)))));
    }
    return sum / data.size();
  }

  /**
   * The rows whose gold label has probability below {@link #NEAR_ZERO} (NaN never counts: a
   * distribution has no NaN entries).
   */
  public static long nearZeroGold(LabelledSet data) {
    java.util.Objects.requireNonNull(data, "data");
    long count = 0;
    for (int i = 0; i < data.size(); i++) {
      if (data.distribution(i).probability(data.gold(i)) < NEAR_ZERO) {
        count++;
      }
    }
    return count;
  }
}
