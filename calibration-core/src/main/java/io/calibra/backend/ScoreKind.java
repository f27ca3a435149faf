package io.calibra.backend;

/** What the numbers a scorer returns are; both turn into probabilities by a softmax over labels. */
public enum ScoreKind {
  /**
   * Log-probabilities of the label words, possibly over a larger vocabulary: each at most 0 (a
   * probability of at most 1), {@code -infinity} allowed, rounding up to {@code 1e-6} above 0 read
   * as 0 ({@link io.calibra.label.LabelDistribution#isLogProbability}). A scorer of this kind that
   * returns a larger value fails with an exception naming the label and value.
   */
  LOG_PROBABILITY,
  /** Unnormalised logits, such as a scaled cosine similarity or a classifier head's output. */
  LOGIT
}
