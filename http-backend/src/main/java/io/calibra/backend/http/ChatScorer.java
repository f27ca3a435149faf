package io.calibra.backend.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Label log-probabilities from {@code /chat/completions}: the prompt is sent as one user message,
 * and a label's score is the log-probability of its first token among the first generated token's
 * {@code top_logprobs}.
 *
 * <p>A top token stands for a label word when, leading whitespace removed from both, it is a
 * non-empty prefix of the word; of those, the longest ones count (so {@code "positive"} and {@code
 * " positive"} both count for {@code " positive"}, a shorter {@code "pos"} does not), and a label
 * adds the probabilities of all tokens that stand for its words. A token that stands for two labels
 * is an error: the first token cannot tell them apart. A label with no such token is outside the
 * top k: it gets the bound {@code min(top_logprobs)}, and the row counts in {@link #boundedRows()}.
 */
final class ChatScorer extends AbstractHttpScorer {
  static final String PATH = "/chat/completions";

  private final int topLogprobs;

  ChatScorer(Settings settings, int topLogprobs) {
    super(settings);
    this.topLogprobs = topLogprobs;
  }

  @Override
  String endpointKind() {
    return "chat";
  }

  @Override
  String scoreSettings() {
    return "max_tokens=1;logprobs=true;top_logprobs=" + topLogprobs + ";temperature=0";
  }

  @Override
  public int maxBatchSize() {
    return settings.maxInFlight * 8;
  }

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    int n = prompts.size();
    LabelScores[] out = new LabelScores[n];
    List<Runnable> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String prompt = requirePrompt(prompts, i);
      int index = i;
      requests.add(() -> out[index] = request(index, prompt, labels));
    }
    runAll(requests);
    return List.of(out);
  }

  private String url() {
    return settings.baseUrl + PATH;
  }

  private LabelScores request(int index, String prompt, LabelSet labels) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", settings.model);
    ObjectNode message = body.putArray("messages").addObject();
    message.put("role", "user");
    message.put("content", prompt);
    body.put("max_tokens", 1);
    body.put("logprobs", true);
    body.put("top_logprobs", topLogprobs);
    body.put("temperature", 0);
    String what = "prompt " + index;
    Transport.Response response = transport.post(PATH, body, what);
    Scored scored = scores(response.json(), labels, what);
    transport.remember(response);
    if (scored.bounded()) {
      bounded.incrementAndGet();
    }
    return LabelScores.of(labels, ScoreKind.LOG_PROBABILITY, scored.scores());
  }

  /** A row's scores and whether any is a bound. */
  record Scored(double[] scores, boolean bounded) {}

  Scored scores(JsonNode response, LabelSet labels, String what) {
    JsonNode choices = response.get("choices");
    if (choices == null || !choices.isArray() || choices.size() != 1) {
      throw new IllegalStateException(
          "server "
              + url()
              + " returned "
              + (choices == null || !choices.isArray()
                  ? "no 'choices' array"
                  : choices.size() + " choices")
              + " for "
              + what
              + "; expected one choice");
    }
    JsonNode content = choices.get(0).path("logprobs").path("content");
    JsonNode top =
        content.isArray() && content.size() > 0 ? content.get(0).get("top_logprobs") : null;
    if (top == null || !top.isArray() || top.size() == 0) {
      throw new IllegalStateException(
          "server "
              + url()
              + " returned no logprobs.content[0].top_logprobs for "
              + what
              + "; does the model or server support 'logprobs' and 'top_logprobs' on the chat"
              + " API?");
    }
    int k = top.size();
    String[] tokens = new String[k];
    double[] logprobs = new double[k];
    double min = 0;
    for (int t = 0; t < k; t++) {
      JsonNode entry = top.get(t);
      JsonNode token = entry.get("token");
      JsonNode lp = entry.get("logprob");
      if (token == null
          || !token.isTextual()
          || lp == null
          || !lp.isNumber()
          || !(lp.asDouble() <= 1e-6)
          || lp.asDouble() == Double.NEGATIVE_INFINITY) {
        throw new IllegalStateException(
            "server "
                + url()
                + " returned top_logprobs entry "
                + t
                + " = "
                + entry
                + " for "
                + what
                + "; expected {\"token\": text, \"logprob\": a finite number <= 0}");
      }
      tokens[t] = token.asText();
      logprobs[t] = Math.min(0, lp.asDouble());
      min = Math.min(min, logprobs[t]);
    }
    int[] owner = new int[k];
    java.util.Arrays.fill(owner, -1);
    double[] scores = new double[labels.size()];
    boolean bounded = false;
    for (int label = 0; label < labels.size(); label++) {
      double total = Double.NEGATIVE_INFINITY;
      for (String word : labels.words(label)) {
        String target = word.stripLeading();
        int longest = 0;
        for (int t = 0; t < k; t++) {
          String s = tokens[t].stripLeading();
          if (!s.isEmpty() && target.startsWith(s)) {
            longest = Math.max(longest, s.length());
          }
        }
        if (longest == 0) {
          continue;
        }
        for (int t = 0; t < k; t++) {
          String s = tokens[t].stripLeading();
          if (s.length() == longest && target.startsWith(s)) {
            if (owner[t] >= 0 && owner[t] != label) {
              throw new IllegalStateException(
                  "labels '"
                      + labels.name(owner[t])
                      + "' and '"
                      + labels.name(label)
                      + "' both begin with token '"
                      + tokens[t]
                      + "' in the answer to "
                      + what
                      + ", so the chat scorer cannot tell them apart; choose label words that"
                      + " differ in their first token");
            }
            if (owner[t] != label) {
              owner[t] = label;
              total = CompletionsScorer.logAddExp(total, logprobs[t]);
            }
          }
        }
      }
      if (total == Double.NEGATIVE_INFINITY) {
        total = min;
        bounded = true;
      }
      scores[label] = total;
    }
    return new Scored(scores, bounded);
  }
}
