package io.calibra.backend.onnx;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A masked language model's label log-probabilities. The prompt holds exactly one mask token. A
 * label word of n tokens is scored by putting n mask tokens where the one was and adding each
 * token's log-probability at its own mask (full-vocabulary log-softmax, one model run per prompt
 * and word length: the tokens are predicted independently, the usual rule for masked models); a
 * label with several words adds their probabilities.
 */
final class MaskedLmScorer extends TokenizedScorer {
  private final SequenceRunner runner;
  private final String maskToken;
  private final long maskId;
  private final Map<LabelSet, long[][][]> wordIds = new ConcurrentHashMap<>();

  MaskedLmScorer(
      String id,
      OnnxSession session,
      TextTokenizer tokenizer,
      int batchSize,
      int maxTokens,
      String maskToken,
      String fingerprint) {
    super(id, session, tokenizer, batchSize, maxTokens, fingerprint);
    this.maskToken = maskToken;
    this.runner = new SequenceRunner(session, id);
    this.maskId = tokenizer.tokenId(maskToken);
    if (maskId < 0) {
      throw new IllegalArgumentException(
          "mask token '" + maskToken + "' is not in tokenizer " + tokenizer.name());
    }
  }

  @Override
  public ScoreKind kind() {
    return ScoreKind.LOG_PROBABILITY;
  }

  private record Query(int prompt, int maskAt, int masks, long[] sequence) {}

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    long[][][] words = wordIds.computeIfAbsent(labels, this::labelWordIds);
    TreeMap<Integer, Boolean> lengths = new TreeMap<>();
    for (long[][] label : words) {
      for (long[] word : label) {
        lengths.put(word.length, true);
      }
    }
    int n = prompts.size();
    List<Query> queries = new ArrayList<>();
    int[][] queryOf = new int[n][lengths.lastKey() + 1];
    for (int i = 0; i < n; i++) {
      String prompt = requirePrompt(prompts, i);
      long[] ids = tokenizer.encode(prompt).getIds();
      int at = -1;
      int count = 0;
      for (int t = 0; t < ids.length; t++) {
        if (ids[t] == maskId) {
          at = t;
          count++;
        }
      }
      if (count != 1) {
        throw new IllegalArgumentException(
            "prompt "
                + i
                + " holds "
                + count
                + " mask tokens "
                + maskToken
                + "; expected exactly one");
      }
      for (int len : lengths.keySet()) {
        if (ids.length + len - 1 > maxTokens) {
          throw new IllegalArgumentException(
              "prompt "
                  + i
                  + " has "
                  + ids.length
                  + " tokens, "
                  + (ids.length + len - 1)
                  + " with a "
                  + len
                  + "-token label word; model "
                  + id
                  + " takes at most "
                  + maxTokens);
        }
        long[] seq = new long[ids.length + len - 1];
        System.arraycopy(ids, 0, seq, 0, at);
        Arrays.fill(seq, at, at + len, maskId);
        System.arraycopy(ids, at + 1, seq, at + len, ids.length - at - 1);
        queryOf[i][len] = queries.size();
        queries.add(new Query(i, at, len, seq));
      }
    }
    List<long[]> sequences = new ArrayList<>();
    for (Query q : queries) {
      sequences.add(q.sequence());
    }
    double[][] perQuery = new double[queries.size()][];
    runner.run(
        sequences,
        batchSize,
        SequenceRunner.TOKEN_LOGITS,
        (batch, logits, shape) -> {
          int s = (int) shape[1];
          int vocabulary = (int) shape[2];
          for (int r = 0; r < batch.length; r++) {
            Query q = queries.get(batch[r]);
            double[] lse = new double[q.masks()];
            for (int j = 0; j < q.masks(); j++) {
              lse[j] =
                  LogSoftmax.logSumExp(logits, (r * s + q.maskAt() + j) * vocabulary, vocabulary);
            }
            double[] scores = new double[countWords(words, q.masks())];
            int index = 0;
            for (long[][] label : words) {
              for (long[] word : label) {
                if (word.length == q.masks()) {
                  double sum = 0;
                  for (int j = 0; j < word.length; j++) {
                    if (word[j] < 0 || word[j] >= vocabulary) {
                      throw new IllegalStateException(
                          "token id "
                              + word[j]
                              + " is outside model "
                              + id
                              + "'s vocabulary of "
                              + vocabulary);
                    }
                    sum +=
                        logits.get((r * s + q.maskAt() + j) * vocabulary + (int) word[j]) - lse[j];
                  }
                  scores[index++] = sum;
                }
              }
            }
            perQuery[batch[r]] = scores;
          }
        });
    List<LabelScores> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] labelScores = new double[words.length];
      int[] cursor = new int[lengths.lastKey() + 1];
      for (int k = 0; k < words.length; k++) {
        double total = Double.NEGATIVE_INFINITY;
        for (long[] word : words[k]) {
          double lp = perQuery[queryOf[i][word.length]][cursor[word.length]++];
          total = LogSoftmax.logAddExp(total, lp);
        }
        labelScores[k] = total;
      }
      out.add(Outputs.scores(id, i, labels, ScoreKind.LOG_PROBABILITY, labelScores));
    }
    return out;
  }

  private static int countWords(long[][][] words, int length) {
    int c = 0;
    for (long[][] label : words) {
      for (long[] word : label) {
        c += word.length == length ? 1 : 0;
      }
    }
    return c;
  }

  @Override
  public String toString() {
    return "MaskedLmScorer{" + id + ", mask=" + maskToken + "}";
  }
}
