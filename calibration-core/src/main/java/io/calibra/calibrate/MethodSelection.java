package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Picks a calibration method for the user's data: k-fold cross-validation of candidate calibrators
 * on a labelled dev set, each fitted on k-1 folds and applied to the held-out fold; the out-of-fold
 * predictions of all folds are pooled and the candidates ranked by NLL, then ECE. Deterministic for
 * a seed; stateless and thread-safe.
 */
public final class MethodSelection {
  private MethodSelection() {}

  /**
   * A named way to fit a calibrator on a labelled set.
   *
   * @param name the method's name in reports
   * @param fit fits the calibrator on the training folds
   */
  public record Candidate(String name, Function<LabelledSet, Calibrator> fit) {}

  /**
   * A candidate's cross-validated result.
   *
   * @param name the candidate
   * @param metrics metrics of the pooled out-of-fold predictions, or null if a fold failed
   * @param failure why a fold could not be fitted, or null
   */
  public record Result(String name, CalibrationMetrics metrics, String failure) {
    /** Whether every fold could be fitted. */
    public boolean succeeded() {
      return failure == null;
    }
  }

  /**
   * Candidates ranked best first (failed ones last, in the order given).
   *
   * @param ranked the results
   * @param folds the number of folds
   * @param rows the dev rows
   */
  public record Report(List<Result> ranked, int folds, int rows) {
    /** Copies the list. */
    public Report {
      ranked = List.copyOf(ranked);
    }

    /** The best candidate. */
    public Result best() {
      return ranked.get(0);
    }

    /** A plain-text table of the ranking. */
    public String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("%d-fold cross-validation on %d rows%n", folds, rows));
      sb.append(
          String.format("%-28s %9s %9s %9s %9s%n", "method", "NLL", "ECE", "Brier", "accuracy"));
      for (Result r : ranked) {
        if (r.succeeded()) {
          CalibrationMetrics m = r.metrics();
          sb.append(
              String.format(
                  "%-28s %9.5f %9.5f %9.5f %9.5f%n",
                  r.name(), m.nll(), m.ece(), m.brier(), m.accuracy()));
        } else {
          sb.append(String.format("%-28s failed: %s%n", r.name(), r.failure()));
        }
      }
      return sb.toString();
    }
  }

  /**
   * The usual candidates: no calibration, temperature, vector and matrix scaling, and, when {@code
   * contentFree} is given (not null or empty), contextual calibration and contextual then
   * temperature.
   */
  public static List<Candidate> defaultCandidates(
      LabelSet labels, List<LabelDistribution> contentFree) {
    List<Candidate> out = new ArrayList<>();
    out.add(new Candidate("none", data -> TemperatureScaling.of(labels, 1.0)));
    out.add(new Candidate("temperature", TemperatureScaling::fit));
    out.add(new Candidate("vector", VectorScaling::fit));
    out.add(new Candidate("matrix", MatrixScaling::fit));
    if (contentFree != null && !contentFree.isEmpty()) {
      Calibrator contextual = ContextualCalibration.fit(contentFree);
      out.add(new Candidate("contextual", data -> contextual));
      out.add(
          new Candidate(
              "contextual+temperature",
              data ->
                  contextual.andThen(
                      TemperatureScaling.fit(
                          LabelledSet.of(
                              contextual.applyAll(data.distributions()), data.goldArray())))));
    }
    return out;
  }

  /**
   * Cross-validates {@code candidates} on {@code dev}.
   *
   * @throws IllegalArgumentException if there are no candidates, {@code folds < 2}, or fewer rows
   *     than folds
   */
  public static Report crossValidate(
      LabelledSet dev, List<Candidate> candidates, int folds, long seed) {
    if (candidates == null || candidates.isEmpty()) {
      throw new IllegalArgumentException("expected at least one candidate; found none");
    }
    if (folds < 2) {
      throw new IllegalArgumentException("folds is " + folds + "; expected at least 2");
    }
    int n = dev.size();
    if (n < folds) {
      throw new IllegalArgumentException(
          "cross-validation with "
              + folds
              + " folds needs at least "
              + folds
              + " rows; found "
              + n);
    }
    int[] order = shuffled(n, seed);
    int[] foldOf = new int[n];
    for (int i = 0; i < n; i++) {
      foldOf[order[i]] = i % folds;
    }
    List<Result> results = new ArrayList<>();
    for (Candidate c : candidates) {
      results.add(evaluate(dev, c, folds, foldOf));
    }
    List<Result> ranked = new ArrayList<>(results);
    ranked.sort(
        Comparator.comparing((Result r) -> !r.succeeded())
            .thenComparingDouble(r -> r.succeeded() ? r.metrics().nll() : 0)
            .thenComparingDouble(r -> r.succeeded() ? r.metrics().ece() : 0));
    return new Report(ranked, folds, n);
  }

  private static Result evaluate(LabelledSet dev, Candidate c, int folds, int[] foldOf) {
    int n = dev.size();
    LabelDistribution[] outOfFold = new LabelDistribution[n];
    for (int f = 0; f < folds; f++) {
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
      } catch (IllegalArgumentException e) {
        return new Result(
            c.name(), null, "fold " + (f + 1) + " of " + folds + ": " + e.getMessage());
      }
      for (int i = 0; i < n; i++) {
        if (foldOf[i] == f) {
          outOfFold[i] = calibrator.apply(dev.distribution(i));
        }
      }
    }
    return new Result(
        c.name(),
        Metrics.evaluate(LabelledSet.of(Arrays.asList(outOfFold), dev.goldArray())),
        null);
  }

  private static int[] shuffled(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
