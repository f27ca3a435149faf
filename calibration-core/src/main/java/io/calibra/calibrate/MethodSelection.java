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
import java.util.function.Function;

/**
 * Picks a calibration method for the user's data: k-fold cross-validation of candidate calibrators
 * on a labelled dev set, each fitted on k-1 folds and applied to the held-out fold; the out-of-fold
 * predictions of all folds are pooled and the candidates ranked by NLL, then ECE. Deterministic for
 * a seed; stateless and thread-safe.
 *
 * <p><b>NLL.</b> Every NLL here is {@link Metrics}'s: the mean of {@code -log p_gold} with {@code
 * p_gold} clipped to {@code [1e-15, 1]}, as scikit-learn 1.2's {@code log_loss} with its default
 * {@code eps=1e-15} (which also renormalises the clipped row; calibra clips the gold probability
 * only). Isotonic regression and binning can give the gold label probability 0 on a held-out row;
 * its loss is then {@code -log 1e-15 = 34.5}, large but finite, so such a method ranks low instead
 * of making every comparison infinite.
 *
 * <p><b>No calibration as the floor.</b> No calibration ({@code none}, the identity) is always
 * evaluated: it is added to the candidates when none of them is named {@code none}. For each
 * candidate the per-row NLL differences against no calibration give a standard error ({@code sd /
 * sqrt(n)} of the paired differences); a candidate whose mean NLL exceeds no calibration's by more
 * than that is flagged {@link Result#worseThanNone()} and ranked after every other candidate that
 * succeeded, so {@link Report#best()} is never a method worse than no calibration beyond one
 * standard error (ranking by NLL already puts {@code none} above it; the flag makes the rule hold
 * whatever the ranking, and shows it in the table).
 *
 * <p><b>Failures.</b> A candidate a fold of which cannot be fitted (too few rows, a single gold
 * class in the training folds, separable rows for Platt or beta, ...) is reported as {@link
 * Result#failed} with the fold and the reason, and ranked last.
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
     * needs content-free rows}, on nothing for {@link CalibrationMethod#IDENTITY}, and on the
     * training folds' rows without their labels for {@link CalibrationMethod#PROTOTYPICAL} (seed
     * {@link PrototypicalCalibration#DEFAULT_SEED}).
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
        case UNLABELLED_ROWS, STAGES, DEMONSTRATIONS, SAMPLED_INPUTS -> {
          if (method == CalibrationMethod.PROTOTYPICAL) {
            // a density model of the rows: fitted on the training folds (labels unused), it
            // applies to held-out rows like any other calibrator
            yield new Candidate(
                method.methodName(),
                data ->
                    PrototypicalCalibration.fit(
                        data.distributions(), PrototypicalCalibration.DEFAULT_SEED));
          }
          throw new IllegalArgumentException(
              method
                  + " cannot be cross-validated: it is fitted on "
                  + switch (method.fitsOn()) {
                    case STAGES -> "other calibrators";
                    case DEMONSTRATIONS -> "the prompt's demonstrations";
                    case SAMPLED_INPUTS -> "inputs sampled from the model";
                    default -> "the rows it calibrates";
                  });
        }
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
    private final double nllDifference;
    private final double nllDifferenceError;

    private Result(
        String name,
        CalibrationMetrics metrics,
        String failure,
        double nllDifference,
        double nllDifferenceError) {
      this.name = java.util.Objects.requireNonNull(name, "name");
      this.metrics = metrics;
      this.failure = failure;
      this.nllDifference = nllDifference;
      this.nllDifferenceError = nllDifferenceError;
    }

    /**
     * The result of a candidate whose every fold was fitted, with no comparison to no calibration
     * (as if it were exactly as good).
     */
    public static Result succeeded(String name, CalibrationMetrics metrics) {
      return succeeded(name, metrics, 0, 0);
    }

    /**
     * The result of a candidate whose every fold was fitted.
     *
     * @param nllDifference its mean NLL minus no calibration's, per row
     * @param nllDifferenceError the standard error of that mean difference
     * @throws IllegalArgumentException if either is NaN, or the error is negative
     */
    public static Result succeeded(
        String name, CalibrationMetrics metrics, double nllDifference, double nllDifferenceError) {
      Checks.argument(
          !Double.isNaN(nllDifference) && nllDifferenceError >= 0,
          "NLL difference %s and its standard error %s; expected numbers, the error >= 0",
          nllDifference,
          nllDifferenceError);
      return new Result(
          name,
          java.util.Objects.requireNonNull(metrics, "metrics"),
          null,
          nllDifference,
          nllDifferenceError);
    }

    /** The result of a candidate a fold of which could not be fitted. */
    public static Result failed(String name, String failure) {
      return new Result(
          name, null, java.util.Objects.requireNonNull(failure, "failure"), Double.NaN, Double.NaN);
    }

    /**
     * Its mean per-row NLL minus no calibration's on the same rows (negative: better); NaN if it
     * failed.
     */
    public double nllDifference() {
      return nllDifference;
    }

    /** The standard error of {@link #nllDifference()}; NaN if it failed. */
    public double nllDifferenceError() {
      return nllDifferenceError;
    }

    /**
     * Whether it succeeded but its NLL is worse than no calibration's by more than one standard
     * error: such a candidate is never {@link Report#best()}.
     */
    public boolean worseThanNone() {
      return failure == null && nllDifference > nllDifferenceError;
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
          && java.util.Objects.equals(failure, r.failure)
          && Double.compare(nllDifference, r.nllDifference) == 0
          && Double.compare(nllDifferenceError, r.nllDifferenceError) == 0;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(name, metrics, failure, nllDifference, nllDifferenceError);
    }

    @Override
    public String toString() {
      return "Result[name="
          + name
          + (succeeded()
              ? ", metrics="
                  + metrics
                  + ", nllDifference="
                  + nllDifference
                  + ", nllDifferenceError="
                  + nllDifferenceError
              : ", failure=" + failure)
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

    /**
     * The best candidate: the first of the ranking, which never failed nor is {@link
     * Result#worseThanNone()} when no calibration is among the results (as {@link #crossValidate}
     * ensures).
     */
    public Result best() {
      return ranked.get(0);
    }

    /** A plain-text table of the ranking. */
    public String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("%d-fold cross-validation on %d rows%n", folds, rows));
      sb.append(
          String.format(
              "%-28s %9s %9s %9s %9s %19s%n",
              "method", "NLL", "ECE", "Brier", "accuracy", "NLL - none (SE)"));
      for (Result r : ranked) {
        if (r.succeeded()) {
          CalibrationMetrics m = r.metrics;
          sb.append(
              String.format(
                  java.util.Locale.ROOT,
                  "%-28s %9.5f %9.5f %9.5f %9.5f %+9.5f (%.5f)%s%n",
                  r.name(),
                  m.nll(),
                  m.ece(),
                  m.brier(),
                  m.accuracy(),
                  r.nllDifference,
                  r.nllDifferenceError,
                  r.worseThanNone() ? "  worse than none by more than 1 SE: never picked" : ""));
        } else {
          sb.append(String.format("%-28s failed: %s%n", r.name(), r.failure));
        }
      }
      return sb.toString();
    }
  }

  /**
   * The usual candidates, from the registry {@link CalibrationMethod}: {@code none} (the identity),
   * every method fitted on labelled rows that {@linkplain CalibrationMethod#appliesTo applies} to
   * {@code labels} (temperature, vector and matrix scaling, Dirichlet calibration, isotonic,
   * histogram-binning, scaling-binning, and for two labels Platt and beta), prototypical
   * calibration (fitted on the training folds' rows), and, when {@code contentFree} is given (not
   * null or empty), contextual calibration and contextual then temperature.
   */
  public static List<Candidate> defaultCandidates(
      LabelSet labels, List<LabelDistribution> contentFree) {
    java.util.Objects.requireNonNull(labels, "labels");
    List<Candidate> out = new ArrayList<>();
    out.add(new Candidate("none", data -> Calibrator.identity(labels)));
    for (CalibrationMethod m : CalibrationMethod.values()) {
      if (m.needsLabels() && m.appliesTo(labels)) {
        out.add(Candidate.of(m, null));
      }
    }
    out.add(Candidate.of(CalibrationMethod.PROTOTYPICAL, null));
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
   * Cross-validates {@code candidates} on {@code dev}, with no calibration ({@code none}) added if
   * no candidate has that name.
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
    int[] foldOf = DirichletCalibration.foldAssignment(n, folds, seed);
    double[] baseline = rowNll(dev.distributions(), dev.goldArray());
    List<Candidate> all = new ArrayList<>(candidates);
    if (all.stream().noneMatch(c -> c.name().equals("none"))) {
      all.add(new Candidate("none", data -> Calibrator.identity(dev.labels())));
    }
    List<Result> results = new ArrayList<>();
    for (Candidate c : all) {
      results.add(evaluate(dev, c, folds, foldOf, baseline));
    }
    List<Result> ranked = new ArrayList<>(results);
    ranked.sort(
        Comparator.comparing((Result r) -> !r.succeeded())
            .thenComparing(Result::worseThanNone)
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

  /** Per-row {@code -log p_gold}, p_gold clipped to [1e-15, 1] as {@link Metrics#nll}. */
  static double[] rowNll(List<LabelDistribution> rows, int[] gold) {
    double[] out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = -Math.log(Math.min(1.0, Math.max(NLL_CLIP, rows.get(i).probability(gold[i]))));
    }
    return out;
  }

  /** The clip of the gold probability in every NLL, as {@link Metrics#nll}. */
  static final double NLL_CLIP = 1e-15;

  private static Result evaluate(
      LabelledSet dev, Candidate c, int folds, int[] foldOf, double[] baseline) {
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
      } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
        return Result.failed(c.name(), "fold " + (f + 1) + " of " + folds + ": " + e.getMessage());
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
    return Result.succeeded(
        c.name(), Metrics.evaluate(LabelledSet.of(pooled, dev.goldArray())), mean, error);
  }
}
