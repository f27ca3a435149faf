package io.calibra.conformal;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A split conformal predictor fitted on labelled calibration rows: marginal ({@link #fit}) or
 * Mondrian, class-conditional ({@link #fitMondrian}). See {@link io.calibra.conformal} for the
 * definitions and references. Immutable and thread-safe.
 *
 * <p>Randomised scores draw the weight of the calibration row {@code i} from the score's seed and
 * {@code i}, and that of a test row from the seed and the row index given to {@link
 * #predict(LabelDistribution, long)}.
 */
public final class SplitConformal {
  /** The stream of random weights of calibration rows. */
  static final int CALIBRATION_STREAM = 0;

  /** The stream of random weights of test rows. */
  static final int TEST_STREAM = 1;

  private final LabelSet labels;
  private final ConformalScore score;
  private final double alpha;
  private final boolean mondrian;
  private final double[] thresholds; // per label
  private final int[] calibrationRows; // per label (Mondrian) or one entry (marginal)

  private SplitConformal(
      LabelSet labels,
      ConformalScore score,
      double alpha,
      boolean mondrian,
      double[] thresholds,
      int[] calibrationRows) {
    this.labels = labels;
    this.score = score;
    this.alpha = alpha;
    this.mondrian = mondrian;
    this.thresholds = thresholds;
    this.calibrationRows = calibrationRows;
  }

  /**
   * Marginal split conformal: one {@code qhat} from every calibration row's score at its gold
   * label.
   *
   * @throws IllegalArgumentException unless {@code alpha} is in (0, 1)
   */
  public static SplitConformal fit(LabelledSet calibration, ConformalScore score, double alpha) {
    checkAlpha(alpha);
    Objects.requireNonNull(score, "score");
    double[] s = goldScores(calibration, score);
    double q = quantile(s, alpha);
    double[] thresholds = new double[calibration.labels().size()];
    Arrays.fill(thresholds, q);
    return new SplitConformal(
        calibration.labels(), score, alpha, false, thresholds, new int[] {s.length});
  }

  /**
   * Mondrian (class-conditional) split conformal: for each label {@code c}, {@code qhat_c} from the
   * scores of the calibration rows whose gold label is {@code c} ({@code +Infinity} when there are
   * too few of them, including none).
   *
   * @throws IllegalArgumentException unless {@code alpha} is in (0, 1)
   */
  public static SplitConformal fitMondrian(
      LabelledSet calibration, ConformalScore score, double alpha) {
    checkAlpha(alpha);
    Objects.requireNonNull(score, "score");
    double[] s = goldScores(calibration, score);
    int k = calibration.labels().size();
    int[] counts = calibration.goldCounts();
    double[][] byClass = new double[k][];
    int[] filled = new int[k];
    for (int c = 0; c < k; c++) {
      byClass[c] = new double[counts[c]];
    }
    for (int i = 0; i < s.length; i++) {
      int g = calibration.gold(i);
      byClass[g][filled[g]++] = s[i];
    }
    double[] thresholds = new double[k];
    for (int c = 0; c < k; c++) {
      thresholds[c] = quantile(byClass[c], alpha);
    }
    return new SplitConformal(calibration.labels(), score, alpha, true, thresholds, counts);
  }

  private static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha is " + alpha + "; expected a value in (0, 1)");
    }
  }

  private static double[] goldScores(LabelledSet calibration, ConformalScore score) {
    double[] s = new double[calibration.size()];
    for (int i = 0; i < s.length; i++) {
      double u = score.weight(CALIBRATION_STREAM, i);
      s[i] = score.scores(calibration.distribution(i).toArray(), u)[calibration.gold(i)];
    }
    return s;
  }

  /**
   * The rank (1-based) of {@code qhat} among {@code n} sorted scores: {@code ceil((n + 1)(1 -
   * alpha))}, with the product lowered by a relative 1e-12 first (see {@link
   * io.calibra.conformal}). A rank above {@code n} means {@code qhat = +Infinity}.
   *
   * @throws IllegalArgumentException unless {@code alpha} is in (0, 1) and {@code n >= 0}
   */
  public static long rank(long n, double alpha) {
    checkAlpha(alpha);
    if (n < 0) {
      throw new IllegalArgumentException("n is " + n + "; expected a value >= 0");
    }
    double x = (n + 1.0) * (1.0 - alpha);
    return (long) Math.ceil(x - 1e-12 * x);
  }

  /** The {@link #rank}-th smallest of {@code scores}, or {@code +Infinity} when it exceeds n. */
  static double quantile(double[] scores, double alpha) {
    long r = rank(scores.length, alpha);
    if (r > scores.length) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.max(r, 1) - 1];
  }

  /** The label set. */
  public LabelSet labels() {
    return labels;
  }

  /** The score. */
  public ConformalScore score() {
    return score;
  }

  /** The miscoverage level. */
  public double alpha() {
    return alpha;
  }

  /** Whether this predictor is Mondrian (one threshold per class). */
  public boolean isMondrian() {
    return mondrian;
  }

  /**
   * The threshold {@code qhat} of a marginal predictor ({@code +Infinity} when every set is full).
   *
   * @throws IllegalStateException for a Mondrian predictor: use {@link #qhat(int)}
   */
  public double qhat() {
    if (mondrian) {
      throw new IllegalStateException(
          "a Mondrian predictor has one qhat per label; use qhat(label)");
    }
    return thresholds[0];
  }

  /** The threshold that label {@code label}'s score is compared with. */
  public double qhat(int label) {
    if (label < 0 || label >= thresholds.length) {
      throw new IllegalArgumentException(
          "label index " + label + " is out of range; expected 0.." + (thresholds.length - 1));
    }
    return thresholds[label];
  }

  /** The thresholds of every label, in label order (all equal unless Mondrian). */
  public double[] thresholds() {
    return thresholds.clone();
  }

  /**
   * The calibration rows behind each threshold: one entry (all rows) for a marginal predictor, the
   * rows of each gold class for a Mondrian one.
   */
  public int[] calibrationRows() {
    return calibrationRows.clone();
  }

  /**
   * The prediction set of {@code p} with a non-randomised score.
   *
   * @throws IllegalStateException if the score is randomised: use {@link
   *     #predict(LabelDistribution, long)}
   * @throws IllegalArgumentException if {@code p} is over other labels
   */
  public PredictionSet predict(LabelDistribution p) {
    if (score.isRandomised()) {
      throw new IllegalStateException(
          "a randomised score needs the row's index; use predict(p, row)");
    }
    return predict(p, 0);
  }

  /**
   * The prediction set of {@code p}, test row {@code row} (the row picks the random weight of a
   * randomised score; other scores ignore it).
   *
   * @throws IllegalArgumentException if {@code p} is over other labels
   */
  public PredictionSet predict(LabelDistribution p, long row) {
    labels.requireSame(p.labels(), "a conformal prediction set");
    double[] s = score.scores(p.toArray(), score.weight(TEST_STREAM, row));
    int[] members = new int[s.length];
    int size = 0;
    for (int k = 0; k < s.length; k++) {
      if (s[k] <= thresholds[k]) {
        members[size++] = k;
      }
    }
    return new PredictionSet(labels, Arrays.copyOf(members, size));
  }

  /** The prediction sets of {@code rows}, row {@code i} with index {@code i}. */
  public List<PredictionSet> predictAll(List<LabelDistribution> rows) {
    List<PredictionSet> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(predict(rows.get(i), i));
    }
    return out;
  }

  /**
   * The fraction of {@code sets} that contain their gold label.
   *
   * @throws IllegalArgumentException if the sizes differ or there are no sets
   */
  public static double coverage(List<PredictionSet> sets, int[] gold) {
    if (sets.size() != gold.length || sets.isEmpty()) {
      throw new IllegalArgumentException(
          "expected one gold label per set and at least one set; found "
              + sets.size()
              + " sets and "
              + gold.length
              + " labels");
    }
    long covered = 0;
    for (int i = 0; i < gold.length; i++) {
      if (sets.get(i).contains(gold[i])) {
        covered++;
      }
    }
    return covered / (double) gold.length;
  }

  /**
   * The mean size of {@code sets}.
   *
   * @throws IllegalArgumentException if there are no sets
   */
  public static double meanSize(List<PredictionSet> sets) {
    if (sets.isEmpty()) {
      throw new IllegalArgumentException("expected at least one set");
    }
    long total = 0;
    for (PredictionSet s : sets) {
      total += s.size();
    }
    return total / (double) sets.size();
  }

  /** Equal when the labels, score, alpha, kind (marginal or Mondrian) and thresholds are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SplitConformal c
        && labels.equals(c.labels)
        && score.equals(c.score)
        && Double.compare(alpha, c.alpha) == 0
        && mondrian == c.mondrian
        && Arrays.equals(thresholds, c.thresholds)
        && Arrays.equals(calibrationRows, c.calibrationRows);
  }

  @Override
  public int hashCode() {
    return Objects.hash(labels, score, alpha, mondrian, Arrays.hashCode(thresholds));
  }

  @Override
  public String toString() {
    return (mondrian ? "Mondrian " : "")
        + "SplitConformal["
        + score
        + ", alpha="
        + alpha
        + ", qhat="
        + (mondrian ? Arrays.toString(thresholds) : String.valueOf(thresholds[0]))
        + "]";
  }
}
