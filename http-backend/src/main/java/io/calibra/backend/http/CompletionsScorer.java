package io.calibra.backend.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exact label log-probabilities from {@code /completions} with {@code echo}: the server scores the
 * prompt followed by each label word, and a word's log-probability is the sum of the echoed {@code
 * token_logprobs} of the tokens between the end of the prompt and the end of the word. A label with
 * several words adds their probabilities. Responses that did not echo the prompt are refused.
 *
 * <p>A request carries up to {@code promptsPerRequest} texts as a JSON list; a single text goes as
 * a string. A server that answers a list with HTTP 400 (Hugging Face's {@code transformers serve}:
 * "prompt must be a string") gets one text per request from then on, with the same scores.
 */
final class CompletionsScorer extends AbstractHttpScorer {
  static final String PATH = "/completions";

  private final int promptsPerRequest;
  private final int maxTokens;
  private final AtomicBoolean singlePrompts;

  CompletionsScorer(Settings settings, int promptsPerRequest, int maxTokens) {
    super(settings);
    this.promptsPerRequest = promptsPerRequest;
    this.maxTokens = maxTokens;
    this.singlePrompts = new AtomicBoolean(promptsPerRequest == 1);
  }

  @Override
  String endpointKind() {
    return "completions";
  }

  @Override
  String scoreSettings() {
    return "max_tokens=" + maxTokens + ";echo=true;logprobs=0;temperature=0";
  }

  @Override
  public int maxBatchSize() {
    return Math.max(1, promptsPerRequest * settings.maxInFlight);
  }

