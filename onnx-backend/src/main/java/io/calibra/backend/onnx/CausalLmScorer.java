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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A causal language model's label log-probabilities: a label word's score is the log-probability of
 * its tokens after the prompt, by the chain rule over a full-vocabulary log-softmax; a label with
 * several words adds their probabilities. Words are tokenized on their own, so a leading space
 * (GPT-2's {@code " positive"}) becomes part of the first token as the tokenizer does it.
 *
 * <p>For graphs with {@code past_key_values} inputs, {@link #withPromptPrefix} gives a view that
 * computes the key/value cache of a fixed prompt prefix once (kept in a least-recently-used cache
 * bounded in bytes) and runs only the rest of each prompt, and of each multi-token word, on top of
 * it. Token ids decide what is reused: a prompt reuses the cache of the longest run of leading
 * tokens it shares with the prefix, so a prefix whose last token merges with the input (GPT-2's
 * {@code "Review: "} + {@code "a"} gives {@code " a"}) reuses all but that token, and the scores
 * are those of the whole prompt.
 */
final class CausalLmScorer extends TokenizedScorer {
  private static final System.Logger LOG = System.getLogger(CausalLmScorer.class.getName());

  private final SequenceRunner runner;
  private final PrefixRunner prefixRunner;
  private final PrefixCache prefixCache;
  private final AtomicBoolean saidNoPast = new AtomicBoolean();
  private final AtomicBoolean saidMerged = new AtomicBoolean();
  private final AtomicBoolean saidFallback = new AtomicBoolean();
  private final long bosId;
  private final Map<LabelSet, long[][][]> wordIds = new ConcurrentHashMap<>();
  private final Consumer<String> notices;
  private final boolean exactRuns;

  /**
   * {@code exactRuns}: every prompt's single-token words and each multi-token word are read from a
   * run of exactly the tokens they need, for graphs whose scores depend on what else a run holds
   * (dynamic quantisation); otherwise the first multi-token word's run also gives the single-token
   * words.
   */
  CausalLmScorer(
      String id,
      OnnxSession session,
      TextTokenizer tokenizer,
      int batchSize,
      int maxTokens,
      String bosToken,
      String fingerprint,
      long prefixCacheBytes,
      Consumer<String> notices,
      boolean exactRuns) {
    super(id, session, tokenizer, batchSize, maxTokens, fingerprint);
    this.notices = notices;
    this.exactRuns = exactRuns;
    this.runner = new SequenceRunner(session, id);
    this.prefixRunner = prefixCacheBytes > 0 ? PrefixRunner.supports(session, id) : null;
    this.prefixCache = new PrefixCache(prefixCacheBytes);
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

  /**
   * A view that reuses the key/value cache of {@code prefix} across prompts when the graph takes
   * {@code past_key_values} (else this scorer, saying so once in the log at DEBUG: a diagnostic,
   * not a note for the user). Same scores and fingerprint.
   */
  @Override
  public io.calibra.backend.Scorer withPromptPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prompt prefix is null; expected a string");
    }
    if (prefixRunner == null) {
      if (!saidNoPast.getAndSet(true)) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "model "
                + id
                + " takes no past_key_values (or the prefix cache is off): scoring whole prompts");
      }
      return this;
    }
    return new PrefixedScorer(this, prefix);
  }

  /** The bytes of prefix caches held (for tests). */
  long prefixCacheBytes() {
    return prefixCache.bytes();
  }

  /**
   * One model input: a whole prompt, plus the leading tokens of a multi-token word ({@code label}
   * -1: none); {@code singles} if the single-token words are read from it too.
   */
  private record Query(int prompt, int label, int word, long[] sequence, boolean singles) {}

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    return scoreBatch(prompts, labels, null);
  }

  /** Scores {@code prompts}, reusing the key/value cache of {@code prefix} unless it is null. */
  List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels, String prefix) {
    long[][][] words = wordIds.computeIfAbsent(labels, this::labelWordIds);
    int n = prompts.size();
    long[][] promptIds = new long[n][];
    int[] past = new int[n];
    List<Query> queries = new ArrayList<>();
    List<Integer> prefixed = new ArrayList<>();
    PrefixRunner.Kv kv = null;
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
      if (prefix != null && n > 0) {
        if (kv == null) {
          kv = prefixCache.get(prefix, this::computePrefix);
        }
        past[i] = reusable(kv.ids(), promptIds[i]);
      }
      boolean anySingle = false;
      boolean carried = false;
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
          } else if (past[i] == 0) {
            long[] seq = Arrays.copyOf(promptIds[i], total);
            System.arraycopy(word, 0, seq, promptIds[i].length, word.length - 1);
            // The first word's run also gives the single-token words: one run fewer a prompt.
            queries.add(new Query(i, k, w, seq, !carried && !exactRuns));
            carried = !exactRuns;
          }
        }
      }
      if (past[i] > 0) {
        prefixed.add(i);
      } else if (anySingle && !carried) {
        queries.add(new Query(i, -1, -1, promptIds[i], true));
      }
    }
    double[][][] wordScores = new double[n][words.length][];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < words.length; k++) {
        wordScores[i][k] = new double[words[k].length];
      }
    }
    SequenceRunner.BatchConsumer consumer =
        (batch, logits, shape) -> {
          int s = (int) shape[1];
          int vocabulary = (int) shape[2];
          for (int r = 0; r < batch.length; r++) {
            Query q = queries.get(batch[r]);
            int p = promptIds[q.prompt()].length;
            if (q.singles()) {
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
            }
            if (q.label() >= 0) {
              long[] word = words[q.label()][q.word()];
              int before = r * s + p - 1;
              int offset = before * vocabulary;
              wordScores[q.prompt()][q.label()][q.word()] =
                  tokenLogProb(
                          logits,
                          offset,
                          LogSoftmax.logSumExp(logits, offset, vocabulary),
                          word[0],
                          vocabulary)
                      + laterTokens(logits, before, word, vocabulary);
            }
          }
        };
    List<long[]> whole = new ArrayList<>();
    for (Query q : queries) {
      whole.add(q.sequence());
    }
    if (!whole.isEmpty()) {
      runner.run(whole, batchSize, SequenceRunner.TOKEN_LOGITS, consumer);
    }
    if (!prefixed.isEmpty()) {
      scorePrefixed(prefixed, promptIds, past, kv, words, wordScores);
    }
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

  /**
   * Scores the prompts {@code prefixed} on top of the prefix's cache, in batches over the shared
   * cache: one run of each prompt's own tokens followed by the leading tokens of the first
   * multi-token word gives the single-token words, the first token of every word and that whole
   * word; each other multi-token word's leading tokens then run once per batch on that run's cache,
   * with the first word's tokens masked out.
   */
  private void scorePrefixed(
      List<Integer> prefixed,
      long[][] promptIds,
      int[] past,
      PrefixRunner.Kv kv,
      long[][][] words,
      double[][][] wordScores) {
    List<long[]> leading = new ArrayList<>();
    List<int[]> leadingWord = new ArrayList<>();
    for (int k = 0; k < words.length; k++) {
      for (int w = 0; w < words[k].length; w++) {
        if (words[k][w].length > 1) {
          leading.add(Arrays.copyOf(words[k][w], words[k][w].length - 1));
          leadingWord.add(new int[] {k, w});
        }
      }
    }
    long[] carried = leading.isEmpty() ? new long[0] : leading.get(0);
    List<long[]> rest = new ArrayList<>(prefixed.size());
    int[] pasts = new int[prefixed.size()];
    int[] own = new int[prefixed.size()];
    for (int j = 0; j < pasts.length; j++) {
      int i = prefixed.get(j);
      pasts[j] = past[i];
      own[j] = promptIds[i].length - past[i];
      long[] row = Arrays.copyOfRange(promptIds[i], past[i], promptIds[i].length + carried.length);
      System.arraycopy(carried, 0, row, own[j], carried.length);
      rest.add(row);
    }
    prefixRunner.run(
        rest,
        own,
        pasts,
        kv,
        batchSize,
        leading.isEmpty() ? List.of() : leading.subList(1, leading.size()),
        (batch, continuation, logits, shape) -> {
          int s = (int) shape[1];
          int vocabulary = (int) shape[2];
          for (int r = 0; r < batch.length; r++) {
            int i = prefixed.get(batch[r]);
            int last = r * s + own[batch[r]] - 1;
            if (continuation < 0) {
              int offset = last * vocabulary;
              double lse = LogSoftmax.logSumExp(logits, offset, vocabulary);
              for (int k = 0; k < words.length; k++) {
                for (int w = 0; w < words[k].length; w++) {
                  wordScores[i][k][w] =
                      tokenLogProb(logits, offset, lse, words[k][w][0], vocabulary);
                }
              }
              if (!leading.isEmpty()) {
                int[] kw = leadingWord.get(0);
                wordScores[i][kw[0]][kw[1]] +=
                    laterTokens(logits, last, words[kw[0]][kw[1]], vocabulary);
              }
            } else {
              int[] kw = leadingWord.get(continuation + 1);
              wordScores[i][kw[0]][kw[1]] +=
                  laterTokens(logits, r * s - 1, words[kw[0]][kw[1]], vocabulary);
            }
          }
        });
  }

  /**
   * The log-probability of {@code word}'s tokens after its first, whose logits are the rows after
   * {@code row} (the row of the token before the word's first).
   */
  private double laterTokens(FloatBuffer logits, int row, long[] word, int vocabulary) {
    double sum = 0;
    for (int j = 1; j < word.length; j++) {
      int offset = (row + j) * vocabulary;
      sum +=
          tokenLogProb(
              logits,
              offset,
              LogSoftmax.logSumExp(logits, offset, vocabulary),
              word[j],
              vocabulary);
    }
    return sum;
  }

  private PrefixRunner.Kv computePrefix(String prefix) {
    // Reuse is decided token by token, so a prefix longer than the context is cut to it.
    long[] ids = promptIds(prefix);
    return prefixRunner.prefix(Arrays.copyOf(ids, Math.min(ids.length, maxTokens)));
  }

  /**
   * How many leading tokens of {@code prompt} can come from the prefix's cache: the tokens it
   * shares with {@code prefix}, less one if that would leave nothing to run. 0 means the whole
   * prompt is run (said once in the log).
   */
  private int reusable(long[] prefix, long[] prompt) {
    int m = 0;
    int limit = Math.min(prefix.length, prompt.length - 1);
    while (m < limit && prefix[m] == prompt[m]) {
      m++;
    }
    if (m == 0) {
      if (prefix.length > 0 && !saidFallback.getAndSet(true)) {
        notice(
            "model "
                + id
                + ": a prompt does not start with the prompt prefix's tokens; scoring it whole");
      }
    } else if (m < prefix.length - 1 && m < prompt.length - 1 && !saidMerged.getAndSet(true)) {
      notice(
          "model "
              + id
              + ": a prompt shares only "
              + m
              + " of the prompt prefix's "
              + prefix.length
              + " tokens (the prefix tokenizes differently inside it); reusing those "
              + m);
    }
    return m;
  }

  /** Says {@code message} in the log and to the builder's notice sink, if any. */
  private void notice(String message) {
    LOG.log(System.Logger.Level.INFO, message);
    if (notices != null) {
      notices.accept(message);
    }
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
