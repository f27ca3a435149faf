package io.calibra.io;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.Locale;

/** What the numbers in a score file are, and how they become a label distribution. */
public enum ScoreFormat {
  /** Probabilities; each row must sum to one within 1e-6 and is renormalised. */
  PROB,
  /**
   * Log-probabilities (possibly over a larger vocabulary): softmax over the label set. Each value
   * must be at most 0 ({@code -Infinity} allowed); rounding up to {@code 1e-6} above 0 is read as
   * 0, anything larger is an error.
   */
  LOGPROB,
  /** Logits: softmax over the label set. */
  LOGIT;

  /** The distribution of one row's values. */
  public LabelDistribution toDistribution(LabelSet labels, double[] values) {
    return switch (this) {
      case PROB -> LabelDistribution.ofProbabilities(labels, values);
      case LOGPROB -> LabelDistribution.ofLogProbabilities(labels, values);
      case LOGIT -> LabelDistribution.ofLogits(labels, values);
    };
  }

  /** Parses {@code prob}, {@code logprob} or {@code logit} (any case). */
  public static ScoreFormat parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "score format '" + text + "' is unknown; expected prob, logprob or logit", e);
    }
  }
}