  /** One text sent: prompt {@code prompt} followed by word {@code word} of label {@code label}. */
  private record Item(int prompt, int label, int word, String promptText, String wordText) {}

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    int n = prompts.size();
    List<Item> items = new ArrayList<>();
    double[][][] wordScores = new double[n][labels.size()][];
    for (int i = 0; i < n; i++) {
      String prompt = requirePrompt(prompts, i);
      for (int k = 0; k < labels.size(); k++) {
        List<String> words = labels.words(k);
        wordScores[i][k] = new double[words.size()];
        for (int w = 0; w < words.size(); w++) {
          items.add(new Item(i, k, w, prompt, words.get(w)));
        }
      }
    }
    List<Runnable> requests = new ArrayList<>();
    for (int start = 0; start < items.size(); start += promptsPerRequest) {
      List<Item> chunk = items.subList(start, Math.min(items.size(), start + promptsPerRequest));
      requests.add(() -> request(chunk, wordScores));
    }
    runAll(requests);
    List<LabelScores> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] scores = new double[labels.size()];
      for (int k = 0; k < labels.size(); k++) {
        double total = Double.NEGATIVE_INFINITY;
        for (double lp : wordScores[i][k]) {
          total = logAddExp(total, lp);
        }
        scores[k] = total;
      }
      out.add(LabelScores.of(labels, ScoreKind.LOG_PROBABILITY, scores));
    }
    return out;
  }

  static double logAddExp(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double m = Math.max(a, b);
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  }

  private void request(List<Item> chunk, double[][][] wordScores) {
    if (chunk.size() > 1 && !singlePrompts.get()) {
      try {
        send(chunk, wordScores);
        return;
      } catch (Transport.HttpStatusException e) {
        if (e.status != 400) {
          throw e;
        }
        if (singlePrompts.compareAndSet(false, true)) {
          settings.notices.accept(
              "server "
                  + url()
                  + " refused a list of prompts (HTTP 400: "
                  + e.serverMessage
                  + "); sending one prompt per request from now on (the same scores;"
                  + " --prompts-per-request 1 does so from the start)");
        }
      }
    }
    for (Item item : chunk) {
      send(List.of(item), wordScores);
    }
  }

  /** One request for {@code chunk}: the prompt as a string for one text, else as a list. */
  private void send(List<Item> chunk, double[][][] wordScores) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", settings.model);
    if (chunk.size() == 1) {
      body.put("prompt", chunk.get(0).promptText() + chunk.get(0).wordText());
    } else {
      ArrayNode texts = body.putArray("prompt");
      for (Item item : chunk) {
        texts.add(item.promptText() + item.wordText());
      }
    }
    body.put("max_tokens", maxTokens);
    body.put("echo", true);
    body.put("logprobs", 0);
    body.put("temperature", 0);
    String what = describe(chunk);
    Transport.Response response =
        transport.post(PATH, body, what, json -> parse(json, chunk, what));
    double[] scores = parse(response.json(), chunk, what);
    transport.remember(response);
    for (int j = 0; j < chunk.size(); j++) {
      Item item = chunk.get(j);
      wordScores[item.prompt()][item.label()][item.word()] = scores[j];
    }
  }

  private static String describe(List<Item> chunk) {
    int first = chunk.get(0).prompt();
    int last = chunk.get(chunk.size() - 1).prompt();
    return first == last ? "prompt " + first : "prompts " + first + "-" + last;
  }

  private String url() {
    return settings.baseUrl + PATH;
  }

  /** The word log-probability of each item, from a response; checks every choice. */
  double[] parse(JsonNode response, List<Item> chunk, String what) {
    JsonNode choices = response.get("choices");
    if (choices == null || !choices.isArray()) {
      throw new ServerException(
          "server " + url() + " answered " + what + " without a 'choices' array");
    }
    if (choices.size() != chunk.size()) {
      throw new ServerException(
          "server "
              + url()
              + " returned "
              + choices.size()
              + " choices for "
              + chunk.size()
              + " prompts ("
              + what
              + "); expected one choice per prompt");
    }
    double[] out = new double[chunk.size()];
    boolean[] seen = new boolean[chunk.size()];
    for (JsonNode choice : choices) {
      JsonNode indexNode = choice.get("index");
      if (indexNode == null || !indexNode.canConvertToInt()) {
        throw new ServerException(
            "server " + url() + " returned a choice without an 'index' for " + what);
      }
      int index = indexNode.asInt();
      if (index < 0 || index >= chunk.size() || seen[index]) {
        throw new ServerException(
            "server "
                + url()
                + " returned choice index "
                + index
                + (index >= 0 && index < chunk.size() ? " twice" : "")
                + " for "
                + chunk.size()
                + " prompts ("
                + what
                + "); expected each of 0.."
                + (chunk.size() - 1)
                + " once");
      }
      seen[index] = true;
      out[index] = wordLogProbability(choice, chunk.get(index));
    }
    return out;
  }

  private double wordLogProbability(JsonNode choice, Item item) {
    String prompt = item.promptText();
    String word = item.wordText();
    String text = prompt + word;
    String where = "prompt " + item.prompt() + " with label word '" + word + "'";
    JsonNode logprobs = choice.get("logprobs");
    JsonNode tokens = logprobs == null ? null : logprobs.get("tokens");
    JsonNode values = logprobs == null ? null : logprobs.get("token_logprobs");
    JsonNode offsets = logprobs == null ? null : logprobs.get("text_offset");
    if (tokens == null
        || values == null
        || offsets == null
        || !tokens.isArray()
        || !values.isArray()
        || !offsets.isArray()) {
      throw new ServerException(
          "server "
              + url()
              + " returned no logprobs (tokens, token_logprobs, text_offset) for "
              + where
              + "; does it support 'logprobs' and 'echo' on the completions API? If not, use"
              + " --backend openai-chat");
    }
    int count = tokens.size();
    if (values.size() != count || offsets.size() != count) {
      throw new ServerException(
          "server "
              + url()
              + " returned "
              + count
              + " tokens, "
              + values.size()
              + " token_logprobs and "
              + offsets.size()
              + " text_offsets for "
              + where
              + "; expected the same number");
    }
    // the echo check: the tokens spell the sent text from offset 0, the first has no log-prob
    int end = text.codePointCount(0, text.length());
    int wordStart = prompt.codePointCount(0, prompt.length());
    if (count == 0
        || !offsets.get(0).canConvertToInt()
        || offsets.get(0).asInt() != 0
        || !values.get(0).isNull()) {
      throw notEchoed(where, count == 0 ? "no tokens" : describeToken(tokens, values, offsets, 0));
    }
    // a beginning-of-sequence token the server puts first takes no text: by its own offsets the
    // next token starts at 0 too; it is skipped (it precedes the prompt, so no word sum has it)
    int firstText = 0;
    while (firstText + 1 < count
        && offsets.get(firstText + 1).canConvertToInt()
        && offsets.get(firstText + 1).asInt() == 0) {
      firstText++;
    }
    int position = 0;
    int charIndex = 0;
    double sum = 0;
    int inWord = 0;
    for (int j = firstText; j < count && position < end; j++) {
      if (!tokens.get(j).isTextual()
          || !offsets.get(j).canConvertToInt()
          || offsets.get(j).asInt() != position) {
        throw notEchoed(
            where,
            describeToken(tokens, values, offsets, j)
                + " where the tokens so far end at character "
                + position);
      }
      String token = tokens.get(j).asText();
      int length = token.codePointCount(0, token.length());
      String rest = text.substring(charIndex);
      boolean pastEnd = token.length() > rest.length();
      if (length == 0 || !(pastEnd ? token.startsWith(rest) : text.startsWith(token, charIndex))) {
        throw notEchoed(
            where,
            describeToken(tokens, values, offsets, j)
                + " where the sent text has '"
                + shorten(rest)
                + "'");
      }
      int next = position + length;
      if (position < wordStart && next > wordStart) {
        throw straddles(where, token, position, "end of the prompt", wordStart);
      }
      if (pastEnd) {
        throw straddles(where, token, position, "end of the label word", end);
      }
      if (position >= wordStart) {
        JsonNode v = values.get(j);
        if (v.isNull()) {
          throw new ServerException(
              "server "
                  + url()
                  + " gave no log-probability for token '"
                  + token
                  + "' of "
                  + where
                  + " (the prompt is empty, so the word's first token has no context); use a"
                  + " template or a non-empty prompt");
        }
        double lp = ServedLogProbability.of(v);
        if (Double.isNaN(lp)) {
          throw new ServerException(
              "server "
                  + url()
                  + " gave log-probability "
                  + v
                  + " for token '"
                  + token
                  + "' of "
                  + where
                  + "; "
                  + ServedLogProbability.EXPECTED);
        }
        sum += lp;
        inWord++;
      }
      position = next;
      charIndex += token.length();
    }
    if (position < end) {
      throw notEchoed(
          where, "the tokens end at character " + position + " of the " + end + " characters sent");
    }
    if (inWord == 0) {
      throw new ServerException(
          "server " + url() + " returned no tokens for the label word of " + where);
    }
    return sum;
  }

  private static String describeToken(JsonNode tokens, JsonNode values, JsonNode offsets, int j) {
    return "token "
        + j
        + " is "
        + tokens.get(j)
        + " at text_offset "
        + offsets.get(j)
        + " with log-probability "
        + values.get(j);
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private IllegalStateException straddles(
      String where, String token, int position, String boundary, int at) {
    return new ServerException(
        "server "
            + url()
            + " returned token '"
            + token
            + "' at character "
            + position
            + " that straddles the "
            + boundary
            + " (character "
            + at
            + ") of "
            + where
            + ", so the word's log-probability is not a sum of whole tokens; change the label"
            + " word (words should carry their leading space) or the template's ending");
  }

  private IllegalStateException notEchoed(String where, String detail) {
    return new ServerException(
        "server "
            + url()
            + " did not echo the prompt for "
            + where
            + " ("
            + detail
            + "): it ignores 'echo' and returns log-probabilities of generated tokens only (as"
            + " llama.cpp's server does), so scores from it would be meaningless; use --backend"
            + " openai-chat (OpenAiScorers.chat) with this server");
  }
}
