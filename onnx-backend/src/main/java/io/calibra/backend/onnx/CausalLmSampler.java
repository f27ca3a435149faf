package io.calibra.backend.onnx;

import io.calibra.backend.TextSampler;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Ancestral sampling from a causal ONNX language model, for generative calibration: each token is
 * drawn from the model's full next-token distribution (softmax of the logits, temperature 1) with a
 * {@link Random} seeded by the caller; a continuation ends before the first occurrence of the stop
 * text, after {@code maxTokens} tokens, or when the model's context is full.
 *
 * <p>Reproducible: the same model, prompt, stop, limits, count and seed give the same texts, since
 * the draws come from one seeded stream in a fixed order and each step runs one unpadded sequence.
 * Built by {@link OnnxScorers.CausalBuilder#buildSampler()}; close it to release its session. Not
 * thread-safe: give each thread its own sampler.
 */
public final class CausalLmSampler implements TextSampler, AutoCloseable {
  private final String id;
  private final OnnxSession session;
  private final TextTokenizer tokenizer;
  private final SequenceRunner runner;
  private final int maxContext;
  private final long bosId;

  CausalLmSampler(
      String id, OnnxSession session, TextTokenizer tokenizer, int maxContext, String bosToken) {
    this.id = id;
    this.session = session;
    this.tokenizer = tokenizer;
    this.runner = new SequenceRunner(session, id);
    this.maxContext = maxContext;
    if (bosToken == null) {
      this.bosId = -1;
    } else {
      this.bosId = tokenizer.tokenId(bosToken);
      if (bosId < 0) {
        throw new IllegalArgumentException(
            "beginning-of-sequence token '"
                + bosToken
                + "' is not in tokenizer "
                + tokenizer.name());
      }
    }
  }

  @Override
  public List<String> sample(String prompt, String stop, int maxTokens, int count, long seed) {
    List<String> out = new ArrayList<>(count);
    for (Draw d : draws(prompt, stop, maxTokens, count, seed)) {
      out.add(d.text());
    }
    return out;
  }

  /**
   * One continuation: the token ids drawn (the last one holds the stop text, if it was met) and the
   * text returned for it.
   */
  record Draw(long[] ids, String text) {}

  /** The continuations of {@link #sample} with their token ids (for the Python reference test). */
  List<Draw> draws(String prompt, String stop, int maxTokens, int count, long seed) {
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
    long[] promptIds = tokenizer.idsWithoutSpecialTokens(prompt);
    if (bosId >= 0) {
      long[] withBos = new long[promptIds.length + 1];
      withBos[0] = bosId;
      System.arraycopy(promptIds, 0, withBos, 1, promptIds.length);
      promptIds = withBos;
    }
    if (promptIds.length == 0) {
      throw new IllegalArgumentException(
          "the prompt to sample from has no tokens; use a template or a beginning-of-sequence"
              + " token");
    }
    if (promptIds.length >= maxContext) {
      throw new IllegalArgumentException(
          "the prompt to sample from has "
              + promptIds.length
              + " tokens; model "
              + id
              + " takes at most "
              + maxContext
              + ", which leaves no room to sample");
    }
    boolean stopping = stop != null && !stop.isEmpty();
    Random random = new Random(seed);
    List<Draw> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long[] sequence = promptIds;
      String text = "";
      for (int t = 0; t < maxTokens && sequence.length < maxContext; t++) {
        long token = next(sequence, random.nextDouble());
        sequence = Arrays.copyOf(sequence, sequence.length + 1);
        sequence[sequence.length - 1] = token;
        text = tokenizer.decode(Arrays.copyOfRange(sequence, promptIds.length, sequence.length));
        if (stopping && text.contains(stop)) {
          text = text.substring(0, text.indexOf(stop));
          break;
        }
      }
      out.add(new Draw(Arrays.copyOfRange(sequence, promptIds.length, sequence.length), text));
    }
    return out;
  }

  private long next(long[] sequence, double u) {
    long[] token = new long[1];
    runner.run(
        List.of(sequence),
        1,
        SequenceRunner.TOKEN_LOGITS,
        (batch, logits, shape) -> {
          int vocabulary = (int) shape[2];
          int offset = (sequence.length - 1) * vocabulary;
          token[0] = draw(logits, offset, vocabulary, u);
        });
    return token[0];
  }

  /**
   * The token whose cumulative probability first reaches {@code u} times the total, under
   * softmax(logits[offset, offset + vocabulary)), computed in double with the maximum subtracted.
   * Tokens of probability zero are never drawn.
   *
   * @throws IllegalStateException if a logit is NaN or +infinity, or none is finite
   */
  static int draw(FloatBuffer logits, int offset, int vocabulary, double u) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocabulary; v++) {
      float l = logits.get(offset + v);
      if (Float.isNaN(l) || l == Float.POSITIVE_INFINITY) {
        throw new IllegalStateException(
            "the model gave logit " + l + " for token " + v + "; expected a finite value");
      }
      max = Math.max(max, l);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      throw new IllegalStateException("the model gave -Infinity for every token");
    }
    double total = 0;
    for (int v = 0; v < vocabulary; v++) {
      total += Math.exp(logits.get(offset + v) - max);
    }
    double target = u * total;
    double cumulative = 0;
    int last = -1;
    for (int v = 0; v < vocabulary; v++) {
      double p = Math.exp(logits.get(offset + v) - max);
      if (p > 0) {
        cumulative += p;
        last = v;
        if (cumulative > target) {
          return v;
        }
      }
    }
    return last;
  }

  @Override
  public void close() {
    try {
      tokenizer.close();
    } finally {
      session.close();
    }
  }
}
