package io.calibra.selective;

import io.calibra.label.LabelledSet;
import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * A confidence threshold whose selective risk (the error rate among accepted rows) is at most a
 * target with probability at least {@code 1 - delta} over the draw of the dev set: the guaranteed
 * counterpart of {@link SelectivePolicy#forTargetRisk}, which only meets the target on the dev set.
 * Stateless and thread-safe.
 *
 * <p>Method (in the spirit of Geifman and El-Yaniv 2017 and of Angelopoulos et al. 2021, "Learn
 * then Test"): the candidate thresholds are fixed before the data are seen (by default {@code 0,
 * 0.01, ..., 1}). For a candidate {@code t}, the {@code m} dev rows with confidence {@code >= t}
 * and their {@code e} errors give the one-sided Clopper-Pearson upper confidence bound on the risk
 * at {@code t}, {@code U = BetaInv(1 - level; e + 1, m - e)} ({@code U = 1} when {@code e = m},
 * hence also when {@code m = 0}); given {@code m}, {@code e} is binomial with the risk at {@code
 * t}, so {@code P(risk(t) > U) <= level}. A candidate passes when {@code U <= target}, and the
 * lowest passing threshold (the largest coverage) is chosen; none passing abstains on everything
 * ({@code +Infinity}, risk 0). Multiple testing, so that the chosen threshold's risk exceeds the
 * target with probability at most {@code delta}:
 *
 * <ul>
 *   <li>{@link Correction#BONFERRONI} (default): every candidate is tested at {@code level = delta
 *       / (number of candidates)}; the union bound over the candidates that truly exceed the target
 *       gives the guarantee.
 *   <li>{@link Correction#FIXED_SEQUENCE}: candidates are tested at {@code level = delta} in order
 *       from the most confident (highest threshold) down, stopping at the first that fails; the
 *       chosen threshold is the last that passed (fixed-sequence testing, Bauer 1991). The first
 *       false pass can only happen once, so the family-wise error is at most {@code delta}. It is
 *       tighter than Bonferroni but stops at once if the highest candidates accept too few rows:
 *       use a candidate list that starts where enough rows are accepted.
 * </ul>
 */
public final class RiskControl {
  /** The multiple-testing correction over the candidate thresholds. */
  public enum Correction {
    /** Each candidate at {@code delta / candidates}. */
    BONFERRONI,
    /** Candidates in decreasing order at {@code delta} each, stopping at the first failure. */
    FIXED_SEQUENCE
  }

  /**
   * The chosen threshold and its certificate.
   *
   * @param policy the threshold, with its dev coverage and dev risk
   * @param riskUpperBound the Clopper-Pearson upper bound on the risk at the threshold, at the
   *     corrected level (0 when abstaining on everything)
   * @param targetRisk the target
   * @param delta the allowed probability of exceeding the target
   * @param correction the multiple-testing correction
   * @param candidates the number of candidate thresholds
   */
  public record Result(
      SelectivePolicy policy,
      double riskUpperBound,
      double targetRisk,
      double delta,
      Correction correction,
      int candidates) {}

  private RiskControl() {}

  /** The default candidates: {@code 0, 0.01, ..., 1}. */
  public static double[] defaultCandidates() {
    double[] out = new double[101];
    for (int i = 0; i <= 100; i++) {
      out[i] = i / 100.0;
    }
    return out;
  }

  /**
   * The lowest of the default candidate thresholds whose risk is at most {@code targetRisk} with
   * probability {@code 1 - delta}, with the Bonferroni correction.
   *
   * @throws IllegalArgumentException unless {@code targetRisk} is in [0, 1] and {@code delta} in
   *     (0, 1)
   */
  public static Result forTargetRisk(LabelledSet dev, double targetRisk, double delta) {
    return forTargetRisk(dev, targetRisk, delta, Correction.BONFERRONI, defaultCandidates());
  }

  /**
   * The lowest of {@code candidates} whose risk is at most {@code targetRisk} with probability
   * {@code 1 - delta}, with the given correction.
   *
   * @param candidates candidate thresholds, fixed before seeing {@code dev}: finite, at least 0,
   *     distinct (any order)
   * @throws IllegalArgumentException unless {@code targetRisk} is in [0, 1], {@code delta} in (0,
   *     1) and the candidates are non-empty, finite, non-negative and distinct
   */
  public static Result forTargetRisk(
      LabelledSet dev,
      double targetRisk,
      double delta,
      Correction correction,
      double[] candidates) {
    if (dev == null) {
      throw new IllegalArgumentException("dev set is null; expected a labelled set");
    }
    if (!(targetRisk >= 0 && targetRisk <= 1)) {
      throw new IllegalArgumentException(
          "target risk is " + targetRisk + "; expected a value in [0, 1]");
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta is " + delta + "; expected a value in (0, 1)");
    }
    Objects.requireNonNull(correction, "correction");
    double[] sorted = candidates.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      throw new IllegalArgumentException("expected at least one candidate threshold");
    }
    for (int i = 0; i < sorted.length; i++) {
      if (!(sorted[i] >= 0 && sorted[i] < Double.POSITIVE_INFINITY)
          || (i > 0 && sorted[i] == sorted[i - 1])) {
        throw new IllegalArgumentException(
            "candidate threshold "
                + sorted[i]
                + " is NaN, negative, infinite or repeated; expected distinct finite values >= 0");
      }
    }
    int n = dev.size();
    double[] confidence = new double[n];
    boolean[] wrong = new boolean[n];
    for (int i = 0; i < n; i++) {
      confidence[i] = dev.distribution(i).confidence();
      wrong[i] = dev.distribution(i).argmax() != dev.gold(i);
    }
    double level = correction == Correction.BONFERRONI ? delta / sorted.length : delta;
    SelectivePolicy best = null;
    double bestBound = 0;
    // highest threshold first: the order of fixed-sequence testing
    for (int c = sorted.length - 1; c >= 0; c--) {
      double t = sorted[c];
      int m = 0;
      int e = 0;
      for (int i = 0; i < n; i++) {
        if (confidence[i] >= t) {
          m++;
          e += wrong[i] ? 1 : 0;
        }
      }
      double bound = clopperPearsonUpper(e, m, level);
      if (bound <= targetRisk) {
        best = new SelectivePolicy(t, m / (double) n, (double) e / m);
        bestBound = bound;
      } else if (correction == Correction.FIXED_SEQUENCE) {
        break;
      }
    }
    if (best == null) {
      return new Result(
          new SelectivePolicy(Double.POSITIVE_INFINITY, 0, 0),
          0,
          targetRisk,
          delta,
          correction,
          sorted.length);
    }
    return new Result(best, bestBound, targetRisk, delta, correction, sorted.length);
  }

  /**
   * The one-sided Clopper-Pearson upper confidence bound on a binomial proportion from {@code
   * errors} successes in {@code trials} trials: {@code P(p > bound) <= level}. It is the {@code 1 -
   * level} quantile of Beta({@code errors + 1}, {@code trials - errors}), and 1 when {@code errors
   * = trials} (including no trials).
   *
   * @throws IllegalArgumentException unless {@code 0 <= errors <= trials} and {@code level} is in
   *     (0, 1)
   */
  public static double clopperPearsonUpper(int errors, int trials, double level) {
    if (errors < 0 || errors > trials) {
      throw new IllegalArgumentException(
          errors + " errors in " + trials + " trials; expected 0 <= errors <= trials");
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level is " + level + "; expected a value in (0, 1)");
    }
    if (errors == trials) {
      return 1.0;
    }
    return new BetaDistribution(null, errors + 1.0, (double) (trials - errors), 1e-15)
        .inverseCumulativeProbability(1 - level);
  }
}
