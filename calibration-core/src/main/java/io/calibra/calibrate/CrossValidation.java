package io.calibra.calibrate;

import io.calibra.internal.Checks;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The k-fold cross-validation behind {@link MethodSelection}: folds from {@link
 * DirichletCalibration#foldAssignment}, each candidate fitted on k-1 folds and applied to the
 * held-out one, the pooled out-of-fold metrics and paired NLL differences against no calibration,
 * and the rules that skip a candidate or keep it from being picked. Stateless.
 */
final class CrossValidation {
  private CrossValidation() {}

  static MethodSelection.Report run(
      LabelledSet dev,
      List<MethodSelection.Candidate> candidates,
      int folds,
      long seed,
      MethodSelection.Progress progress) {
    Checks.notNull(progress, "progress");
    Checks.notNull(dev, "dev");
    Checks.notNull(candidates, "candidates");
    Checks.argument(!candidates.isEmpty(), "expected at least one candidate; found none");
    Checks.argument(folds >= 2, "folds is %s; expected at least 2", folds);
    int n = dev.size();
    Checks.argument(
        n >= folds,
        "cross-validation with %s folds needs at least %s rows; found %s",
        folds,
        folds,
        n);
    int[] foldOf = DirichletCalibration.foldAssignment(n, folds, seed);
    double[] baseline = rowNll(dev.distributions(), dev.goldArray());
    List<MethodSelection.Candidate> all = new ArrayList<>(candidates);
    if (all.stream().noneMatch(c -> c.name().equals("none"))) {
      all.add(new MethodSelection.Candidate("none", data -> Calibrator.identity(dev.labels())));
    }
    int smallest = smallestLabelCount(dev);
    boolean few = smallest < MethodSelection.FEW_ROWS_PER_LABEL;
    long trainingRows = n - (n + folds - 1) / folds;
    long noneNearZero = Metrics.nearZeroGold(dev);
    List<MethodSelection.Result> results = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      MethodSelection.Candidate c = all.get(i);
      progress.candidate(c.name(), i + 1, all.size());
      String skip = skipReason(c.name(), dev.labels().size(), trainingRows);
      MethodSelection.Result r =
          skip != null
              ? MethodSelection.Result.skipped(c.name(), skip)
              : evaluate(dev, c, folds, foldOf, baseline, progress);
      results.add(exclude(r, noneNearZero, few));
    }
    List<MethodSelection.Result> ranked = new ArrayList<>(results);
    ranked.sort(
        Comparator.comparing((MethodSelection.Result r) -> !r.succeeded())
            .thenComparing(r -> !r.eligible())
            .thenComparingDouble(r -> r.succeeded() ? r.metrics().orElseThrow().nll() : 0)
            .thenComparingDouble(r -> r.succeeded() ? r.metrics().orElseThrow().ece() : 0));
    String note =
        few
            ? String.format(
                java.util.Locale.ROOT,
                "few rows: the rarest label has %d dev rows (fewer than %d), too few for"
                    + " cross-validation to show overconfidence; a candidate is picked over none"
                    + " only if its NLL is below none's by at least two standard errors, and"
                    + " never one that can output probabilities of exactly 0 or 1",
                smallest,
                MethodSelection.FEW_ROWS_PER_LABEL)
            : "";
    return new MethodSelection.Report(ranked, folds, n, note);
  }

  /** The fewest dev rows of any label (0 if a label is never gold). */
  private static int smallestLabelCount(LabelledSet dev) {
    int[] counts = new int[dev.labels().size()];
    for (int g : dev.goldArray()) {
      counts[g]++;
    }
    return Arrays.stream(counts).min().orElse(0);
  }

  /**
   * Why a candidate is not fitted: a registered method with more parameters than the training folds
   * have rows; null otherwise (unregistered names are always fitted).
   */
  private static String skipReason(String name, int k, long trainingRows) {
    java.util.Optional<CalibrationMethod> m = CalibrationMethod.find(name);
    if (m.isEmpty() || m.get().parameterCount(k).isEmpty()) {
      return null;
    }
    long parameters = m.get().parameterCount(k).getAsLong();
    if (parameters <= trainingRows) {
      return null;
    }
    return String.format(
        java.util.Locale.ROOT,
        "%d parameters for %d labels, more than the %d rows of the training folds",
        parameters,
        k,
        trainingRows);
  }

  /** {@code r} with the reason it is never picked, if any (none itself never is excluded). */
  static MethodSelection.Result exclude(MethodSelection.Result r, long noneNearZero, boolean few) {
    if (!r.succeeded() || r.name().equals("none") || r.worseThanNone()) {
      return r;
    }
    if (r.nearZeroGold() > noneNearZero) {
      return r.excluded(
          String.format(
              java.util.Locale.ROOT,
              "%d held-out gold labels got p < %s (none: %d)",
              r.nearZeroGold(),
              Metrics.NEAR_ZERO,
              noneNearZero));
    }
    if (few) {
      boolean certain =
          CalibrationMethod.find(r.name()).map(CalibrationMethod::canOutputCertainty).orElse(false);
      if (certain) {
        return r.excluded("few rows, and it can output probability 0 or 1");
      }
      if (!(r.nllDifference() + 2 * r.nllDifferenceError() < 0)) {
        return r.excluded("few rows, and not better than none by 2 SE");
      }
    }
    return r;
  }

  /** Per-row {@code -log p_gold}, p_gold clipped to [1e-15, 1] as {@link Metrics#nll}. */
  static double[] rowNll(List<LabelDistribution> rows, int[] gold) {
    double[] out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = -Math.log(Math.min(1.0, Math.max(NLL_CLIP, rows.get(i).probability(gold[i]))));
    }
    return out;
  }

  /** The clip of the gold probability in every NLL, as {@link Metrics#nll}. */
  static final double NLL_CLIP = Metrics.NLL_CLIP;

  private static MethodSelection.Result evaluate(
      LabelledSet dev,
      MethodSelection.Candidate c,
      int folds,
      int[] foldOf,
      double[] baseline,
      MethodSelection.Progress progress) {
    int n = dev.size();
    LabelDistribution[] outOfFold = new LabelDistribution[n];
    for (int f = 0; f < folds; f++) {
      progress.fold(c.name(), f + 1, folds);
      List<LabelDistribution> train = new ArrayList<>();
      List<Integer> trainGold = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (foldOf[i] != f) {
          train.add(dev.distribution(i));
          trainGold.add(dev.gold(i));
        }
      }
      Calibrator calibrator;
      try {
        calibrator =
            c.fit()
                .apply(
                    LabelledSet.of(
                        train, trainGold.stream().mapToInt(Integer::intValue).toArray()));
      } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
        return MethodSelection.Result.failed(
            c.name(), "fold " + (f + 1) + " of " + folds + ": " + e.getMessage());
      }
      for (int i = 0; i < n; i++) {
        if (foldOf[i] == f) {
          outOfFold[i] = calibrator.apply(dev.distribution(i));
        }
      }
    }
    List<LabelDistribution> pooled = Arrays.asList(outOfFold);
    double[] nll = rowNll(pooled, dev.goldArray());
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += nll[i] - baseline[i];
    }
    mean /= n;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      double d = nll[i] - baseline[i] - mean;
      squares += d * d;
    }
    double error = n > 1 ? Math.sqrt(squares / (n - 1) / n) : 0;
    LabelledSet heldOut = LabelledSet.of(pooled, dev.goldArray());
    return MethodSelection.Result.succeeded(c.name(), Metrics.evaluate(heldOut), mean, error)
        .withNearZeroGold(Metrics.nearZeroGold(heldOut));
  }

  /** {@link MethodSelection#select(LabelledSet, List, int, long, MethodSelection.Progress)}. */
  static MethodSelection.Selection select(
      LabelledSet dev,
      List<MethodSelection.Candidate> candidates,
      int folds,
      long seed,
      MethodSelection.Progress progress) {
    MethodSelection.Report report = run(dev, candidates, folds, seed, progress);
    for (MethodSelection.Result r : report.ranked()) {
      if (!r.eligible()) {
        break;
      }
      if (r.name().equals("none")) {
        break;
      }
      MethodSelection.Candidate c =
          candidates.stream().filter(x -> x.name().equals(r.name())).findFirst().orElseThrow();
      try {
        return new MethodSelection.Selection(report, r.name(), c.fit().apply(dev));
      } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
        // the next eligible candidate
      }
    }
    Calibrator none =
        candidates.stream()
            .filter(c -> c.name().equals("none"))
            .findFirst()
            .map(c -> c.fit().apply(dev))
            .orElseGet(() -> Calibrator.identity(dev.labels()));
    return new MethodSelection.Selection(report, "none", none);
  }
}
