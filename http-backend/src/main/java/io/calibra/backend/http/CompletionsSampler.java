package io.calibra.backend.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.backend.TextSampler;
import java.util.Arrays;
import java.util.List;

/**
 * Samples continuations from {@code /completions} for generative calibration: one request with
 * {@code "prompt"}, {@code "max_tokens"}, {@code "temperature": 1}, {@code "stop"}, {@code "n"}
 * (the count) and {@code "seed"}. Retries, timeouts, the API key and the response cache are those
 * of the scorers ({@link OpenAiScorers}); with a cache, a re-run sends nothing and draws the same
 * texts. Without one, reproducibility is the server's: OpenAI documents {@code seed} as best
 * effort, and vLLM honours it per request.
 *
 * <p>Every choice must have a distinct {@code index} below {@code n} and a string {@code text}; a
 * text that still holds the stop string (a server that does not cut it) is cut before it.
 */
public final class CompletionsSampler implements TextSampler, AutoCloseable {
  private final Settings settings;
  private final Transport transport;

  CompletionsSampler(Settings settings) {
    this.settings = settings;
    this.transport = new Transport(settings, new ObjectMapper());
  }

  @Override
  public List<String> sample(String prompt, String stop, int maxTokens, int count, long seed) {
    if (prompt == null) {
      throw new IllegalArgumentException("the prompt to sample from is null");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException(
          "sampling token limit is " + maxTokens + "; expected at least 1");
    }
    if (count < 1) {
      throw new IllegalArgumentException("sample count is " + count + "; expected at least 1");
    }
    boolean stopping = stop != null && !stop.isEmpty();
    ObjectNode body = new ObjectMapper().createObjectNode();
    body.put("model", settings.model);
    body.put("prompt", prompt);
    body.put("max_tokens", maxTokens);
    body.put("temperature", 1);
    if (stopping) {
      body.putArray("stop").add(stop);
    }
    body.put("n", count);
    body.put("seed", seed);
    String what = "sampling " + count + " continuations";
    Transport.Response response =
        transport.post(CompletionsScorer.PATH, body, what, json -> parse(json, count, what));
    String[] texts = parse(response.json(), count, what);
    transport.remember(response);
    for (int i = 0; i < texts.length; i++) {
      if (stopping && texts[i].contains(stop)) {
        texts[i] = texts[i].substring(0, texts[i].indexOf(stop));
      }
    }
    return List.of(texts);
  }

  private String[] parse(JsonNode json, int count, String what) {
    JsonNode choices = json.get("choices");
    if (choices == null || !choices.isArray() || choices.size() != count) {
      throw new ServerException(
          "server "
              + settings.baseUrl
              + " answered "
              + what
              + " with "
              + (choices == null || !choices.isArray() ? "no choices" : choices.size() + " choices")
              + "; expected "
              + count);
    }
    String[] texts = new String[count];
    for (JsonNode choice : choices) {
      JsonNode index = choice.get("index");
      JsonNode text = choice.get("text");
      if (index == null
          || !index.canConvertToInt()
          || index.asInt() < 0
          || index.asInt() >= count
          || texts[index.asInt()] != null
          || text == null
          || !text.isTextual()) {
        throw new ServerException(
            "server "
                + settings.baseUrl
                + " answered "
                + what
                + " with a choice whose index is "
                + index
                + " and text "
                + (text == null
                    ? "missing"
                    : text.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
                + "; expected distinct indices 0.."
                + (count - 1)
                + " and string texts");
      }
      texts[index.asInt()] = text.asText();
    }
    if (Arrays.asList(texts).contains(null)) {
      throw new IllegalStateException("unreachable: a choice index is missing");
    }
    return texts;
  }

  /** Requests sent (not answered from the cache). */
  public long requestsSent() {
    return transport.requests();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "CompletionsSampler{" + settings.model + "@" + settings.baseUrl + "}";
  }
}
