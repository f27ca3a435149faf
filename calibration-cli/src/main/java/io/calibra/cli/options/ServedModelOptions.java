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
      description = "A served model's API root (.../v1).")
  String baseUrl;

  @Option(
      names = "--api-key-env",
      order = HelpSections.MODEL,
      paramLabel = "<variable>",
      defaultValue = DEFAULT_API_KEY_ENV,
      description = "Variable with the API key (default: ${DEFAULT-VALUE}).")
  String apiKeyEnv;

  @Option(
      names = "--cache",
      order = HelpSections.MODEL,
      paramLabel = "<folder>",
      description = "Keeps the server's answers for re-runs.")
  Path cache;

  @Option(
      names = "--tokenizer",
      order = HelpSections.ADVANCED,
      paramLabel = "<file>",
      description = "openai-chat's tokenizer.json.")
  Path tokenizer;

  @Option(
      names = "--max-in-flight",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      defaultValue = "" + OpenAiScorers.DEFAULT_MAX_IN_FLIGHT,
      converter = OptionValues.Positive.class,
      description = "Requests at once (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--timeout",
      order = HelpSections.ADVANCED,
      paramLabel = "<seconds>",
      defaultValue = "120",
      converter = OptionValues.Seconds.class,
      description = "Seconds per request (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(
      names = "--max-retries",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      defaultValue = "" + OpenAiScorers.DEFAULT_MAX_RETRIES,
      converter = OptionValues.NonNegative.class,
      description = "Retries of a request (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  @Option(
      names = "--max-response-mib",
      order = HelpSections.ADVANCED,
      paramLabel = "<MiB>",
      defaultValue = "64",
      converter = OptionValues.Mebibytes.class,
      description = "The largest answer (default: ${DEFAULT-VALUE}).")
  int maxResponseMib;

  @Option(
      names = "--prompts-per-request",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      converter = OptionValues.Positive.class,
      description =
          "openai: texts per request (default: " + OpenAiScorers.DEFAULT_PROMPTS_PER_REQUEST + ").")
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
