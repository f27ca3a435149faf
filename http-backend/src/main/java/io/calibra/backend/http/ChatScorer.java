package io.calibra.backend.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Label log-probabilities from {@code /chat/completions}: the prompt is sent as one user message,
 * and a label's score is the log-probability of its first token among the first generated token's
 * {@code top_logprobs}.
 *
 * <p>A top token stands for a label word when it is a prefix of the word exactly as written,
 * whitespace included, and holds more than whitespace; of those, only the longest counts (so for
 * {@code " positive"} the token {@code " positive"} counts, a shorter {@code " pos"} does not, and
 * {@code "positive"} does not spell it). A label adds the probabilities of the distinct tokens that
 * stand for its words, each once; labels whose tokens' probabilities add up to more than 1 are an
 * inconsistent answer and refused. A token that stands for two labels is an error: the first token
 * cannot tell them apart. A label with no such token is outside the top k: it gets the bound {@code
 * min(top_logprobs)}, the row counts in {@link #boundedRows()}, and a label missing for half the
 * prompts or more is reported by {@link #labelWarnings()}, with the word's variant with or without
 * its leading space when the answers held that instead.
 */
final class ChatScorer extends AbstractHttpScorer {
  static final String PATH = "/chat/completions";

  /** The bias put on the label tokens in the second request (the API's maximum). */
  static final int BIAS = 100;

  /** How far the biased answer may put a label found in the first answer from its value there. */
  static final double CONSISTENCY = 1e-3;

  private final int topLogprobs;
  private final LabelTokenizer tokenizer;
  private final Map<LabelSet, FirstTokens> firstTokens = new ConcurrentHashMap<>();
  private final Map<LabelSet, LabelCoverage> coverage = new ConcurrentHashMap<>();

  ChatScorer(Settings settings, int topLogprobs, LabelTokenizer tokenizer) {
    super(settings);
    this.topLogprobs = topLogprobs;
    this.tokenizer = tokenizer;
  }

  @Override
  String endpointKind() {
    return "chat";
  }

  @Override
  String scoreSettings() {
    return "max_tokens=1;logprobs=true;top_logprobs="
        + topLogprobs
        + ";temperature=0"
        + (tokenizer == null
            ? ""
            : ";logit_bias=" + BIAS + ";tokenizer=" + tokenizer.getClass().getName());
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

  private ObjectNode body(String prompt, FirstTokens bias) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", settings.model);
    ObjectNode message = body.putArray("messages").addObject();
    message.put("role", "user");
    message.put("content", prompt);
    body.put("max_tokens", 1);
    body.put("logprobs", true);
    body.put("top_logprobs", topLogprobs);
    body.put("temperature", 0);
    if (bias != null) {
      ObjectNode biases = body.putObject("logit_bias");
      for (long id : bias.ids()) {
        // a JSON decimal (100.0): some servers refuse the integer 100 with HTTP 500
        biases.put(Long.toString(id), (double) BIAS);
      }
    }
    return body;
  }

  private LabelScores request(int index, String prompt, LabelSet labels) {
    FirstTokens first =
        tokenizer == null ? null : firstTokens.computeIfAbsent(labels, this::firstTokens);
    String what = "prompt " + index;
    // a cached answer must also give scores (not only parse), or it is fetched again
    Transport.Response response =
        transport.post(
            PATH,
            body(prompt, null),
            what,
            json -> {
              Top parsed = top(json, what);
              if (first == null) {
                scores(parsed, labels, what, new LabelCoverage(labels));
              }
            });
    Top top = top(response.json(), what);
    Scored scored =
        first == null
            ? scores(top, labels, what, coverage.computeIfAbsent(labels, LabelCoverage::new))
            : biasedScores(prompt, top, first, labels, what);
    transport.remember(response);
    if (scored.bounded()) {
      bounded.incrementAndGet();
    }
    return LabelScores.of(labels, ScoreKind.LOG_PROBABILITY, scored.scores());
  }

  /** The distinct first tokens of the label words: ids, texts, and which belong to each label. */
  record FirstTokens(long[] ids, String[] texts, int[][] byLabel) {}

  private FirstTokens firstTokens(LabelSet labels) {
    List<Long> ids = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    int[][] byLabel = new int[labels.size()][];
    for (int label = 0; label < labels.size(); label++) {
      List<Integer> mine = new ArrayList<>();
      for (String word : labels.words(label)) {
        long[] encoded = tokenizer.encode(word);
        if (encoded.length == 0) {
          throw new IllegalArgumentException(
              "label word '" + word + "' of label '" + labels.name(label) + "' has no tokens");
        }
        int at = ids.indexOf(encoded[0]);
        if (at >= 0 && owners.get(at) != label) {
          throw new IllegalArgumentException(
              "labels '"
                  + labels.name(owners.get(at))
                  + "' and '"
                  + labels.name(label)
                  + "' both begin with token '"
                  + tokenizer.decode(encoded[0])
                  + "' (id "
                  + encoded[0]
                  + "), so the chat scorer cannot tell them apart; choose label words that"
                  + " differ in their first token");
        }
        if (at < 0) {
          ids.add(encoded[0]);
          owners.add(label);
          at = ids.size() - 1;
        }
        if (!mine.contains(at)) {
          mine.add(at);
        }
      }
      byLabel[label] = mine.stream().mapToInt(Integer::intValue).toArray();
    }
    if (ids.size() > topLogprobs) {
      throw new IllegalArgumentException(
          "the label words have "
              + ids.size()
              + " distinct first tokens but top_logprobs is "
              + topLogprobs
              + ", so the biased answer cannot list them all; raise top_logprobs or use fewer"
              + " words");
    }
    String[] texts = new String[ids.size()];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = tokenizer.decode(ids.get(i));
    }
    return new FirstTokens(ids.stream().mapToLong(Long::longValue).toArray(), texts, byLabel);
  }

  /** The log-probability of each first token in {@code top} (matched by exact text), or NaN. */
  private static double[] lookup(Top top, FirstTokens first) {
    double[] out = new double[first.ids().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Double.NaN;
      for (int t = 0; t < top.tokens().length; t++) {
        if (top.tokens()[t].equals(first.texts()[i])) {
          out[i] = top.logprobs()[t];
          break;
        }
      }
    }
    return out;
  }

  private Scored biasedScores(
      String prompt, Top top, FirstTokens first, LabelSet labels, String what) {
    double[] plain = lookup(top, first);
    double[] values = plain;
    boolean bounded = false;
    if (Arrays.stream(plain).anyMatch(Double::isNaN)) {
      String biasedWhat = what + " (with logit_bias)";
      Transport.Response response =
          transport.post(PATH, body(prompt, first), biasedWhat, json -> top(json, biasedWhat));
      double[] biased = lookup(top(response.json(), biasedWhat), first);
      for (int i = 0; i < biased.length; i++) {
        if (Double.isNaN(biased[i])) {
          throw new ServerException(
              "server "
                  + url()
                  + " left token '"
                  + first.texts()[i]
                  + "' (id "
                  + first.ids()[i]
                  + ") out of top_logprobs although logit_bias raised it by "
                  + BIAS
                  + " for "
                  + what
                  + "; the server ignores logit_bias, or the tokenizer is not the model's");
        }
      }
      int anchor = -1;
      for (int i = 0; i < plain.length; i++) {
        if (!Double.isNaN(plain[i]) && (anchor < 0 || plain[i] > plain[anchor])) {
          anchor = i;
        }
      }
      double shift;
      if (anchor >= 0) {
        shift = plain[anchor] - biased[anchor];
      } else {
        double max = Arrays.stream(biased).max().orElseThrow();
        shift = top.min() - max;
        bounded = true;
      }
      values = new double[biased.length];
      for (int i = 0; i < biased.length; i++) {
        values[i] = Math.min(0, biased[i] + shift);
        if (!Double.isNaN(plain[i]) && Math.abs(values[i] - plain[i]) > CONSISTENCY) {
          throw new ServerException(
              "server "
                  + url()
                  + " answered "
                  + what
                  + " with log-probabilities under logit_bias that do not differ by the same"
                  + " amount as without it (token '"
                  + first.texts()[i]
                  + "': "
                  + plain[i]
                  + " without, "
                  + values[i]
                  + " from the biased answer); it does not apply logit_bias before computing"
                  + " the log-probabilities it returns, so the logit_bias option is not valid"
                  + " with it");
        }
      }
      transport.remember(response);
    }
    double[] scores = new double[labels.size()];
    for (int label = 0; label < scores.length; label++) {
      double total = Double.NEGATIVE_INFINITY;
      for (int i : first.byLabel()[label]) {
        total = CompletionsScorer.logAddExp(total, values[i]);
      }
      scores[label] = total;
    }
    return new Scored(scores, bounded);
  }

  /** A row's scores and whether any is a bound. */
  record Scored(double[] scores, boolean bounded) {}

  /** The first generated token's top log-probabilities. */
  record Top(String[] tokens, double[] logprobs, double min) {}

  Top top(JsonNode response, String what) {
    JsonNode choices = response.get("choices");
    if (choices == null || !choices.isArray() || choices.size() != 1) {
      throw new ServerException(
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
      throw new ServerException(
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
      double lp = ServedLogProbability.of(entry.get("logprob"));
      if (token == null || !token.isTextual() || Double.isNaN(lp)) {
        throw new ServerException(
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
      logprobs[t] = lp;
      min = Math.min(min, logprobs[t]);
    }
    return new Top(tokens, logprobs, min);
  }

  /** Whether top token {@code token} stands for {@code word}: a prefix of it, not only space. */
  private static boolean spells(String token, String word) {
    return !token.isBlank() && word.startsWith(token);
  }

  Scored scores(Top top, LabelSet labels, String what, LabelCoverage seen) {
    String[] tokens = top.tokens();
    double[] logprobs = top.logprobs();
    int k = tokens.length;
    int[] owner = new int[k];
    Arrays.fill(owner, -1);
    double[] scores = new double[labels.size()];
    boolean bounded = false;
    double counted = 0;
    for (int label = 0; label < labels.size(); label++) {
      double total = Double.NEGATIVE_INFINITY;
      for (String word : labels.words(label)) {
        int longest = 0;
        for (int t = 0; t < k; t++) {
          if (spells(tokens[t], word)) {
            longest = Math.max(longest, tokens[t].length());
          }
        }
        for (int t = 0; t < k && longest > 0; t++) {
          if (tokens[t].length() == longest && spells(tokens[t], word)) {
            if (owner[t] >= 0 && owner[t] != label) {
              throw new ServerException(
                  "labels '"
                      + labels.name(owner[t])
                      + "' and '"
                      + labels.name(label)
                      + "' both begin with token '"
                      + tokens[t]
                      + "' in the answer to "
                      + what
                      + " from server "
                      + url()
                      + ", so the chat scorer cannot tell them apart; choose label words that"
                      + " differ in their first token");
            }
            if (owner[t] != label) {
              owner[t] = label;
              total = CompletionsScorer.logAddExp(total, logprobs[t]);
              counted += Math.exp(logprobs[t]);
            }
          }
        }
      }
      if (total == Double.NEGATIVE_INFINITY) {
        bounded = true;
        total = top.min();
        seen.absent(label, variantFound(tokens, labels.words(label)));
      }
      scores[label] = total;
    }
    seen.prompts.incrementAndGet();
    if (counted > 1 + ServedLogProbability.ROUNDING) {
      throw new ServerException(
          "server "
              + url()
              + " answered "
              + what
              + " with top_logprobs whose label tokens have probabilities adding up to "
              + counted
              + ", more than 1; the answer is inconsistent, so no label probability can be read"
              + " from it");
    }
    return new Scored(scores, bounded);
  }

  /**
   * The first of {@code words} whose variant with or without its leading space a top token spells
   * (that variant), or null.
   */
  private static String variantFound(String[] tokens, List<String> words) {
    for (String word : words) {
      String variant = variant(word);
      for (String token : tokens) {
        if (spells(token, variant)) {
          return variant;
        }
      }
    }
    return null;
  }

  /** {@code word} without its leading whitespace, or with a leading space if it has none. */
  static String variant(String word) {
    String stripped = word.stripLeading();
    return stripped.length() < word.length() ? stripped : " " + word;
  }

  @Override
  public List<String> labelWarnings() {
    List<String> out = new ArrayList<>();
    for (LabelCoverage c : coverage.values()) {
      out.addAll(c.warnings(url()));
    }
    return out;
  }
}
