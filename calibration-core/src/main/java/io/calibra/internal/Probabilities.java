package io.calibra.internal;

import java.util.List;

/**
 * Allocation-free numeric helpers on probability and score vectors, shared by the calibrators,
 * metrics and backends. The checks take the label names (a {@code LabelSet}'s {@code names()}) for
 * their messages, so this package depends on no API package. All methods are stateless and
 * thread-safe.
 *
 * <p>NaN is never passed on: the checking methods reject it, and the transforms require inputs that
 * passed a check.
 */
public final class Probabilities {
  /**
   * The tolerance on the sum of a probability vector: {@code |sum - 1| <= 1e-6}. Vectors within it
   * are renormalised to sum to one exactly (up to rounding).
   */
  public static final double SUM_TOLERANCE = 1e-6;

  /**
   * The floor applied to log-probabilities before they enter a scaling calibrator: {@code log 0 =
   * -infinity} becomes {@code -745}, just below the log of the smallest positive double, so that a
   * zero probability stays (numerically) zero after any finite affine map of positive slope.
   */
  public static final double LOG_FLOOR = -745.0;

  /**
   * How far above zero a log-probability may be and still be read as {@code log 1 = 0}: {@code
   * 1e-6} (the value of {@code LabelDistribution.LOG_PROBABILITY_TOLERANCE}, which says why).
   */
  public static final double LOG_PROBABILITY_TOLERANCE = 1e-6;

  private Probabilities() {}

  /** Whether {@code v} is a log-probability: at most {@link #LOG_PROBABILITY_TOLERANCE}. */
  public static boolean isLogProbability(double v) {
    return v <= LOG_PROBABILITY_TOLERANCE;
  }

  /**
   * Checks that {@code p} has width {@code k} and holds finite values {@code >= 0} summing to one
   * within {@link #SUM_TOLERANCE}.
   *
   * @throws IllegalArgumentException naming the label, its index and the value
   */
  public static void checkDistribution(List<String> labels, double[] p) {
    checkWidth(labels, p, "probabilities");
    checkRow(labels, p, 0);
  }

