package io.calibra.backend;

/** What the numbers a scorer returns are; both turn into probabilities by a softmax over labels. */
public enum ScoreKind {
  /** Log-probabilities of the label words, possibly over a larger vocabulary. */
  LOG_PROBABILITY,
  /** Unnormalised logits, such as a scaled cosine similarity or a classifier head's output. */
  LOGIT
}
