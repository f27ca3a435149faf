package io.calibra.backend.http;

import io.calibra.backend.Scorer;
import java.util.List;

/**
 * A {@link Scorer} that asks an OpenAI-compatible server. Beyond the scores it reports what it did:
 * requests sent, responses taken from the cache, rows whose scores are bounds.
 */
public interface HttpScorer extends Scorer {

  /**
   * A stable SHA-256 (hexadecimal) of everything that changes the scores: the endpoint kind, base
   * URL, model and request settings. Never the API key.
   */
  String fingerprint();

  /** HTTP requests sent so far, retries included; cached responses are not counted. */
  long requestsSent();

  /** Responses read from the on-disk cache so far. */
  long cacheHits();

  /**
   * Rows scored so far in which at least one label was missing from the server's top log-
   * probabilities and got the bound {@code min(top_logprobs)} instead (always 0 for the exact
   * completions scorer).
   */
  long boundedRows();

  /**
   * One line for each label that was missing from the server's top log-probabilities for half the
   * prompts scored so far or more (their scores are then the floor {@code min(top_logprobs)}, so
   * the labels look near uniform), with the fraction and, when the answers held the label word's
   * variant with or without its leading space instead, that variant. Empty for the exact
   * completions scorer, and for the chat scorer with a tokenizer (its scores are exact).
   */
  default List<String> labelWarnings() {
    return List.of();
  }
}
