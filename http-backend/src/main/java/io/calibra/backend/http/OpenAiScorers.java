package io.calibra.backend.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builders for the scorers over OpenAI-compatible servers. The base URL is the API root that {@code
 * /completions} and {@code /chat/completions} hang from, such as {@code https://api.openai.com/v1}
 * or {@code http://localhost:8000/v1}.
 *
 * <pre>{@code
 * try (HttpScorer s = OpenAiScorers.completions("http://localhost:8000/v1", "gpt2")
 *         .apiKeyFromEnvironment("OPENAI_API_KEY")
 *         .cache(Path.of("cache"))
 *         .build()) {
 *   List<LabelScores> scores = s.scoreAll(prompts, labels);
 * }
 * }</pre>
 */
public final class OpenAiScorers {
  /** Prompts per completions request by default. */
  public static final int DEFAULT_PROMPTS_PER_REQUEST = 20;

  /** Requests in flight at once by default. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 4;

  /** Retries of a failed request by default. */
  public static final int DEFAULT_MAX_RETRIES = 5;

  /** The largest answer read by default: 64 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;

  /** The chat API's largest {@code top_logprobs}, the default. */
  public static final int DEFAULT_TOP_LOGPROBS = 20;

  private OpenAiScorers() {}

  /**
   * The exact scorer over {@code POST {base}/completions} with {@code echo}.
   *
   * @throws IllegalArgumentException if the URL is not http(s) or the model name is blank
   */
  public static CompletionsBuilder completions(String baseUrl, String model) {
    return new CompletionsBuilder(baseUrl, model);
  }

  /**
   * The top-k scorer over {@code POST {base}/chat/completions}.
   *
   * @throws IllegalArgumentException if the URL is not http(s) or the model name is blank
   */
  public static ChatBuilder chat(String baseUrl, String model) {
    return new ChatBuilder(baseUrl, model);
  }

  static String normaliseBaseUrl(String baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String shown = withoutUserInfo(baseUrl.strip());
    URI uri;
    try {
      uri = new URI(baseUrl.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "base URL '" + shown + "' is not a URL; expected http://host:port/v1 or https://...");
    }
    if (uri.getRawUserInfo() != null || !shown.equals(baseUrl.strip())) {
      throw new IllegalArgumentException(
          "base URL '"
              + shown
              + "' has a user name or password, which calibra neither sends nor shows; give the"
              + " URL without them and the API key in an environment variable (--api-key-env)");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "base URL '"
              + shown
              + "' is not an http(s) URL with a host and no query, fragment or user; expected"
              + " http://host:port/v1 or https://...");
    }
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /**
   * {@code url} with any user name and password ({@code scheme://user:password@host}) shown as
   * {@code ***}: everything between {@code //} and the last {@code @}, so that no part of a
   * password (which may hold {@code /}, {@code :} or {@code @}) is ever shown.
   */
  static String withoutUserInfo(String url) {
    int start = url.indexOf("//");
    int at = url.lastIndexOf('@');
    return start < 0 || at < start + 2
        ? url
        : url.substring(0, start + 2) + "***" + url.substring(at);
  }

  /** Settings shared by both builders. */
  public abstract static class Common<B extends Common<B>> {
    final String baseUrl;
    final String model;
    private String apiKey;
    private String apiKeySource;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(120);
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private Path cacheDir;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Function<String, String> environment = System::getenv;
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private Consumer<String> notices = message -> {};

    Common(String baseUrl, String model) {
      this.baseUrl = normaliseBaseUrl(baseUrl);
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model name is blank; expected the server's model name");
      }
      this.model = model;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** Sends {@code key} as {@code Authorization: Bearer}; null sends none (local servers). */
    public B apiKey(String key) {
      this.apiKey = key == null || key.isEmpty() ? null : key;
      this.apiKeySource = apiKey == null ? null : "the API key given";
      return self();
    }

    /**
     * Reads the API key from environment variable {@code variable} when building; an unset or empty
     * variable sends no key (local servers need none).
     */
    public B apiKeyFromEnvironment(String variable) {
      Objects.requireNonNull(variable, "variable");
      if (variable.isBlank()) {
        throw new IllegalArgumentException("API key variable name is blank");
      }
      String value = environment.apply(variable);
      this.apiKey = value == null || value.isEmpty() ? null : value.strip();
      this.apiKeySource = apiKey == null ? null : "environment variable " + variable;
      return self();
    }

    /** The connection timeout (default 10 s). */
    public B connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connect timeout");
      return self();
    }

    /**
     * The total time one request may take, from sending to the end of the answer (default 120 s).
     */
    public B requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "request timeout");
      return self();
    }

    /** Retries of a failed request (default 5); 0 never retries. */
    public B maxRetries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("max retries is " + retries + "; expected >= 0");
      }
      this.maxRetries = retries;
      return self();
    }

    /**
     * The backoff: retry n waits a random time in [d/2, d], d = {@code initial * 2^(n-1)} capped at
     * {@code max} (defaults 0.5 s and 30 s), or longer if the server's {@code Retry-After} says so
     * (up to 2 minutes).
     */
    public B backoff(Duration initial, Duration max) {
      this.initialBackoff = positive(initial, "initial backoff");
      this.maxBackoff = positive(max, "max backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max backoff " + max + " is shorter than the initial backoff " + initial);
      }
      return self();
    }

    /** Requests in flight at once (default 4). */
    public B maxInFlight(int requests) {
      if (requests < 1) {
        throw new IllegalArgumentException("max in flight is " + requests + "; expected >= 1");
      }
      this.maxInFlight = requests;
      return self();
    }

    /**
     * Keeps every accepted response in {@code dir} (created if missing), keyed by the SHA-256 of
     * base URL, model and request body, so that a re-run sends no request. Null: no cache.
     */
    public B cache(Path dir) {
      this.cacheDir = dir;
      return self();
    }

    /**
     * The largest answer read, in bytes (default 64 MiB): a longer answer (declared or received) is
     * cut off and fails with a {@link ServerException} that names the server and the limit, so that
     * a broken or hostile server cannot fill the memory. Cached entries obey the same limit.
     */
    public B maxResponseBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("max response bytes is " + bytes + "; expected >= 1");
      }
      this.maxResponseBytes = bytes;
      return self();
    }

    /**
     * Receives one line for each retry (the server, what failed, the retry's number and wait), so
     * that a person watching a slow or failing server sees why nothing else happens; called from
     * the request threads. By default the lines are dropped.
     */
    public B notices(Consumer<String> listener) {
      this.notices = Objects.requireNonNull(listener, "listener");
      return self();
    }

    /** Tests: record waits instead of sleeping. */
    B sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper");
      return self();
    }

    /** Tests: a fake environment for {@link #apiKeyFromEnvironment}. */
    B environment(Function<String, String> env) {
      this.environment = Objects.requireNonNull(env, "environment");
      return self();
    }

    Settings settings() {
      if (apiKey != null && !apiKey.chars().allMatch(c -> c > ' ' && c < 127)) {
        throw new IllegalArgumentException(
            "the API key from "
                + apiKeySource
                + " has spaces, control or non-ASCII characters; expected a token such as sk-...");
      }
      return new Settings(
          baseUrl,
          model,
          apiKey,
          apiKeySource,
          connectTimeout.compareTo(requestTimeout) < 0 ? connectTimeout : requestTimeout,
          requestTimeout,
          maxRetries,
          initialBackoff,
          maxBackoff,
          maxInFlight,
          cacheDir,
          sleeper,
          maxResponseBytes,
          notices);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " is " + d + "; expected a positive duration");
      }
      return d;
    }
  }

  /** Builds the exact completions scorer ({@link OpenAiScorers#completions}). */
  public static final class CompletionsBuilder extends Common<CompletionsBuilder> {
    private int promptsPerRequest = DEFAULT_PROMPTS_PER_REQUEST;
    private int maxTokens = 1;

    private CompletionsBuilder(String baseUrl, String model) {
      super(baseUrl, model);
    }

    /** Prompt-and-word texts per request (default 20). */
    public CompletionsBuilder promptsPerRequest(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("prompts per request is " + count + "; expected >= 1");
      }
      this.promptsPerRequest = count;
      return this;
    }

    /**
     * The {@code max_tokens} sent (default 1: vLLM rejects 0; tokens generated after the word are
     * ignored). 0 suits servers that accept it and saves the generation.
     */
    public CompletionsBuilder maxTokens(int tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("max tokens is " + tokens + "; expected >= 0");
      }
      this.maxTokens = tokens;
      return this;
    }

    /** Opens the scorer; close it to stop its request threads. */
    public HttpScorer build() {
      return new CompletionsScorer(settings(), promptsPerRequest, maxTokens);
    }

    /**
     * Opens a sampler on the same server, model, key, retries and cache, for generative calibration
     * ({@link CompletionsSampler}); the scorer's settings (prompts per request, max tokens) do not
     * apply.
     */
    public CompletionsSampler buildSampler() {
      return new CompletionsSampler(settings());
    }
  }

  /** Builds the top-k chat scorer ({@link OpenAiScorers#chat}). */
  public static final class ChatBuilder extends Common<ChatBuilder> {
    private int topLogprobs = DEFAULT_TOP_LOGPROBS;
    private LabelTokenizer tokenizer;

    private ChatBuilder(String baseUrl, String model) {
      super(baseUrl, model);
    }

    /** The {@code top_logprobs} asked for (default 20, the OpenAI API's maximum). */
    public ChatBuilder topLogprobs(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("top logprobs is " + k + "; expected >= 1");
      }
      this.topLogprobs = k;
      return this;
    }

    /**
     * Exact relative label probabilities with a second request: when a label's first token is not
     * among the top log-probabilities, the scorer asks again with {@code logit_bias} +100 on every
     * label word's first token (by {@code tokenizer}), so that all of them appear. Adding the same
     * bias to each of these logits leaves their differences unchanged, so the labels' relative
     * probabilities are exact; their level comes from a label found in the first answer (checked
     * against every other label found there), or, if none was, from the bound {@code
     * min(top_logprobs)} (the row is then counted as bounded).
     *
     * <p>Valid only where the server adds {@code logit_bias} to the logits before computing the
     * log-probabilities it returns (vLLM, llama.cpp's server); a server that returns unbiased
     * log-probabilities, or ignores the bias, is detected and reported. With a tokenizer a label's
     * first token is the tokenizer's first token of each of its words, matched exactly; words of
     * two labels must not share it.
     */
    public ChatBuilder logitBias(LabelTokenizer tokenizer) {
      this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
      return this;
    }

    /** Opens the scorer; close it to stop its request threads. */
    public HttpScorer build() {
      return new ChatScorer(settings(), topLogprobs, tokenizer);
    }
  }
}