  /**
   * The one row validation of calibra, used by every calibrator's input, by {@link
   * #checkDistribution} and by the metrics accumulator: checks that {@code row} holds K = {@code
   * labels.size()} values from {@code offset}, each finite in [0, 1], summing to one within {@link
   * #SUM_TOLERANCE}. Written so that NaN fails it.
   *
   * @throws NullPointerException if {@code labels} or {@code row} is null
   * @throws IllegalArgumentException if the array is too short for a row at {@code offset}, or
   *     naming the label, its index and the value, or the sum and the labels
   */
  public static void checkRow(List<String> labels, double[] row, int offset) {
    int k = labels.size();
    if (offset < 0 || offset > row.length - k) {
      throw new IllegalArgumentException(
          "wrong width: expected "
              + k
              + " probabilities for labels "
              + labels
              + " at offset "
              + offset
              + ", array holds "
              + row.length);
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      double v = row[offset + i];
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(
            "probability for label '"
                + labels.get(i)
                + "' (index "
                + i
                + ") is "
                + v
                + "; expected a finite value in [0, 1]");
      }
      sum += v;
    }
    if (!(Math.abs(sum - 1.0) <= SUM_TOLERANCE)) {
      throw new IllegalArgumentException(
          "probabilities sum to "
              + sum
              + "; expected 1 within "
              + SUM_TOLERANCE
              + " over labels "
              + labels);
    }
  }

  /**
   * Checks that {@code scores} has width {@code k} and holds no NaN and no {@code +infinity}, and
   * at least one finite value ({@code -infinity}, a zero probability, is allowed).
   *
   * @throws IllegalArgumentException naming the label, its index and the value
   */
  public static void checkLogScores(List<String> labels, double[] scores, String what) {
    checkWidth(labels, scores, what);
    boolean anyFinite = false;
    for (int k = 0; k < scores.length; k++) {
      double v = scores[k];
      if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(
            what
                + " for label '"
                + labels.get(k)
                + "' (index "
                + k
                + ") is "
                + v
                + "; expected a finite value or -Infinity");
      }
      anyFinite |= v != Double.NEGATIVE_INFINITY;
    }
    if (!anyFinite) {
      throw new IllegalArgumentException(
          what + " are -Infinity for every label " + labels + "; expected one finite value");
    }
  }

  /**
   * Returns {@code v} if it is a log-probability by {@link #isLogProbability} (calibra's one rule
   * for them, used for score files, label distributions, scorers of {@code LOG_PROBABILITY} kind,
   * Spark Datasets and served models' answers), with a value in {@code (0,
   * LOG_PROBABILITY_TOLERANCE]} clamped to 0.
   *
   * @throws IllegalArgumentException naming the label, its index and the value, if it is not
   */
  public static double checkLogProbability(List<String> labels, int index, double v) {
    if (!isLogProbability(v)) {
      throw new IllegalArgumentException(
          "log-probability for label '"
              + labels.get(index)
              + "' (index "
              + index
              + ") is "
              + v
              + "; expected a value <= 0 (a probability of at most 1), or -Infinity");
    }
    return Math.min(v, 0.0);
  }

  /**
   * Checks a row of log-probabilities by {@link #checkLogProbability} and returns a copy with
   * rounding above zero clamped to 0. The row need not sum (in probability) to one or less: the
   * log-probabilities of label words that share a prefix, or the bounds given to words missing from
   * a served model's top list, can add up to more, and a softmax over the label set renormalises
   * them either way.
   *
   * @throws IllegalArgumentException on a wrong width, a value that is not a log-probability
   *     (naming the label, its index and the value), or a row that is {@code -infinity} for every
   *     label
   */
  public static double[] checkLogProbabilities(List<String> labels, double[] values) {
    checkWidth(labels, values, "log-probabilities");
    double[] out = new double[values.length];
    for (int k = 0; k < values.length; k++) {
      out[k] = checkLogProbability(labels, k, values[k]);
    }
    checkLogScores(labels, out, "log-probabilities");
    return out;
  }

  /**
   * Checks that {@code values} has one entry per label.
   *
   * @throws IllegalArgumentException naming the expected and found widths
   */
  public static void checkWidth(List<String> labels, double[] values, String what) {
    if (values == null) {
      throw new NullPointerException(what + " are null; expected " + labels.size() + " values");
    }
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(
          "wrong width of "
              + what
              + ": expected "
              + labels.size()
              + " values for labels "
              + labels
              + ", found "
              + values.length);
    }
  }

  /**
   * Writes {@code softmax(scores)} into {@code out} (which may be {@code scores}), computed stably
   * by subtracting the maximum. {@code -infinity} entries become 0.
   */
  public static void softmaxInto(double[] scores, int offset, int k, double[] out, int outOffset) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      max = Math.max(max, scores[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      double e = Math.exp(scores[offset + i] - max);
      out[outOffset + i] = e;
      sum += e;
    }
    double inv = 1.0 / sum;
    for (int i = 0; i < k; i++) {
      out[outOffset + i] *= inv;
    }
  }

  /** Returns {@code log(sum(exp(scores)))}, computed stably; {@code -infinity} if all are. */
  public static double logSumExp(double[] scores, int offset, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      max = Math.max(max, scores[offset + i]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += Math.exp(scores[offset + i] - max);
    }
    return max + Math.log(sum);
  }

  /** Divides {@code v[offset..offset+k)} by its sum in place. The sum must be positive. */
  public static void normaliseInPlace(double[] v, int offset, int k) {
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += v[offset + i];
    }
    double inv = 1.0 / sum;
    for (int i = 0; i < k; i++) {
      v[offset + i] *= inv;
    }
  }

  /** The log of a probability, floored at {@link #LOG_FLOOR}. */
  public static double flooredLog(double p) {
    return p > 0 ? Math.max(Math.log(p), LOG_FLOOR) : LOG_FLOOR;
  }

  /** The index of the largest value; ties go to the lowest index. */
  public static int argmax(double[] v, int offset, int k) {
    int best = 0;
    double bestValue = v[offset];
    for (int i = 1; i < k; i++) {
      if (v[offset + i] > bestValue) {
        bestValue = v[offset + i];
        best = i;
      }
    }
    return best;
  }
}
