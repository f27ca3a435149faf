/**
 * Scorers and a sampler over OpenAI-compatible HTTP endpoints (completions and chat), with a
 * response cache.
 *
 * <p>Exports {@code io.calibra.backend.http} and provides the backends {@code openai-completions}
 * and {@code openai-chat} to {@link io.calibra.backend.Scorers#open}.
 */
module io.calibra.http {
  requires transitive io.calibra.core;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;

  exports io.calibra.backend.http;

  provides io.calibra.backend.ScorerProvider with
      io.calibra.backend.http.OpenAiProviders.Completions,
      io.calibra.backend.http.OpenAiProviders.Chat;
}
