package io.calibra.backend;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.Arrays;
import java.util.Objects;

/**
 * One prompt's per-label log-scores (log-probabilities or logits, see {@link ScoreKind}), validated
 * and copied: no NaN, no {@code +infinity}, at least one finite value, one score per label.
 * Immutable and thread-safe.
 */
public final class LabelScores {
  private final LabelSet labels;
  private final double[] scores;
  private final ScoreKind kind;

  private LabelScores(LabelSet labels, double[] scores, ScoreKind kind) {
    this.labels = labels;
    this.scores = scores;
    this.kind = kind;
  }

  /**
   * Validated, copied scores. Scores of kind {@link ScoreKind#LOG_PROBABILITY} must be
   * log-probabilities by {@link LabelDistribution#isLogProbability} (at most 0; rounding up to
   * {@code 1e-6} above 0 is stored as 0); logits may have any finite value.
   *
   * @throws IllegalArgumentException on a wrong width, NaN or {@code +infinity}, a positive
   *     log-probability, or all {@code -infinity}, naming the label and value
   */
  public static LabelScores of(LabelSet labels, ScoreKind kind, double... scores) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(kind, "kind");
    if (kind == ScoreKind.LOG_PROBABILITY) {
      return new LabelScores(
          labels, Probabilities.checkLogProbabilities(labels.names(), scores), kind);
    }
    Probabilities.checkLogScores(labels.names(), scores, "logits");
    return new LabelScores(labels, scores.clone(), kind);
  }

  /** The label set. */
  public LabelSet labels() {
    return labels;
  }

  /** What the scores are. */
  public ScoreKind kind() {
    return kind;
  }

  /** A copy of the scores, in label order. */
  public double[] toArray() {
    return scores.clone();
  }

  /**
   * The score of the label at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public double score(int index) {
    return scores[io.calibra.internal.Checks.index(index, scores.length, "label index")];
  }

  /** The label distribution: {@code softmax(scores)} over the label set. */
  public LabelDistribution toDistribution() {
    return LabelDistribution.ofLogits(labels, scores);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelScores other
        && kind == other.kind
        && labels.equals(other.labels)
        && Arrays.equals(scores, other.scores);
  }

  @Override
  public int hashCode() {
    return Objects.hash(labels, kind, Arrays.hashCode(scores));
  }

  @Override
  public String toString() {
    return "LabelScores{" + kind + ", " + labels.names() + "=" + Arrays.toString(scores) + "}";
  }
}
