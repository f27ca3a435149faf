package io.calibra.cli.options;

import io.calibra.backend.http.OpenAiProviders;
import io.calibra.backend.http.OpenAiScorers;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of a model served over HTTP ({@code --backend openai} or {@code openai-chat}): where
 * the server is, how to talk to it, and what to keep. The API key is read from the environment
 * variable named by {@code --api-key-env} and is never printed. A picocli mixin.
 */
public final class ServedModelOptions {
  /** The environment variable the API key is read from by default. */
  public static final String DEFAULT_API_KEY_ENV = OpenAiProviders.DEFAULT_API_KEY_ENV;

  /** Every option of this group, for the rule that they need a served backend. */
  public static final String[] NAMES = {
    "--base-url",
    "--api-key-env",
    "--cache",
    "--max-in-flight",
    "--tokenizer",
    "--timeout",
    "--max-retries",
    "--max-response-mib",
    "--prompts-per-request"
  };

  @Option(
      names = "--base-url",
      order = HelpSections.MODEL,
      paramLabel = "<url>",
      description = "openai backends: the server's API root, such as http://localhost:8000/v1.")
  String baseUrl;

  @Option(
      names = "--api-key-env",
      order = HelpSections.MODEL,
      paramLabel = "<variable>",
      defaultValue = DEFAULT_API_KEY_ENV,
      description =
          "openai backends: the environment variable holding the API key (default:"
              + " ${DEFAULT-VALUE}); unset sends no key.")
  String apiKeyEnv;

  @Option(
      names = "--cache",
      order = HelpSections.MODEL,
      paramLabel = "<folder>",
      description = "openai backends: keeps the server's answers; a re-run sends no request.")
  Path cache;

  @Option(
      names = "--tokenizer",
      order = HelpSections.ADVANCED,
      paramLabel = "<file>",
      description =
          "openai-chat: the served model's tokenizer.json, to ask again with logit_bias for labels"
              + " outside the top 20 (vLLM, llama.cpp; checked).")
  Path tokenizer;

  @Option(
      names = "--max-in-flight",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      defaultValue = "" + OpenAiScorers.DEFAULT_MAX_IN_FLIGHT,
      converter = OptionValues.Positive.class,
      description = "openai backends: requests in flight at once (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--timeout",
      order = HelpSections.ADVANCED,
      paramLabel = "<seconds>",
      defaultValue = "120",
      converter = OptionValues.Seconds.class,
      description =
          "openai backends: seconds a request may take before it is retried (default:"
              + " ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(
      names = "--max-retries",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      defaultValue = "" + OpenAiScorers.DEFAULT_MAX_RETRIES,
      converter = OptionValues.NonNegative.class,
      description =
          "openai backends: retries after a timeout, a lost connection, HTTP 429 or 5xx"
              + " (default: ${DEFAULT-VALUE}; each announced).")
  int maxRetries;

  @Option(
      names = "--max-response-mib",
      order = HelpSections.ADVANCED,
      paramLabel = "<MiB>",
      defaultValue = "64",
      converter = OptionValues.Mebibytes.class,
      description = "openai backends: the largest answer read (default: ${DEFAULT-VALUE}).")
  int maxResponseMib;

  @Option(
      names = "--prompts-per-request",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      converter = OptionValues.Positive.class,
      description =
          "openai: texts per completions request (default: "
              + OpenAiScorers.DEFAULT_PROMPTS_PER_REQUEST
              + "); 1 for servers that refuse a"
              + " list (also chosen after such a refusal).")
  Integer promptsPerRequest;

  /** The server's API root, or null. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The environment variable holding the API key. */
  public String apiKeyEnv() {
    return apiKeyEnv;
  }

  /** The response cache folder, or null. */
  public Path cache() {
    return cache;
  }

  /** The served model's tokenizer.json, or null. */
  public Path tokenizer() {
    return tokenizer;
  }

  /** Requests in flight at once. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Seconds one request may take. */
  public double timeoutSeconds() {
    return timeoutSeconds;
  }

  /** Retries of a failed request. */
  public int maxRetries() {
    return maxRetries;
  }

  /** The largest answer read, in MiB. */
  public int maxResponseMib() {
    return maxResponseMib;
  }

  /** Texts per completions request, or null for the scorer's default. */
  public Integer promptsPerRequest() {
    return promptsPerRequest;
  }

  /**
   * Declares the rules between these options and {@code backend}: they need a served backend,
   * {@code --prompts-per-request} the completions API, {@code --tokenizer} the chat API, and a
   * served backend takes no {@code --model-dir} nor {@code --drop-oldest-demonstrations}.
   */
  public OptionRules declare(OptionRules rules, Backend backend) {
    return rules
        .onlyIf(
            backend.isServed(),
            "--base-url, --api-key-env, --cache, --max-in-flight, --tokenizer, --timeout,"
                + " --max-retries, --max-response-mib and --prompts-per-request are for --backend"
                + " openai and openai-chat, not "
                + backend,
            NAMES)
        .onlyIf(
            !backend.isServed() || backend.isCompletions(),
            "--prompts-per-request is for --backend openai; openai-chat sends one prompt per request",
            "--prompts-per-request")
        .onlyIf(
            !backend.isServed() || !backend.isCompletions(),
            "--tokenizer is for --backend openai-chat; --backend openai is exact without it",
            "--tokenizer")
        .onlyIf(
            !backend.isServed(),
            "--model-dir is for the local backends; --backend "
                + backend
                + " takes --base-url and --model",
            "--model-dir")
        .onlyIf(
            !backend.isServed(),
            "--drop-oldest-demonstrations needs a local tokenizer; --backend "
                + backend
                + " has none",
            "--drop-oldest-demonstrations");
  }
}
