package io.calibra.label;

import io.calibra.internal.Probabilities;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable probability distribution over a {@link LabelSet}.
 *
 * <p>Every value is finite and in {@code [0, 1]}, and the values sum to one: inputs must sum to one
 * within {@code 1e-6} and are then divided by their sum. Distributions built from log-probabilities
 * or logits go through a numerically stable softmax over the label set, so {@code -infinity} is a
 * zero probability and logits of any finite magnitude are accepted. NaN, {@code +infinity},
 * negative probabilities and widths that differ from the label set's are rejected with an {@link
 * IllegalArgumentException} naming the label and the value.
 *
 * <p>Instances are immutable and thread-safe; accessors return copies.
 */
public final class LabelDistribution {
  /**
   * How far above zero a log-probability may be and still be read as {@code log 1 = 0}: {@code
   * 1e-6}. A log-softmax in single precision (as an ONNX model or a served model computes it) can
   * round a probability of one to a logarithm just above zero, about {@code 1.2e-7}; anything
   * larger is not a log-probability. Values in {@code (0, 1e-6]} are read as 0.
   */
  public static final double LOG_PROBABILITY_TOLERANCE = Probabilities.LOG_PROBABILITY_TOLERANCE;

  private final LabelSet labels;
  private final double[] p;

  private LabelDistribution(LabelSet labels, double[] p) {
    this.labels = labels;
    this.p = p;
  }

  /**
   * A distribution from probabilities that sum to one within {@code 1e-6}; they are copied and
   * renormalised.
   *
   * @throws IllegalArgumentException on a wrong width, NaN, infinite, negative or over-one value,
   *     or a sum outside the tolerance
   */
  public static LabelDistribution ofProbabilities(LabelSet labels, double... probabilities) {
    Objects.requireNonNull(labels, "labels");
    Probabilities.checkDistribution(labels.names(), probabilities);
    double[] copy = probabilities.clone();
    Probabilities.normaliseInPlace(copy, 0, copy.length);
    return new LabelDistribution(labels, copy);
  }

  /**
   * A distribution proportional to non-negative weights: {@code p = w / sum(w)}.
   *
   * @throws IllegalArgumentException on a wrong width, NaN, infinite or negative weight, or weights
   *     that are all zero
   */
  public static LabelDistribution normalise(LabelSet labels, double... weights) {
    Objects.requireNonNull(labels, "labels");
    Probabilities.checkWidth(labels.names(), weights, "weights");
    double sum = 0;
    for (int k = 0; k < weights.length; k++) {
      double w = weights[k];
      if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "weight for label '"
                + labels.name(k)
                + "' (index "
                + k
                + ") is "
                + w
                + "; expected a finite value >= 0");
      }
      sum += w;
    }
    if (!(sum > 0 && sum < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "weights sum to " + sum + "; expected a positive finite sum over " + labels.names());
    }
    double[] copy = weights.clone();
    for (int k = 0; k < copy.length; k++) {
      copy[k] /= sum;
    }
    return new LabelDistribution(labels, copy);
  }

  /**
   * A distribution from log-probabilities: {@code softmax(logProbabilities)} over the label set,
   * which renormalises log-probabilities that were taken over a larger vocabulary. Each value must
   * be a log-probability by {@link #isLogProbability}: at most 0, with rounding up to {@code 1e-6}
   * above 0 read as 0; the row need not sum (in probability) to one.
   *
   * @throws IllegalArgumentException on a wrong width, NaN, a value above {@code 1e-6} (such as
   *     {@code +infinity}), or all {@code -infinity}
   */
  public static LabelDistribution ofLogProbabilities(LabelSet labels, double... logProbabilities) {
    Objects.requireNonNull(labels, "labels");
    return ofScores(
        labels,
        Probabilities.checkLogProbabilities(labels.names(), logProbabilities),
        "log-probabilities");
  }

  /**
   * Whether {@code v} is a log-probability by calibra's one rule for them: at most {@link
   * #LOG_PROBABILITY_TOLERANCE} (a probability of at most one, up to rounding), so not NaN and not
   * {@code +infinity}; {@code -infinity}, a zero probability, is one. Score files read as
   * log-probabilities, {@link #ofLogProbabilities}, scores of kind {@code
   * ScoreKind.LOG_PROBABILITY} (whatever scorer returns them), Spark Datasets and the answers of
   * served models are all checked by it. Stateless and thread-safe.
   */
  public static boolean isLogProbability(double v) {
    return Probabilities.isLogProbability(v);
  }

  /**
   * A distribution from logits: {@code softmax(logits)} over the label set.
   *
   * @throws IllegalArgumentException on a wrong width, NaN or {@code +infinity}, or all {@code
   *     -infinity}
   */
  public static LabelDistribution ofLogits(LabelSet labels, double... logits) {
    return ofScores(labels, logits, "logits");
  }

  private static LabelDistribution ofScores(LabelSet labels, double[] scores, String what) {
    Objects.requireNonNull(labels, "labels");
    Probabilities.checkLogScores(labels.names(), scores, what);
    double[] out = new double[scores.length];
    Probabilities.softmaxInto(scores, 0, scores.length, out, 0);
    return new LabelDistribution(labels, out);
  }

  /** The uniform distribution over {@code labels}. */
  public static LabelDistribution uniform(LabelSet labels) {
    double[] p = new double[labels.size()];
    Arrays.fill(p, 1.0 / p.length);
    return new LabelDistribution(labels, p);
  }

  /** The label set. */
  public LabelSet labels() {
    return labels;
  }

  /** The number of labels. */
  public int size() {
    return p.length;
  }

  /**
   * The probability of the label at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public double probability(int index) {
    return p[io.calibra.internal.Checks.index(index, p.length, "label index")];
  }

  /** The probability of the label called {@code name}. */
  public double probability(String name) {
    return p[labels.requireIndex(name)];
  }

  /** A copy of the probabilities, in label order. */
  public double[] toArray() {
    return p.clone();
  }

  /** Copies the probabilities into {@code out} at {@code offset}, without allocating. */
  public void copyInto(double[] out, int offset) {
    System.arraycopy(p, 0, out, offset, p.length);
  }

  /** The index of the most probable label; ties go to the lowest index. */
  public int argmax() {
    return Probabilities.argmax(p, 0, p.length);
  }

  /** The name of the most probable label; ties go to the lowest index. */
  public String predictedLabel() {
    return labels.name(argmax());
  }

  /** The probability of the most probable label. */
  public double confidence() {
    return p[argmax()];
  }

  /** The Shannon entropy in nats, {@code -sum p log p} with {@code 0 log 0 = 0}. */
  public double entropy() {
    double h = 0;
    for (double v : p) {
      if (v > 0) {
        h -= v * Math.log(v);
      }
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelDistribution other
        && labels.equals(other.labels)
        && Arrays.equals(p, other.p);
  }

  @Override
  public int hashCode() {
    return Objects.hash(labels, Arrays.hashCode(p));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("LabelDistribution{");
    for (int k = 0; k < p.length; k++) {
      if (k > 0) {
        sb.append(", ");
      }
      sb.append(labels.name(k)).append('=').append(p[k]);
    }
    return sb.append('}').toString();
  }
}
