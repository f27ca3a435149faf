package io.calibra.calibrate;

import io.calibra.internal.Checks;
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
  public record Candidate(String name, Function<LabelledSet, Calibrator> fit) {
    /** Requires both. */
    public Candidate {
      java.util.Objects.requireNonNull(name, "name");
      java.util.Objects.requireNonNull(fit, "fit");
    }

    /**
     * The candidate for a registered method, named by its {@link CalibrationMethod#methodName()}:
     * fitted on the training folds when it {@linkplain CalibrationMethod#needsLabels() needs
     * labels}, on {@code contentFree} when it {@linkplain CalibrationMethod#needsContentFree()
     * needs content-free rows}, on nothing for {@link CalibrationMethod#IDENTITY}.
     *
     * @throws IllegalArgumentException if the method needs content-free rows and none are given, or
     *     it is fitted on the rows to calibrate ({@link CalibrationMethod#BATCH}), on the prompt's
     *     demonstrations ({@link CalibrationMethod#LEAVE_ONE_OUT}), on sampled inputs ({@link
     *     CalibrationMethod#GENERATIVE}) or on stages
     */
    public static Candidate of(CalibrationMethod method, List<LabelDistribution> contentFree) {
      java.util.Objects.requireNonNull(method, "method");
      return switch (method.fitsOn()) {
        case NOTHING, LABELLED_ROWS -> new Candidate(method.methodName(), method::fit);
        case CONTENT_FREE_ROWS -> {
          if (contentFree == null || contentFree.isEmpty()) {
            throw new IllegalArgumentException(method + " needs content-free rows; found none");
          }
          Calibrator fitted = method.fit(contentFree.get(0).labels(), contentFree);
          yield new Candidate(method.methodName(), data -> fitted);
        }
        case UNLABELLED_ROWS, STAGES, DEMONSTRATIONS, SAMPLED_INPUTS ->
            throw new IllegalArgumentException(
                method
                    + " cannot be cross-validated: it is fitted on "
                    + switch (method.fitsOn()) {
                      case STAGES -> "other calibrators";
                      case DEMONSTRATIONS -> "the prompt's demonstrations";
                      case SAMPLED_INPUTS -> "inputs sampled from the model";
                      default -> "the rows it calibrates";
                    });
      };
    }
  }

  /**
   * A candidate's cross-validated result: its metrics when every fold could be fitted, else why one
   * could not. Immutable value.
   */
  public static final class Result {
    private final String name;
    private final CalibrationMetrics metrics;
    private final String failure;

    private Result(String name, CalibrationMetrics metrics, String failure) {
      this.name = java.util.Objects.requireNonNull(name, "name");
      this.metrics = metrics;
      this.failure = failure;
    }

    /** The result of a candidate whose every fold was fitted. */
    public static Result succeeded(String name, CalibrationMetrics metrics) {
      return new Result(name, java.util.Objects.requireNonNull(metrics, "metrics"), null);
    }

    /** The result of a candidate a fold of which could not be fitted. */
    public static Result failed(String name, String failure) {
      return new Result(name, null, java.util.Objects.requireNonNull(failure, "failure"));
    }

    /** The candidate's name. */
    public String name() {
      return name;
    }

    /** The metrics of the pooled out-of-fold predictions; empty if a fold failed. */
    public java.util.Optional<CalibrationMetrics> metrics() {
      return java.util.Optional.ofNullable(metrics);
    }

    /** Why a fold could not be fitted; empty if every fold was. */
    public java.util.Optional<String> failure() {
      return java.util.Optional.ofNullable(failure);
    }

    /** Whether every fold could be fitted. */
    public boolean succeeded() {
      return failure == null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Result r
          && name.equals(r.name)
          && java.util.Objects.equals(metrics, r.metrics)
          && java.util.Objects.equals(failure, r.failure);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(name, metrics, failure);
    }

    @Override
    public String toString() {
      return "Result[name="
          + name
          + (succeeded() ? ", metrics=" + metrics : ", failure=" + failure)
          + "]";
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
          CalibrationMetrics m = r.metrics;
          sb.append(
              String.format(
                  "%-28s %9.5f %9.5f %9.5f %9.5f%n",
                  r.name(), m.nll(), m.ece(), m.brier(), m.accuracy()));
        } else {
          sb.append(String.format("%-28s failed: %s%n", r.name(), r.failure));
        }
      }
      return sb.toString();
    }
  }

  /**
   * The usual candidates, from the registry {@link CalibrationMethod}: {@code none} (the identity),
   * every method fitted on labelled rows (temperature, vector and matrix scaling), and, when {@code
   * contentFree} is given (not null or empty), contextual calibration and contextual then
   * temperature.
   */
  public static List<Candidate> defaultCandidates(
      LabelSet labels, List<LabelDistribution> contentFree) {
    java.util.Objects.requireNonNull(labels, "labels");
    List<Candidate> out = new ArrayList<>();
    out.add(new Candidate("none", data -> Calibrator.identity(labels)));
    for (CalibrationMethod m : CalibrationMethod.values()) {
      if (m.needsLabels()) {
        out.add(Candidate.of(m, null));
      }
    }
    if (contentFree != null && !contentFree.isEmpty()) {
      Calibrator contextual =
          CalibrationMethod.CONTEXTUAL.fit(contentFree.get(0).labels(), contentFree);
      out.add(new Candidate(CalibrationMethod.CONTEXTUAL.methodName(), data -> contextual));
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
   * The usual candidates for content-free <em>scores</em>: as {@link #defaultCandidates}, and for
   * log-probabilities (a language model's label-word scores, {@link
   * io.calibra.backend.ScoreKind#LOG_PROBABILITY}) contextual calibration by both p_cf rules,
   * {@code contextual/raw-mass} and {@code contextual/normalised}, each also followed by
   * temperature ({@code contextual/raw-mass+temperature}, {@code
   * contextual/normalised+temperature}), so that cross-validation picks the rule as well. For
   * logits and probabilities (which have no raw mass) the contextual candidates are those of {@link
   * #defaultCandidates}, named {@code contextual} and {@code contextual+temperature}. An empty list
   * gives no contextual candidates.
   *
   * @throws IllegalArgumentException if the scores mix label sets or kinds, or the labels differ
   *     from {@code labels}, or a rule's estimate has a zero entry (naming the label)
   */
  public static List<Candidate> defaultCandidatesFromScores(
      LabelSet labels, List<io.calibra.backend.LabelScores> contentFree) {
    java.util.Objects.requireNonNull(labels, "labels");
    java.util.Objects.requireNonNull(contentFree, "contentFree");
    if (contentFree.isEmpty()) {
      return defaultCandidates(labels, null);
    }
    List<LabelDistribution> distributions = new ArrayList<>(contentFree.size());
    for (io.calibra.backend.LabelScores s : contentFree) {
      Checks.notNull(s, "content-free score");
      labels.requireSame(s.labels(), "content-free score");
      distributions.add(s.toDistribution());
    }
    if (contentFree.get(0).kind() != io.calibra.backend.ScoreKind.LOG_PROBABILITY) {
      return defaultCandidates(labels, distributions);
    }
    List<Candidate> out = defaultCandidates(labels, null);
    for (ContextualCalibration.Rule rule : ContextualCalibration.Rule.values()) {
      Calibrator contextual =
          ContextualCalibration.fit(contentFree, ContextualCalibration.Form.DIAGONAL, rule);
      String name = CalibrationMethod.CONTEXTUAL.methodName() + "/" + rule.id();
      out.add(new Candidate(name, data -> contextual));
      out.add(
          new Candidate(
              name + "+temperature",
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
            .thenComparingDouble(r -> r.succeeded() ? r.metrics.nll() : 0)
            .thenComparingDouble(r -> r.succeeded() ? r.metrics.ece() : 0));
    return new Report(ranked, folds, n);
  }

  /**
   * Cross-validates {@code candidates} on {@code dev} with gold labels given by name.
   *
   * @throws IllegalArgumentException as {@link #crossValidate(LabelledSet, List, int, long)}, and
   *     naming a gold name that is not a label (listing the labels)
   */
  public static Report crossValidate(
      List<LabelDistribution> dev,
      List<String> gold,
      List<Candidate> candidates,
      int folds,
      long seed) {
    Checks.notNull(candidates, "candidates");
    return crossValidate(LabelledSet.of(dev, gold), candidates, folds, seed);
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
        return Result.failed(c.name(), "fold " + (f + 1) + " of " + folds + ": " + e.getMessage());
      }
      for (int i = 0; i < n; i++) {
        if (foldOf[i] == f) {
          outOfFold[i] = calibrator.apply(dev.distribution(i));
        }
      }
    }
    return Result.succeeded(
        c.name(), Metrics.evaluate(LabelledSet.of(Arrays.asList(outOfFold), dev.goldArray())));
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
