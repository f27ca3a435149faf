package io.calibra.backend.onnx;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelSet;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A causal language model's label log-probabilities: a label word's score is the log-probability of
 * its tokens after the prompt, by the chain rule over a full-vocabulary log-softmax; a label with
 * several words adds their probabilities. Words are tokenized on their own, so a leading space
 * (GPT-2's {@code " positive"}) becomes part of the first token as the tokenizer does it.
 */
final class CausalLmScorer extends TokenizedScorer {
  private final SequenceRunner runner;
  private final long bosId;
  private final Map<LabelSet, long[][][]> wordIds = new ConcurrentHashMap<>();

  CausalLmScorer(
      String id,
      OnnxSession session,
      TextTokenizer tokenizer,
      int batchSize,
      int maxTokens,
      String bosToken,
      String fingerprint) {
    super(id, session, tokenizer, batchSize, maxTokens, fingerprint);
    this.runner = new SequenceRunner(session, id);
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
  public ScoreKind kind() {
    return ScoreKind.LOG_PROBABILITY;
  }

  @Override
  public int countTokens(String text) {
    return promptIds(text).length;
  }

  private long[] promptIds(String prompt) {
    long[] ids = tokenizer.idsWithoutSpecialTokens(prompt);
    if (bosId < 0) {
      return ids;
    }
    long[] withBos = new long[ids.length + 1];
    withBos[0] = bosId;
    System.arraycopy(ids, 0, withBos, 1, ids.length);
    return withBos;
  }

  /** One model input: a prompt, plus the leading tokens of a multi-token word. */
  private record Query(int prompt, int label, int word, long[] sequence) {}

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    long[][][] words = wordIds.computeIfAbsent(labels, this::labelWordIds);
    int n = prompts.size();
    long[][] promptIds = new long[n][];
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String prompt = requirePrompt(prompts, i);
      promptIds[i] = promptIds(prompt);
      if (promptIds[i].length == 0) {
        throw new IllegalArgumentException(
            "prompt "
                + i
                + " has no tokens, so the model has nothing to continue; use a template"
                + " or a beginning-of-sequence token");
      }
      boolean anySingle = false;
      for (int k = 0; k < words.length; k++) {
        for (int w = 0; w < words[k].length; w++) {
          long[] word = words[k][w];
          int total = promptIds[i].length + word.length - 1;
          if (total > maxTokens) {
            throw new IllegalArgumentException(
                "prompt "
                    + i
                    + " has "
                    + promptIds[i].length
                    + " tokens, "
                    + total
                    + " with label '"
                    + labels.name(k)
                    + "'; model "
                    + id
                    + " takes at most "
                    + maxTokens);
          }
          if (word.length == 1) {
            anySingle = true;
          } else {
            long[] seq = Arrays.copyOf(promptIds[i], total);
            System.arraycopy(word, 0, seq, promptIds[i].length, word.length - 1);
            queries.add(new Query(i, k, w, seq));
          }
        }
      }
      if (anySingle) {
        queries.add(new Query(i, -1, -1, promptIds[i]));
      }
    }
    double[][][] wordScores = new double[n][words.length][];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < words.length; k++) {
        wordScores[i][k] = new double[words[k].length];
      }
    }
    List<long[]> sequences = new ArrayList<>(queries.size());
    for (Query q : queries) {
      sequences.add(q.sequence());
    }
    runner.run(
        sequences,
        batchSize,
        SequenceRunner.TOKEN_LOGITS,
        (batch, logits, shape) -> {
          int s = (int) shape[1];
          int vocabulary = (int) shape[2];
          for (int r = 0; r < batch.length; r++) {
            Query q = queries.get(batch[r]);
            int p = promptIds[q.prompt()].length;
            if (q.label() < 0) {
              int offset = (r * s + p - 1) * vocabulary;
              double lse = LogSoftmax.logSumExp(logits, offset, vocabulary);
              for (int k = 0; k < words.length; k++) {
                for (int w = 0; w < words[k].length; w++) {
                  if (words[k][w].length == 1) {
                    wordScores[q.prompt()][k][w] =
                        tokenLogProb(logits, offset, lse, words[k][w][0], vocabulary);
                  }
                }
              }
            } else {
              long[] word = words[q.label()][q.word()];
              double sum = 0;
              for (int j = 0; j < word.length; j++) {
                int offset = (r * s + p - 1 + j) * vocabulary;
                sum +=
                    tokenLogProb(
                        logits,
                        offset,
                        LogSoftmax.logSumExp(logits, offset, vocabulary),
                        word[j],
                        vocabulary);
              }
              wordScores[q.prompt()][q.label()][q.word()] = sum;
            }
          }
        });
    List<LabelScores> out = new ArrayList<>(n);
    double[] scores = new double[words.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < words.length; k++) {
        double total = Double.NEGATIVE_INFINITY;
        for (double lp : wordScores[i][k]) {
          total = LogSoftmax.logAddExp(total, lp);
        }
        scores[k] = total;
      }
      out.add(Outputs.scores(id, i, labels, ScoreKind.LOG_PROBABILITY, scores));
    }
    return out;
  }

  private double tokenLogProb(
      FloatBuffer logits, int offset, double lse, long token, int vocabulary) {
    if (token < 0 || token >= vocabulary) {
      throw new IllegalStateException(
          "token id "
              + token
              + " is outside model "
              + id
              + "'s vocabulary of "
              + vocabulary
              + " (does the tokenizer belong to this model?)");
    }
    return logits.get(offset + (int) token) - lse;
  }
}
