package io.calibra.cli;

import io.calibra.backend.Scorer;
import io.calibra.backend.http.CompletionsSampler;
import io.calibra.backend.http.HttpScorer;
import io.calibra.backend.http.OpenAiProviders;
import io.calibra.backend.http.OpenAiScorers;
import io.calibra.cli.options.OptionValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of {@code calibra score --backend openai|openai-chat} (a picocli mixin) and the
 * scorer they open. The API key is read from the environment variable named by {@code
 * --api-key-env} and is never printed.
 */
final class OpenAiOptions {
  @Option(
      names = "--base-url",
      description =
          "openai backends: the server's API root, such as http://localhost:8000/v1 (vLLM),"
              + " http://localhost:8080/v1 (llama.cpp) or https://api.openai.com/v1.")
  String baseUrl;

  @Option(
      names = "--api-key-env",
      description =
          "openai backends: the environment variable holding the API key (default: "
              + OpenAiProviders.DEFAULT_API_KEY_ENV
              + "); unset sends no key.")
  String apiKeyEnv;

  @Option(
      names = "--cache",
      description =
          "openai backends: a folder keeping the server's responses, so that a re-run sends no"
              + " request.")
  Path cache;

  @Option(
      names = "--tokenizer",
      description =
          "openai-chat: the served model's tokenizer.json. A row with a label outside the top 20"
              + " gets a second request with logit_bias on the label words' first tokens, which"
              + " makes the labels' relative probabilities exact; valid only on servers that apply"
              + " logit_bias before returning log-probabilities (vLLM, llama.cpp), which is"
              + " checked.")
  Path tokenizer;

  @Option(
      names = "--max-in-flight",
      description = "openai backends: requests in flight at once (default: 4).")
  Integer maxInFlight;

  @Option(
      names = "--timeout",
      converter = OptionValues.Seconds.class,
      description =
          "openai backends: seconds one request may take, from sending to the end of the answer"
              + " (default: 120); a request that takes longer is retried.")
  Double timeoutSeconds;

  @Option(
      names = "--max-retries",
      description =
          "openai backends: retries of a request that timed out, lost its connection or got HTTP"
              + " 429 or 5xx (default: "
              + OpenAiScorers.DEFAULT_MAX_RETRIES
              + "); 0 never retries. Each retry is announced on standard error.")
  Integer maxRetries;

  @Option(
      names = "--max-response-mib",
      description =
          "openai backends: the largest answer read, in MiB (default: 64); a larger one fails"
              + " naming the server.")
  Integer maxResponseMib;

  @Option(
      names = "--prompts-per-request",
      description =
          "openai: texts per completions request (default: "
              + OpenAiScorers.DEFAULT_PROMPTS_PER_REQUEST
              + "); 1 sends each prompt as a string, for servers that refuse a list (Hugging"
              + " Face's transformers serve), which is also done by itself after such a refusal.")
  Integer promptsPerRequest;

  /** Parses {@code --backend}, accepting {@code openai-chat} for the enum's {@code openai_chat}. */
  static final class BackendConverter implements ITypeConverter<ScoreCommand.Backend> {
    @Override
    public ScoreCommand.Backend convert(String value) {
      for (ScoreCommand.Backend b : ScoreCommand.Backend.values()) {
        if (name(b).equals(value)) {
          return b;
        }
      }
      List<String> names = new ArrayList<>();
      for (ScoreCommand.Backend b : ScoreCommand.Backend.values()) {
        names.add(name(b));
      }
      throw new TypeConversionException(
          "backend '" + value + "' is unknown; expected one of " + names);
    }
  }

  static String name(ScoreCommand.Backend b) {
    return b.name().replace('_', '-');
  }

  static boolean isHttp(ScoreCommand.Backend b) {
    return b == ScoreCommand.Backend.openai || b == ScoreCommand.Backend.openai_chat;
  }

