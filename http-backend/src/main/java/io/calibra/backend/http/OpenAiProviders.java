package io.calibra.backend.http;

import io.calibra.backend.Scorer;
import io.calibra.backend.ScorerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP backends as {@link ScorerProvider}s. Options (strings): {@code base-url} and {@code
 * model} (required), {@code api-key-env} (default {@code OPENAI_API_KEY}; unset sends no key),
 * {@code cache} (a folder), {@code max-in-flight}, {@code max-retries}, {@code timeout-seconds};
 * completions also {@code prompts-per-request} and {@code max-tokens}; chat {@code top-logprobs}.
 * Unknown options and bad values are errors that name them.
 */
public final class OpenAiProviders {
  /** The environment variable the API key is read from by default. */
  public static final String DEFAULT_API_KEY_ENV = "OPENAI_API_KEY";

  private static final Set<String> COMMON =
      Set.of(
          "base-url",
          "model",
          "api-key-env",
          "cache",
          "max-in-flight",
          "max-retries",
          "timeout-seconds");

  private OpenAiProviders() {}

  private static Map<String, String> check(
      String backend, Map<String, String> options, String... extra) {
    Set<String> allowed = new TreeSet<>(COMMON);
    allowed.addAll(Set.of(extra));
    for (String key : options.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            "unknown option '" + key + "' for backend " + backend + "; expected one of " + allowed);
      }
    }
    for (String required : new String[] {"base-url", "model"}) {
      if (options.get(required) == null) {
        throw new IllegalArgumentException("backend " + backend + " needs the option " + required);
      }
    }
    return options;
  }

  private static int integer(
      String backend, Map<String, String> options, String key, int fallback) {
    String v = options.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option " + key + " of backend " + backend + " is '" + v + "'; expected an integer", e);
    }
  }

  private static <B extends OpenAiScorers.Common<B>> B common(
      String backend, Map<String, String> o, B builder) {
    builder.apiKeyFromEnvironment(o.getOrDefault("api-key-env", DEFAULT_API_KEY_ENV));
    if (o.get("cache") != null) {
      builder.cache(Path.of(o.get("cache")));
    }
    builder.maxInFlight(integer(backend, o, "max-in-flight", OpenAiScorers.DEFAULT_MAX_IN_FLIGHT));
    builder.maxRetries(integer(backend, o, "max-retries", OpenAiScorers.DEFAULT_MAX_RETRIES));
    if (o.get("timeout-seconds") != null) {
      builder.requestTimeout(Duration.ofSeconds(integer(backend, o, "timeout-seconds", 120)));
    }
    return builder;
  }

  /**
   * {@code openai-completions}: exact label log-probabilities from the completions API with echo.
   */
  public static final class Completions implements ScorerProvider {
    @Override
    public String name() {
      return "openai-completions";
    }

    @Override
    public String description() {
      return "OpenAI-compatible /completions with echo (vLLM, OpenAI legacy models): exact label"
          + " log-probabilities; options base-url, model, api-key-env, cache";
    }

    @Override
    public Scorer open(Map<String, String> options) {
      Map<String, String> o = check(name(), options, "prompts-per-request", "max-tokens");
      return common(name(), o, OpenAiScorers.completions(o.get("base-url"), o.get("model")))
          .promptsPerRequest(
              integer(name(), o, "prompts-per-request", OpenAiScorers.DEFAULT_PROMPTS_PER_REQUEST))
          .maxTokens(integer(name(), o, "max-tokens", 1))
          .build();
    }
  }

  /** {@code openai-chat}: first-token log-probabilities from the chat API's top_logprobs. */
  public static final class Chat implements ScorerProvider {
    @Override
    public String name() {
      return "openai-chat";
    }

    @Override
    public String description() {
      return "OpenAI-compatible /chat/completions (OpenAI chat models, llama.cpp's server): label"
          + " first-token log-probabilities among top_logprobs, bounded when missing; options"
          + " base-url, model, api-key-env, cache";
    }

    @Override
    public Scorer open(Map<String, String> options) {
      Map<String, String> o = check(name(), options, "top-logprobs");
      return common(name(), o, OpenAiScorers.chat(o.get("base-url"), o.get("model")))
          .topLogprobs(integer(name(), o, "top-logprobs", OpenAiScorers.DEFAULT_TOP_LOGPROBS))
          .build();
    }
  }
}
