package io.calibra.backend.onnx;

import io.calibra.backend.Fingerprint;
import io.calibra.backend.Scorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Builders for the ONNX scorers. Each builder reads the model and tokenizer when {@code build()} is
 * called and fails there, with the file's name, if either is missing or broken. A broken model or
 * tokenizer file (empty, truncated, not ONNX, not a tokenizer.json) is a {@link
 * io.calibra.io.DataFileException} naming it: bad data, as for any other input file.
 *
 * <pre>{@code
 * // the embedded sentence encoder: cosine to a description of each label
 * try (Scorer encoder = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
 *   LabelScores s = encoder.score("a charming film", descriptions);
 * }
 * // a causal LM exported from Hugging Face: a folder with model.onnx and tokenizer.json
 * try (Scorer lm = OnnxScorers.causalLm(ModelSource.directory(Path.of("gpt2-onnx"))).build()) {
 *   Calibrator contextual = ContextualCalibration.fit(lm, fewShotTemplate);
 * }
 * }</pre>
 */
public final class OnnxScorers {
  /** The default cosine scale of the encoder: scores are {@code cos / 0.05}. */
  public static final double DEFAULT_ENCODER_SCALE = 0.05;

  private static final System.Logger LOG = System.getLogger(OnnxScorers.class.getName());

  /** Content hashes of the quantised models already reported in this JVM (said once each). */
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

  private OnnxScorers() {}

  /** A sentence-encoder classifier over {@code source}. */
  public static EncoderBuilder encoder(ModelSource source) {
    return new EncoderBuilder(source);
  }

  /** A causal language model in the Hugging Face export layout over {@code source}. */
  public static CausalBuilder causalLm(ModelSource source) {
    return new CausalBuilder(source);
  }

  /** A masked language model over {@code source}. */
  public static MaskedBuilder maskedLm(ModelSource source) {
    return new MaskedBuilder(source);
  }

  /** A sequence classifier over {@code source}. */
  public static ClassifierBuilder classifier(ModelSource source) {
    return new ClassifierBuilder(source);
  }

  /** Settings shared by every builder. */
  abstract static class Common<B extends Common<B>> {
    final ModelSource source;
    int intraOpThreads = 0;
    int batchSize = 16;
    int maxTokens;
    boolean quantizedBatching = false;

    Common(ModelSource source, int defaultMaxTokens) {
      this.source = Objects.requireNonNull(source, "source");
      this.maxTokens = defaultMaxTokens;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /**
     * ONNX Runtime intra-op threads; 0 (the default) lets it use every core, or the count the
     * system property {@code calibra.onnx.intraOpThreads} gives when it is set.
     */
    public B intraOpThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("intra-op threads is " + threads + "; expected >= 0");
      }
      this.intraOpThreads = threads;
      return self();
    }