  /** Rejects these options with another backend, and local-model options with these backends. */
  void check(ScoreCommand.Backend backend, Path modelDir, boolean dropOldest) {
    if (!isHttp(backend)) {
      if (baseUrl != null
          || apiKeyEnv != null
          || cache != null
          || maxInFlight != null
          || tokenizer != null
          || timeoutSeconds != null
          || maxRetries != null
          || maxResponseMib != null
          || promptsPerRequest != null) {
        throw new Main.UsageException(
            "--base-url, --api-key-env, --cache, --max-in-flight, --tokenizer, --timeout,"
                + " --max-retries, --max-response-mib and --prompts-per-request are for --backend"
                + " openai and openai-chat, not "
                + name(backend));
      }
      return;
    }
    if (promptsPerRequest != null && backend != ScoreCommand.Backend.openai) {
      throw new Main.UsageException(
          "--prompts-per-request is for --backend openai; openai-chat sends one prompt per request");
    }
    if (maxRetries != null && maxRetries < 0) {
      throw new Main.UsageException("--max-retries is " + maxRetries + "; expected 0 or more");
    }
    if (maxResponseMib != null && (maxResponseMib < 1 || maxResponseMib > 1 << 20)) {
      throw new Main.UsageException(
          "--max-response-mib is " + maxResponseMib + "; expected 1 to " + (1 << 20));
    }
    if (promptsPerRequest != null && promptsPerRequest < 1) {
      throw new Main.UsageException(
          "--prompts-per-request is " + promptsPerRequest + "; expected at least 1");
    }
    if (tokenizer != null && backend != ScoreCommand.Backend.openai_chat) {
      throw new Main.UsageException(
          "--tokenizer is for --backend openai-chat; --backend openai is exact without it");
    }
    if (modelDir != null) {
      throw new Main.UsageException(
          "--model-dir is for the local backends; --backend "
              + name(backend)
              + " takes --base-url and --model");
    }
    if (dropOldest) {
      throw new Main.UsageException(
          "--drop-oldest-demonstrations needs a local tokenizer; --backend "
              + name(backend)
              + " has none");
    }
  }

  /**
   * Opens the HTTP scorer for {@code backend} with model name {@code model} and, for {@code
   * --tokenizer}, the loaded {@code labelTokenizer} (null without it).
   */
  HttpScorer open(ScoreCommand.Backend backend, String model, TokenizerFile labelTokenizer) {
    if (baseUrl == null) {
      throw new Main.UsageException(
          "--backend " + name(backend) + " needs --base-url (such as http://localhost:8000/v1)");
    }
    if (model == null) {
      throw new Main.UsageException(
          "--backend " + name(backend) + " needs --model NAME (the model's name on the server)");
    }
    if (maxInFlight != null && maxInFlight < 1) {
      throw new Main.UsageException("--max-in-flight is " + maxInFlight + "; expected at least 1");
    }
    String env = apiKeyEnv == null ? OpenAiProviders.DEFAULT_API_KEY_ENV : apiKeyEnv;
    int inFlight = maxInFlight == null ? OpenAiScorers.DEFAULT_MAX_IN_FLIGHT : maxInFlight;
    try {
      if (backend == ScoreCommand.Backend.openai) {
        OpenAiScorers.CompletionsBuilder completions =
            common(OpenAiScorers.completions(baseUrl, model), env).maxInFlight(inFlight);
        if (promptsPerRequest != null) {
          completions.promptsPerRequest(promptsPerRequest);
        }
        return completions.build();
      }
      OpenAiScorers.ChatBuilder chat =
          common(OpenAiScorers.chat(baseUrl, model), env).maxInFlight(inFlight);
      if (labelTokenizer != null) {
        chat.logitBias(labelTokenizer);
      }
      return chat.build();
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException(e.getMessage());
    }
  }

  /** The settings both backends and the sampler share: key, cache, timeout, retries, limit. */
  private <B extends OpenAiScorers.Common<B>> B common(B builder, String env) {
    builder.apiKeyFromEnvironment(env).cache(cache).notices(Main::note);
    if (timeoutSeconds != null) {
      builder.requestTimeout(java.time.Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
    }
    if (maxRetries != null) {
      builder.maxRetries(maxRetries);
    }
    if (maxResponseMib != null) {
      builder.maxResponseBytes((long) maxResponseMib << 20);
    }
    return builder;
  }

  /**
   * Opens a completions sampler (generative calibration) on the same server, model, key and cache
   * as {@link #open} with {@code --backend openai}.
   */
  CompletionsSampler sampler(ScoreCommand.Backend backend, String model) {
    if (baseUrl == null || model == null) {
      throw new Main.UsageException("--backend " + name(backend) + " needs --base-url and --model");
    }
    String env = apiKeyEnv == null ? OpenAiProviders.DEFAULT_API_KEY_ENV : apiKeyEnv;
    try {
      return common(OpenAiScorers.completions(baseUrl, model), env).buildSampler();
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException(e.getMessage());
    }
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
    String line = h.requestsSent() + " requests sent, " + h.cacheHits() + " answers from the cache";
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
