package io.calibra.metrics;

import io.calibra.label.LabelledSet;

/** One-shot helpers over a whole {@link LabelledSet}. Stateless and thread-safe. */
public final class Metrics {
  private Metrics() {}

  /** Every metric, with {@link MetricsAccumulator#DEFAULT_BINS} bins. */
  public static CalibrationMetrics evaluate(LabelledSet data) {
    return evaluate(data, MetricsAccumulator.DEFAULT_BINS);
  }

  /** Every metric, with {@code bins} bins. */
  public static CalibrationMetrics evaluate(LabelledSet data, int bins) {
    MetricsAccumulator acc = new MetricsAccumulator(data.labels(), bins, true);
    for (int i = 0; i < data.size(); i++) {
      acc.add(data.distribution(i), data.gold(i));
    }
    return acc.result();
  }

  /** Accuracy. */
  public static double accuracy(LabelledSet data) {
    return evaluate(data).accuracy();
  }

  /** Top-label ECE with {@code bins} equal-width bins. */
  public static double ece(LabelledSet data, int bins) {
    EqualWidthBins b = new EqualWidthBins(bins);
    for (int i = 0; i < data.size(); i++) {
      var d = data.distribution(i);
      b.add(d.confidence(), d.argmax() == data.gold(i));
    }
    return b.ece();
  }

  /** NLL with {@code p_gold} clipped to [1e-15, 1]. */
  public static double nll(LabelledSet data) {
    double sum = 0;
    for (int i = 0; i < data.size(); i++) {
      sum -=
          Math.log(Math.min(1.0, Math.max(1e-15, data.distribution(i).probability(data.gold(i)))));
    }
    return sum / data.size();
  }
}
