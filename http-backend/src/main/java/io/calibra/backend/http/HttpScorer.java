package io.calibra.backend.http;

import io.calibra.backend.Scorer;

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
}