    /** Prompts per model run (default 16); prompts are sorted by length before batching. */
    public B batchSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("batch size is " + size + "; expected >= 1");
      }
      this.batchSize = size;
      return self();
    }

    /**
     * Whether a dynamically quantised model (one with {@code DynamicQuantizeLinear} nodes, such as
     * {@link ModelSource#embeddedMiniLmInt8()}) runs its prompts in batches (default {@code
     * false}).
     *
     * <p>Such a graph quantises activations with a scale computed over the whole batch tensor, so a
     * prompt's scores depend on which other prompts share its batch: on the int8 MiniLM the logit
     * difference of an SST-2 sentence moved by up to 0.76 (mean 0.135) between batch size 1 and 16.
     * By default calibra therefore runs each prompt of such a model on its own, and its scores are
     * bit-identical for every batch size, prompt order and thread count. {@code true} batches them
     * as {@link #batchSize} says: faster (see benchmarks/README.md), but <b>not reproducible</b>: a
     * prompt's scores then change with its batch neighbours, the batch size and the input order,
     * and a calibrator fitted on such scores does not fit the same texts scored another way. Models
     * without dynamic quantisation are always batched; this setting does not affect them.
     */
    public B quantizedBatching(boolean batched) {
      this.quantizedBatching = batched;
      return self();
    }

    /** The model's context length in tokens; longer prompts are an error. */
    public B maxTokens(int tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("max tokens is " + tokens + "; expected >= 1");
      }
      this.maxTokens = tokens;
      return self();
    }

    private String modelSha256;
    private String tokenizerSha256;
    private boolean dynamicallyQuantized;

    /**
     * Opens the model (a file by path, so that its external data is found and its weights stay out
     * of the Java heap), keeps its content hash for the fingerprint and looks for dynamic
     * quantisation in its graph.
     */
    OnnxSession openSession() {
      ModelLoading.Opened opened = ModelLoading.open(source, intraOpThreads);
      OnnxSession session = opened.session();
      try {
        modelSha256 = opened.sha256();
        Map<String, Integer> dynamic = ModelLoading.dynamicQuantization(opened.graph());
        dynamicallyQuantized = !dynamic.isEmpty();
        if (dynamicallyQuantized && REPORTED.add(modelSha256 + quantizedBatching)) {
          if (quantizedBatching) {
            LOG.log(
                System.Logger.Level.WARNING,
                "model "
                    + source.modelName()
                    + " is dynamically quantised ("
                    + dynamic
                    + ") and quantizedBatching (--quantized-batching on the command line) is on:"
                    + " its scores depend on which prompts share a"
                    + " batch");
          } else {
            LOG.log(
                System.Logger.Level.INFO,
                "model "
                    + source.modelName()
                    + " is dynamically quantised ("
                    + dynamic
                    + "): scoring each prompt on its own, so that its scores do not depend on its"
                    + " batch (quantizedBatching(true), or --quantized-batching on the command"
                    + " line, batches them, faster but not reproducible)");
          }
        }
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
      return session;
    }

    /**
     * Prompts per model run: 1 for a dynamically quantised model unless {@link #quantizedBatching}
     * is on, else {@link #batchSize} (call after {@link #openSession}).
     */
    int runBatchSize() {
      return reproducibleOnly() ? 1 : batchSize;
    }

    /**
     * Whether the model's scores depend on which tokens share a run (dynamic quantisation) and the
     * caller asked for reproducible scores (call after {@link #openSession}).
     */
    boolean reproducibleOnly() {
      return dynamicallyQuantized && !quantizedBatching;
    }

    /** Reads the tokenizer once, loads it and keeps its content hash for the fingerprint. */
    TextTokenizer openTokenizer() {
      byte[] json = source.readTokenizer();
      TextTokenizer tokenizer;
      try {
        tokenizer = TextTokenizer.load(source.tokenizerName(), json);
      } catch (IllegalArgumentException e) {
        throw source.badTokenizer(e);
      }
      tokenizerSha256 = Fingerprint.sha256(json);
      return tokenizer;
    }

    /**
     * The fingerprint fields every ONNX scorer shares: kind, model and tokenizer content hashes and
     * the length limit (call after {@link #openSession} and {@link #openTokenizer}). Batch size and
     * threads are left out: they change the order of work, not the scores. A dynamically quantised
     * model also records whether its prompts run alone or batched (whose scores depend on the
     * batch), so that scores of the two modes are not mistaken for each other.
     */
    Fingerprint fingerprint(String kind) {
      Fingerprint f =
          Fingerprint.of(kind)
              .add("model_sha256", modelSha256)
              .add("tokenizer_sha256", tokenizerSha256)
              .add("max_tokens", maxTokens);
      if (dynamicallyQuantized) {
        f.add(
            "dynamic_quantization",
            quantizedBatching
                ? "batched: scores depend on the batch"
                : "each prompt run on its own");
      }
      return f;
    }
  }

  /**
   * Builds the sentence-encoder classifier: {@code score_k = cos(embed(prompt), prototype_k) /
   * scale}. By default a label's prototype is the normalised mean embedding of its verbalizer
   * words, used as label descriptions (zero-shot); {@link #fewShot} replaces them with examples.
   */
  public static final class EncoderBuilder extends Common<EncoderBuilder> {
    private double scale = DEFAULT_ENCODER_SCALE;
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    private EncoderBuilder(ModelSource source) {
      super(source, 512);
    }

    /** The divisor of cosine similarities (default 0.05). */
    public EncoderBuilder scale(double value) {
      if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("scale is " + value + "; expected a finite value > 0");
      }
      this.scale = value;
      return this;
    }

    /**
     * Few-shot prototypes: each label's prototype becomes the normalised mean embedding of its
     * examples.
     */
    public EncoderBuilder fewShot(Map<String, List<String>> examplesByLabel) {
      examples.clear();
      examplesByLabel.forEach(
          (label, texts) -> examples.put(label, List.copyOf(new ArrayList<>(texts))));
      return this;
    }

    /** Opens the scorer; close it to release the session. */
    public Scorer build() {
      OnnxSession session = openSession();
      try {
        TextTokenizer tokenizer = openTokenizer();
        Map<String, List<String>> prototypes = Map.copyOf(examples);
        String fingerprint =
            fingerprint("onnx-encoder")
                .add("pooling", "mean under the attention mask, L2-normalised")
                .add("score", "cosine / scale")
                .add("scale", scale)
                .add(
                    "prototypes",
                    prototypes.isEmpty()
                        ? "zero-shot: the label set's verbalizer words as descriptions"
                        : "few-shot: examples per label")
                .addMap("examples", prototypes)
                .build();
        return new EncoderScorer(
            source.id(),
            session,
            tokenizer,
            scale,
            runBatchSize(),
            maxTokens,
            prototypes,
            fingerprint);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
  }

  /**
   * Builds a causal language-model scorer. Inputs {@code input_ids}, {@code attention_mask} and,
   * when the graph has them, {@code position_ids} and {@code past_key_values.*} (fed empty); output
   * {@code logits [batch, sequence, vocabulary]}. Default context: 1024 tokens.
   */
  public static final class CausalBuilder extends Common<CausalBuilder> {
    /** The default byte budget of the prompt-prefix key/value caches: 256 MiB. */
    public static final long DEFAULT_PREFIX_CACHE_BYTES = 256L << 20;

    private String bosToken;
    private long prefixCacheBytes = DEFAULT_PREFIX_CACHE_BYTES;
    private Consumer<String> notices;

    private CausalBuilder(ModelSource source) {
      super(source, 1024);
    }

    /** A token put before every prompt (such as {@code <|endoftext|>}); none by default. */
    public CausalBuilder beginningOfSequence(String token) {
      this.bosToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * The most bytes of prompt-prefix key/value caches kept (least recently used dropped first;
     * default {@link #DEFAULT_PREFIX_CACHE_BYTES}); 0 turns prefix reuse off. Left out of the
     * fingerprint: reuse does not change the scores. A dynamically quantised model (int8 exports of
     * {@code quantize_dynamic}) reuses no prefix unless {@link #quantizedBatching} is on: its
     * activations are scaled over each run, so a prompt scored in two runs (prefix, then the rest)
     * would not get the scores of one run. See {@link Scorer#withPromptPrefix}.
     */
    public CausalBuilder prefixCacheBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "prefix cache budget is " + bytes + " bytes; expected >= 0");
      }
      this.prefixCacheBytes = bytes;
      return this;
    }

    /**
     * Where the scorer also says its one-time notices about prefix reuse (each at most once per
     * scorer): that a prompt does not start with all of the prompt prefix's tokens (the prefix
     * tokenizes differently inside it), so less or none of the prefix's key/value cache is reused
     * and more of the prompt is run. They always go to the log at INFO; a command-line tool can
     * show them to the user here. Called from the scoring threads.
     */
    public CausalBuilder notices(Consumer<String> sink) {
      this.notices = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Opens the scorer; close it to release the session. */
    public Scorer build() {
      OnnxSession session = openSession();
      try {
        TextTokenizer tokenizer = openTokenizer();
        String fingerprint =
            fingerprint("onnx-causal-lm").add("beginning_of_sequence", bosToken).build();
        // A dynamically quantised graph scales a run's activations by their largest value, so a
        // prompt's suffix run on a cached prefix would not give the whole prompt's scores.
        return new CausalLmScorer(
            source.id(),
            session,
            tokenizer,
            runBatchSize(),
            maxTokens,
            bosToken,
            fingerprint,
            reproducibleOnly() ? 0 : prefixCacheBytes,
            notices,
            reproducibleOnly());
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }

    /**
     * Opens an ancestral sampler on the same model and tokenizer (its own session), for generative
     * calibration; close it to release the session. The context limit is this builder's.
     */
    public CausalLmSampler buildSampler() {
      OnnxSession session = openSession();
      try {
        return new CausalLmSampler(source.id(), session, openTokenizer(), maxTokens, bosToken);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
  }

  /**
   * Builds a masked language-model scorer: the prompt holds one mask token ({@code [MASK]} by
   * default). Default context: 512 tokens.
   */
  public static final class MaskedBuilder extends Common<MaskedBuilder> {
    private String maskToken = "[MASK]";

    private MaskedBuilder(ModelSource source) {
      super(source, 512);
    }

    /** The mask token, such as {@code <mask>} for RoBERTa. */
    public MaskedBuilder maskToken(String token) {
      this.maskToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /** Opens the scorer; close it to release the session. */
    public Scorer build() {
      OnnxSession session = openSession();
      try {
        TextTokenizer tokenizer = openTokenizer();
        String fingerprint = fingerprint("onnx-masked-lm").add("mask_token", maskToken).build();
        return new MaskedLmScorer(
            source.id(), session, tokenizer, runBatchSize(), maxTokens, maskToken, fingerprint);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
  }

  /**
   * Builds a sequence-classifier scorer: output {@code logits [batch, classes]}, mapped to labels
   * by {@link #classIndex} or by {@code config.json}'s {@code id2label}. Default context: 512
   * tokens.
   */
  public static final class ClassifierBuilder extends Common<ClassifierBuilder> {
    private final Map<String, Integer> classIndex = new LinkedHashMap<>();

    private ClassifierBuilder(ModelSource source) {
      super(source, 512);
    }

    /** Maps label names to the classifier's class indices, instead of config.json. */
    public ClassifierBuilder classIndex(Map<String, Integer> mapping) {
      classIndex.clear();
      classIndex.putAll(mapping);
      return this;
    }

    /**
     * Opens the scorer; close it to release the session.
     *
     * @throws IllegalArgumentException if there is neither a mapping nor a config.json with
     *     id2label
     */
    public Scorer build() {
      Map<String, Integer> mapping =
          classIndex.isEmpty() ? ModelConfig.id2label(source) : classIndex;
      OnnxSession session = openSession();
      try {
        TextTokenizer tokenizer = openTokenizer();
        String fingerprint =
            fingerprint("onnx-sequence-classifier").addMap("class_index", mapping).build();
        return new ClassifierScorer(
            source.id(), session, tokenizer, runBatchSize(), maxTokens, mapping, fingerprint);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
  }
}
