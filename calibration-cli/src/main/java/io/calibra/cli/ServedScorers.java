package io.calibra.cli;

import io.calibra.backend.Scorer;
import io.calibra.backend.http.CompletionsSampler;
import io.calibra.backend.http.HttpScorer;
import io.calibra.backend.http.OpenAiScorers;
import io.calibra.cli.options.Backend;
import io.calibra.cli.options.ServedModelOptions;
import io.calibra.cli.options.UsageException;
import io.calibra.cli.output.Counts;
import java.time.Duration;
import java.util.List;

/**
 * The scorers and sampler of a model served over HTTP ({@code --backend openai|openai-chat}), built
 * from {@link ServedModelOptions}, and what is said about them after a run.
 */
final class ServedScorers {
  private ServedScorers() {}

  /**
   * Opens the HTTP scorer for {@code backend} with model name {@code model} and, for {@code
   * --tokenizer}, the loaded {@code labelTokenizer} (null without it).
   *
   * @throws UsageException if the server's URL or settings are refused
   */
  static HttpScorer open(
      ServedModelOptions o, Backend backend, String model, TokenizerFile labelTokenizer) {
    try {
      if (backend.isCompletions()) {
        OpenAiScorers.CompletionsBuilder completions =
            common(o, OpenAiScorers.completions(o.baseUrl(), model)).maxInFlight(o.maxInFlight());
        if (o.promptsPerRequest() != null) {
          completions.promptsPerRequest(o.promptsPerRequest());
        }
        return completions.build();
      }
      OpenAiScorers.ChatBuilder chat =
          common(o, OpenAiScorers.chat(o.baseUrl(), model)).maxInFlight(o.maxInFlight());
      if (labelTokenizer != null) {
        chat.logitBias(labelTokenizer);
      }
      return chat.build();
    } catch (IllegalArgumentException e) {
      throw UsageException.refusal("", e);
    }
  }

  /**
   * Opens a completions sampler (generative calibration) on the same server, model, key and cache
   * as {@link #open} with {@code --backend openai}.
   *
   * @throws UsageException if the server's URL or settings are refused
   */
  static CompletionsSampler sampler(ServedModelOptions o, String model) {
    try {
      return common(o, OpenAiScorers.completions(o.baseUrl(), model)).buildSampler();
    } catch (IllegalArgumentException e) {
      throw UsageException.refusal("", e);
    }
  }

  /** The settings both backends and the sampler share: key, cache, timeout, retries, limit. */
  private static <B extends OpenAiScorers.Common<B>> B common(ServedModelOptions o, B builder) {
    return builder
        .apiKeyFromEnvironment(o.apiKeyEnv())
        .cache(o.cache())
        .notices(Main::note)
        .requestTimeout(Duration.ofMillis(Math.round(o.timeoutSeconds() * 1000)))
        .maxRetries(o.maxRetries())
        .maxResponseBytes((long) o.maxResponseMib() << 20);
  }

  /** Rows with bounded scores so far (0 for every scorer but the chat scorer). */
  static long boundedRows(Scorer scorer) {
    return scorer instanceof HttpScorer h ? h.boundedRows() : 0;
  }

  /**
   * The HTTP scorer's warnings about label words missing from the server's answers (none for other
   * scorers).
   */
  static List<String> labelWarnings(Scorer scorer) {
    return scorer instanceof HttpScorer h ? h.labelWarnings() : List.of();
  }

  /** A line on what an HTTP scorer did, or null for other scorers. */
  static String summary(Scorer scorer, long bounded, int rows, Object file) {
    if (!(scorer instanceof HttpScorer h)) {
      return null;
    }
    String line =
        Counts.of(h.requestsSent(), "request")
            + " sent, "
            + Counts.of(h.cacheHits(), "answer")
            + " from the cache";
    if (bounded > 0) {
      line +=
          "; "
              + bounded
              + " of "
              + rows
              + " rows of "
              + file
              + " are bounded (a label outside the server's top_logprobs got min(top_logprobs))";
    }
    return line;
  }
}
