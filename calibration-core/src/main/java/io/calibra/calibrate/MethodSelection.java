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
 * class in the training folds, rows on which its maximum-likelihood fit does not exist or ends at a
 * bound, a {@link NoFitException}, ...) is reported as {@link Result#failed} with the fold and the
 * reason, ranked last and never picked: on separable dev rows every fold is separable too, so the
 * refusal, not the out-of-fold NLL, is what shows the harm.
 *
 * <p><b>Skipped candidates.</b> A registered method (named by its {@link
 * CalibrationMethod#methodName()}) with more free parameters ({@link
 * CalibrationMethod#parameterCount}) than the training folds have rows is not fitted: it would
 * overfit, and matrix or Dirichlet scaling with K^2 + K parameters, or prototypical calibration's K
 * covariance matrices, cost minutes on many labels. It is reported as {@link Result#skipped}.
 *
 * <p><b>Near-zero probabilities.</b> Each result counts its held-out rows whose gold label got a
 * probability below {@link Metrics#NEAR_ZERO} ({@link Result#nearZeroGold()}); a candidate with
 * more such rows than no calibration is never picked: it claims certainties the dev rows contradict
 * (isotonic regression and binning output exactly 0, prototypical calibration's posteriors
 * underflow).
 *
 * <p><b>Few rows.</b> With fewer than {@value #FEW_ROWS_PER_LABEL} dev rows of some label, the
 * cross-validated differences are too noisy to trust and the folds too small to show
 * overconfidence: the report carries a {@link Report#note()}, and a candidate is then picked over
 * no calibration only if it is clearly better, its mean paired NLL difference to none below zero by
 * at least two standard errors, and only if it cannot output probabilities of exactly 0 or 1
 * ({@link CalibrationMethod#canOutputCertainty()}: one misjudged test row then costs 34.5 nats).
 *
 * <pre>{@code
 * LabelledSet dev = LabelledSet.of(rawDevDistributions, devGold); // raw, never calibrated rows
 * MethodSelection.Selection auto =
 *     MethodSelection.select(dev, MethodSelection.defaultCandidates(labels, contentFree), 5, 0L);
 * System.out.print(auto.report().table()); // every candidate, its NLL, ECE and why one failed
 * Calibrator chosen = auto.calibrator(); // fitted on all dev rows; "none" when nothing is better
 * }</pre>
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
     * The candidate for a registered method, named by its {@link CalibrationMethod#methodName()},
     * fitted as its {@link CalibrationMethod#fitting()} says: on the training folds when it is
     * fitted on labelled rows; on the training folds' rows without their labels when it is fitted
     * on unlabelled rows (prototypical calibration with seed {@link
     * PrototypicalCalibration#DEFAULT_SEED}; batch calibration, whose bias from the training folds
     * then stands for the bias of the rows it calibrates); once on {@code contentFree} when it is
     * fitted on content-free rows; on nothing for the identity.
     *
     * @throws IllegalArgumentException if the method needs content-free rows and none are given, or
     *     it is fitted on data dev rows cannot stand for: the prompt's demonstrations ({@link
     *     CalibrationMethod#LEAVE_ONE_OUT}), inputs sampled from the model ({@link
     *     CalibrationMethod#GENERATIVE}) or other calibrators
     */
    public static Candidate of(CalibrationMethod method, List<LabelDistribution> contentFree) {
      java.util.Objects.requireNonNull(method, "method");
      String name = method.methodName();
      return method
          .fitting()
          .accept(
              new MethodFit.Cases<Candidate>() {
                @Override
                public Candidate fixed(MethodFit.Fixed fit) {
                  return new Candidate(name, data -> fit.fit(data.labels()));
                }

                @Override
                public Candidate labelledRows(MethodFit.LabelledRows fit) {
                  return new Candidate(name, fit::fit);
                }

                @Override
                public Candidate contentFreeRows(MethodFit.ContentFreeRows fit) {
                  if (contentFree == null || contentFree.isEmpty()) {
                    throw new IllegalArgumentException(
                        method + " needs content-free rows; found none");
                  }
                  Calibrator fitted = fit.fit(contentFree);
                  return new Candidate(name, data -> fitted);
                }

                @Override
                public Candidate unlabelledRows(MethodFit.UnlabelledRows fit) {
                  // a model of the rows themselves: fitted on the training folds (labels unused),
                  // it applies to held-out rows like any other calibrator
                  return new Candidate(name, data -> fit.fit(data.distributions()));
                }

                @Override
                public Candidate demonstrations(MethodFit.Demonstrations fit) {
                  throw refused("the prompt's demonstrations");
                }

                @Override
                public Candidate sampledInputs(MethodFit.SampledInputs fit) {
                  throw refused("inputs sampled from the model");
                }

                @Override
                public Candidate stages(MethodFit.Stages fit) {
                  throw refused("other calibrators");
                }

                private IllegalArgumentException refused(String what) {
                  return new IllegalArgumentException(
                      method + " cannot be cross-validated: it is fitted on " + what);
                }
              });
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
    private final boolean skipped;
    private final long nearZeroGold;
    private final String exclusion;

    private Result(
        String name,
        CalibrationMetrics metrics,
        String failure,
        double nllDifference,
        double nllDifferenceError) {
      this(name, metrics, failure, nllDifference, nllDifferenceError, false, 0, null);
    }

    private Result(
        String name,
        CalibrationMetrics metrics,
        String failure,
        double nllDifference,
        double nllDifferenceError,
        boolean skipped,
        long nearZeroGold,
        String exclusion) {
      this.name = java.util.Objects.requireNonNull(name, "name");
      this.metrics = metrics;
      this.failure = failure;
      this.nllDifference = nllDifference;
      this.nllDifferenceError = nllDifferenceError;
      this.skipped = skipped;
      this.nearZeroGold = nearZeroGold;
      this.exclusion = exclusion;
    }

    /**
     * The result of a candidate that was not fitted, for {@code reason} (such as more parameters
     * than rows); it counts as not succeeded and is never picked.
     */
    public static Result skipped(String name, String reason) {
      return new Result(
          name,
          null,
          java.util.Objects.requireNonNull(reason, "reason"),
          Double.NaN,
          Double.NaN,
          true,
          0,
          null);
    }

    /** Whether the candidate was skipped, not fitted ({@link #failure()} says why). */
    public boolean isSkipped() {
      return skipped;
    }

    /**
     * Its held-out rows whose gold label got a probability below {@link Metrics#NEAR_ZERO}; 0 if it
     * failed or was skipped.
     */
    public long nearZeroGold() {
      return nearZeroGold;
    }

    /**
     * Why it is never picked although every fold was fitted (worse than none, near-zero gold
     * probabilities, not clearly better on few rows, ...); empty if it may be picked, failed or was
     * skipped.
     */
    public java.util.Optional<String> exclusion() {
      if (exclusion == null && worseThanNone()) {
        return java.util.Optional.of("worse than none by more than 1 SE");
      }
      return java.util.Optional.ofNullable(exclusion);
    }

    /** Whether it may be picked: it succeeded and has no {@link #exclusion()}. */
    public boolean eligible() {
      return succeeded() && exclusion().isEmpty();
    }

    Result withNearZeroGold(long count) {
      return new Result(
          name, metrics, failure, nllDifference, nllDifferenceError, skipped, count, exclusion);
    }

    private Result excluded(String reason) {
      return new Result(
          name, metrics, failure, nllDifference, nllDifferenceError, skipped, nearZeroGold, reason);
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
          && Double.compare(nllDifferenceError, r.nllDifferenceError) == 0
          && skipped == r.skipped
          && nearZeroGold == r.nearZeroGold
          && java.util.Objects.equals(exclusion, r.exclusion);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(
          name,
          metrics,
          failure,
          nllDifference,
          nllDifferenceError,
          skipped,
          nearZeroGold,
          exclusion);
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
                  + ", nearZeroGold="
                  + nearZeroGold
                  + (exclusion == null ? "" : ", exclusion=" + exclusion)
              : (skipped ? ", skipped=" : ", failure=") + failure)
          + "]";
    }
  }

  /**
   * Candidates ranked best first (eligible ones by NLL then ECE, then those never picked, then
   * failed and skipped ones, in the order given).
   *
   * @param ranked the results
   * @param folds the number of folds
   * @param rows the dev rows
   * @param note a caution for the user (too few rows per label for cross-validation to mean much),
   *     or empty
   */
  public record Report(List<Result> ranked, int folds, int rows, String note) {
    /** Copies the list; a null note is empty. */
    public Report {
      ranked = List.copyOf(ranked);
      note = note == null ? "" : note;
    }

    /** A report with no note. */
    public Report(List<Result> ranked, int folds, int rows) {
      this(ranked, folds, rows, "");
    }

    /**
     * The best candidate: the first of the ranking, which is {@link Result#eligible()} whenever no
     * calibration is among the results (as {@link #crossValidate} ensures): never failed, skipped,
     * worse than none, giving more near-zero gold probabilities than none, nor on few rows one that
     * is not clearly better.
     */
    public Result best() {
      return ranked.get(0);
    }

    /** A plain-text table of the ranking. */
    public String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              java.util.Locale.ROOT, "%d-fold cross-validation on %d rows%n", folds, rows));
      if (!note.isEmpty()) {
        sb.append("note: ").append(note).append(System.lineSeparator());
      }
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "%-28s %9s %9s %9s %9s %19s%n",
              "method",
              "NLL",
              "ECE",
              "Brier",
              "accuracy",
              "NLL - none (SE)"));
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
                  marks(r)));
        } else {
          // the remedy of a refusal is the same on every line: said once, below
          sb.append(
              String.format(
                  java.util.Locale.ROOT,
                  "%-28s %s: %s%n",
                  r.name(),
                  r.skipped ? "skipped" : "failed",
                  r.failure.replace("; " + NoFitException.REMEDY, "")));
        }
      }
      if (ranked.stream().anyMatch(r -> r.failure().orElse("").endsWith(NoFitException.REMEDY))) {
        sb.append("where a fit does not exist: ")
            .append(NoFitException.REMEDY)
            .append(System.lineSeparator());
      }
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "NLL clips p_gold at %s (as scikit-learn's log_loss); p_gold < %s counts as near"
                  + " zero%n",
              Metrics.NLL_CLIP,
              Metrics.NEAR_ZERO));
      return sb.toString();
    }

    /** A row's notes: its held-out near-zero gold probabilities, and why it is never picked. */
    private static String marks(Result r) {
      String marks = "";
      if (r.nearZeroGold > 0) {
        marks +=
            String.format(
                java.util.Locale.ROOT,
                "  p_gold < %s on %d %s",
                Metrics.NEAR_ZERO,
                r.nearZeroGold,
                r.nearZeroGold == 1 ? "row" : "rows");
      }
      return marks + r.exclusion().map(e -> "  " + e + ": never picked").orElse("");
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
      if (m.fitting(MethodFit.LabelledRows.class).isPresent() && m.appliesTo(labels)) {
        out.add(Candidate.of(m, null));
      }
    }
    out.add(Candidate.of(CalibrationMethod.PROTOTYPICAL, null));
    if (contentFree != null && !contentFree.isEmpty()) {
      Calibrator contextual = ContextualCalibration.DIAGONAL_FIT.fit(contentFree);
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
    return crossValidate(dev, candidates, folds, seed, Progress.NONE);
  }

  /**
   * Told where cross-validation is, before each candidate and each of its folds (a command line
   * shows progress with it; it may throw to stop the run, an unchecked exception that {@link
   * #crossValidate} lets through).
   */
  public interface Progress {
    /** Ignores everything. */
    Progress NONE =
        new Progress() {
          @Override
          public void candidate(String name, int index, int count) {}

          @Override
          public void fold(String name, int fold, int folds) {}
        };

    /** Candidate {@code index} (from 1) of {@code count}, {@code name}, is next. */
    void candidate(String name, int index, int count);

    /** Fold {@code fold} (from 1) of {@code folds} of candidate {@code name} is next. */
    void fold(String name, int fold, int folds);
  }

  /**
   * {@link #crossValidate(LabelledSet, List, int, long)}, telling {@code progress} where it is.
   *
   * @throws IllegalArgumentException as the other form
   */
  public static Report crossValidate(
      LabelledSet dev, List<Candidate> candidates, int folds, long seed, Progress progress) {
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
    List<Candidate> all = new ArrayList<>(candidates);
    if (all.stream().noneMatch(c -> c.name().equals("none"))) {
      all.add(new Candidate("none", data -> Calibrator.identity(dev.labels())));
    }
    int smallest = smallestLabelCount(dev);
    boolean few = smallest < FEW_ROWS_PER_LABEL;
    long trainingRows = n - (n + folds - 1) / folds;
    long noneNearZero = Metrics.nearZeroGold(dev);
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Candidate c = all.get(i);
      progress.candidate(c.name(), i + 1, all.size());
      String skip = skipReason(c.name(), dev.labels().size(), trainingRows);
      Result r =
          skip != null
              ? Result.skipped(c.name(), skip)
              : evaluate(dev, c, folds, foldOf, baseline, progress);
      results.add(exclude(r, noneNearZero, few));
    }
    List<Result> ranked = new ArrayList<>(results);
    ranked.sort(
        Comparator.comparing((Result r) -> !r.succeeded())
            .thenComparing(r -> !r.eligible())
            .thenComparingDouble(r -> r.succeeded() ? r.metrics.nll() : 0)
            .thenComparingDouble(r -> r.succeeded() ? r.metrics.ece() : 0));
    String note =
        few
            ? String.format(
                java.util.Locale.ROOT,
                "few rows: the rarest label has %d dev rows (fewer than %d), too few for"
                    + " cross-validation to show overconfidence; a candidate is picked over none"
                    + " only if its NLL is below none's by at least two standard errors, and"
                    + " never one that can output probabilities of exactly 0 or 1",
                smallest,
                FEW_ROWS_PER_LABEL)
            : "";
    return new Report(ranked, folds, n, note);
  }

  /**
   * Below this many dev rows of some label, {@link #crossValidate} keeps no calibration unless a
   * candidate is clearly better (see the class comment): with about 30 rows per label a fold of 5
   * holds about 6 of each, a bare minimum for a held-out estimate.
   */
  public static final int FEW_ROWS_PER_LABEL = 30;

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
  static Result exclude(Result r, long noneNearZero, boolean few) {
    if (!r.succeeded() || r.name().equals("none") || r.worseThanNone()) {
      return r;
    }
    if (r.nearZeroGold > noneNearZero) {
      return r.excluded(
          String.format(
              java.util.Locale.ROOT,
              "%d held-out gold labels got p < %s (none: %d)",
              r.nearZeroGold,
              Metrics.NEAR_ZERO,
              noneNearZero));
    }
    if (few) {
      boolean certain =
          CalibrationMethod.find(r.name()).map(CalibrationMethod::canOutputCertainty).orElse(false);
      if (certain) {
        return r.excluded("few rows, and it can output probability 0 or 1");
      }
      if (!(r.nllDifference + 2 * r.nllDifferenceError < 0)) {
        return r.excluded("few rows, and not better than none by 2 SE");
      }
    }
    return r;
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
  static final double NLL_CLIP = Metrics.NLL_CLIP;

  private static Result evaluate(
      LabelledSet dev, Candidate c, int folds, int[] foldOf, double[] baseline, Progress progress) {
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
    LabelledSet heldOut = LabelledSet.of(pooled, dev.goldArray());
    return Result.succeeded(c.name(), Metrics.evaluate(heldOut), mean, error)
        .withNearZeroGold(Metrics.nearZeroGold(heldOut));
  }

  /**
   * The outcome of {@link #select}: the cross-validation report, the name of the method fitted and
   * the calibrator fitted on every dev row.
   *
   * @param report the ranking
   * @param chosen the name of the candidate fitted ({@code none} for no calibration)
   * @param calibrator that candidate fitted on all dev rows
   */
  public record Selection(Report report, String chosen, Calibrator calibrator) {
    /** Requires all three. */
    public Selection {
      java.util.Objects.requireNonNull(report, "report");
      java.util.Objects.requireNonNull(chosen, "chosen");
      java.util.Objects.requireNonNull(calibrator, "calibrator");
    }
  }

  /**
   * The {@code auto} method: cross-validates {@code candidates} ({@link #crossValidate}) and fits
   * the best on all of {@code dev}; if that fit fails (all rows can be separable when no fold's
   * are), the next eligible candidate, and finally no calibration. Never a candidate that failed,
   * was skipped or is excluded.
   *
   * @throws IllegalArgumentException as {@link #crossValidate}
   */
  public static Selection select(
      LabelledSet dev, List<Candidate> candidates, int folds, long seed, Progress progress) {
    Report report = crossValidate(dev, candidates, folds, seed, progress);
    for (Result r : report.ranked()) {
      if (!r.eligible()) {
        break;
      }
      if (r.name().equals("none")) {
        break;
      }
      Candidate c =
          candidates.stream().filter(x -> x.name().equals(r.name())).findFirst().orElseThrow();
      try {
        return new Selection(report, r.name(), c.fit().apply(dev));
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
    return new Selection(report, "none", none);
  }

  /** {@link #select(LabelledSet, List, int, long, Progress)} without progress. */
  public static Selection select(
      LabelledSet dev, List<Candidate> candidates, int folds, long seed) {
    return select(dev, candidates, folds, seed, Progress.NONE);
  }
}
