package io.calibra.selective;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;

/**
 * Accept a prediction when its confidence (top-label probability) is at least a threshold; abstain
 * otherwise. Thresholds are chosen on a labelled dev set so that every row tied at the threshold is
 * accepted together. Immutable and thread-safe.
 *
 * @param threshold the least confidence accepted; {@code +Infinity} abstains on everything, 0
 *     accepts everything
 * @param devCoverage the fraction of dev rows accepted at this threshold (NaN-free; 0 if unknown)
 * @param devRisk the error rate among the accepted dev rows (0 when none are accepted)
 */
public record SelectivePolicy(double threshold, double devCoverage, double devRisk) {

  /** Validates the threshold: not NaN, at least 0. */
  public SelectivePolicy {
    if (!(threshold >= 0)) {
      throw new IllegalArgumentException("threshold is " + threshold + "; expected a value >= 0");
    }
  }

  /** A fixed threshold, not chosen on data. */
  public static SelectivePolicy threshold(double threshold) {
    return new SelectivePolicy(threshold, 0, 0);
  }

  /** Whether to accept (not abstain on) {@code p}. */
  public boolean accepts(LabelDistribution p) {
    return p.confidence() >= threshold;
  }

  /**
   * The lowest threshold (largest coverage) whose error rate among the accepted dev rows is at most
   * {@code targetRisk}.
   *
   * @throws IllegalArgumentException unless {@code targetRisk} is in [0, 1], or if no threshold
   *     reaches it on {@code dev} (stating the lowest reachable risk and its coverage), rather than
   *     silently abstaining on everything
   */
  public static SelectivePolicy forTargetRisk(LabelledSet dev, double targetRisk) {
    java.util.Objects.requireNonNull(dev, "dev");
    checkFraction(targetRisk, "target risk");
    Candidates c = new Candidates(dev);
    int best = -1;
    for (int i = 1; i <= c.n; i++) {
      if (c.isBoundary(i) && c.errors[i] <= targetRisk * i + 1e-12 * i) {
        best = i;
      }
    }
    if (best < 0) {
      SelectivePolicy lowest = c.lowestRisk();
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "target risk %s is not reachable on the %d dev rows: the lowest reachable risk is"
                  + " %.6f, at coverage %.6f (threshold %s); raise the target risk or give a"
                  + " better calibrated dev set",
              targetRisk,
              c.n,
              lowest.devRisk(),
              lowest.devCoverage(),
              lowest.threshold()));
    }
    return c.policyAt(best);
  }

  /**
   * The highest threshold whose dev coverage is at least {@code targetCoverage}.
   *
   * @throws IllegalArgumentException unless {@code targetCoverage} is in [0, 1]
   */
  public static SelectivePolicy forTargetCoverage(LabelledSet dev, double targetCoverage) {
    java.util.Objects.requireNonNull(dev, "dev");
    checkFraction(targetCoverage, "target coverage");
    Candidates c = new Candidates(dev);
    for (int i = 1; i <= c.n; i++) {
      if (c.isBoundary(i) && i >= targetCoverage * c.n - 1e-9) {
        return c.policyAt(i);
      }
    }
    return c.policyAt(c.n);
  }

  private static void checkFraction(double v, String what) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(what + " is " + v + "; expected a value in [0, 1]");
    }
  }

  /** Dev rows ranked by confidence, with cumulative error counts. */
  private static final class Candidates {
    final int n;
    final double[] sortedConfidence;
    final int[] errors; // errors[i]: errors among the i most confident

    Candidates(LabelledSet dev) {
      if (dev == null) {
        throw new IllegalArgumentException("dev set is null; expected a labelled set");
      }
      n = dev.size();
      double[] confidence = new double[n];
      for (int i = 0; i < n; i++) {
        confidence[i] = dev.distribution(i).confidence();
      }
      Integer[] order = RiskCoverage.rankByConfidence(confidence);
      sortedConfidence = new double[n];
      errors = new int[n + 1];
      for (int i = 0; i < n; i++) {
        int row = order[i];
        sortedConfidence[i] = confidence[row];
        errors[i + 1] = errors[i] + (dev.distribution(row).argmax() == dev.gold(row) ? 0 : 1);
      }
    }

    /** Accepting exactly the i most confident rows is possible with a threshold (no tie split). */
    boolean isBoundary(int i) {
      return i == n || sortedConfidence[i] < sortedConfidence[i - 1];
    }

    /** The policy of least dev risk; of largest coverage among equal risks. */
    SelectivePolicy lowestRisk() {
      int best = n;
      for (int i = 1; i <= n; i++) {
        // errors[i] / i <= errors[best] / best, in exact integer arithmetic
        if (isBoundary(i) && (long) errors[i] * best <= (long) errors[best] * i) {
          best = i;
        }
      }
      return policyAt(best);
    }

    SelectivePolicy policyAt(int i) {
      return new SelectivePolicy(sortedConfidence[i - 1], (double) i / n, (double) errors[i] / i);
    }
  }
}
