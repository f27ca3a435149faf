package io.calibra.backend.onnx;

import io.calibra.backend.Scorer;
import io.calibra.backend.TokenBudget;
import io.calibra.label.LabelSet;
import java.util.List;

/** What every ONNX scorer holds: a session, a tokenizer, batching and context limits. */
abstract class TokenizedScorer implements Scorer, TokenBudget {
  final String id;
  final OnnxSession session;
  final TextTokenizer tokenizer;
  final int batchSize;
  final int maxTokens;
  final String fingerprint;

  TokenizedScorer(
      String id,
      OnnxSession session,
      TextTokenizer tokenizer,
      int batchSize,
      int maxTokens,
      String fingerprint) {
    this.id = id;
    this.fingerprint = fingerprint;
    this.session = session;
    this.tokenizer = tokenizer;
    this.batchSize = batchSize;
    this.maxTokens = maxTokens;
  }

  @Override
  public String modelId() {
    return id;
  }

  /**
   * A hash of the model's and tokenizer's bytes, the scorer kind, the length limit and the kind's
   * own settings (computed by the builder when the files are read).
   */
  @Override
  public String fingerprint() {
    return fingerprint;
  }

  /** Large slices: the scorer sorts prompts by length and batches them itself. */
  @Override
  public int maxBatchSize() {
    return 256;
  }

  /** Tokens with the tokenizer's special tokens. */
  @Override
  public int countTokens(String text) {
    return tokenizer.encode(text).getIds().length;
  }

  @Override
  public int maxTokens() {
    return maxTokens;
  }

  /** The token ids of each label's words ({@code [label][word][token]}), without special tokens. */
  long[][][] labelWordIds(LabelSet labels) {
    long[][][] out = new long[labels.size()][][];
    for (int k = 0; k < labels.size(); k++) {
      List<String> words = labels.words(k);
      out[k] = new long[words.size()][];
      for (int w = 0; w < words.size(); w++) {
        out[k][w] = tokenizer.idsWithoutSpecialTokens(words.get(w));
        if (out[k][w].length == 0) {
          throw new IllegalArgumentException(
              "label '"
                  + labels.name(k)
                  + "' word \""
                  + words.get(w)
                  + "\" has no tokens in tokenizer "
                  + tokenizer.name());
        }
      }
    }
    return out;
  }

  /** Rejects a null prompt, naming it. */
  static String requirePrompt(List<String> prompts, int i) {
    String prompt = prompts.get(i);
    if (prompt == null) {
      throw new IllegalArgumentException("prompt " + i + " is null; expected a string");
    }
    return prompt;
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      tokenizer.close();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + id + "}";
  }
}
