package io.calibra.backend.onnx;

import io.calibra.backend.Fingerprint;
import io.calibra.backend.Scorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builders for the ONNX scorers. Each builder reads the model and tokenizer when {@code build()} is
 * called and fails there, with the file's name, if either is missing or broken.
 */
public final class OnnxScorers {
  /** The default cosine scale of the encoder: scores are {@code cos / 0.05}. */
  public static final double DEFAULT_ENCODER_SCALE = 0.05;

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

    Common(ModelSource source, int defaultMaxTokens) {
      this.source = Objects.requireNonNull(source, "source");
      this.maxTokens = defaultMaxTokens;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** ONNX Runtime intra-op threads; 0 (the default) lets it use every core. */
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

    /** Reads the model once, opens it and keeps its content hash for the fingerprint. */
    OnnxSession openSession() {
      byte[] model = source.readModel();
      OnnxSession session = OnnxSession.open(source.modelName(), model, intraOpThreads);
      modelSha256 = Fingerprint.sha256(model);
      return session;
    }

    /** Reads the tokenizer once, loads it and keeps its content hash for the fingerprint. */
    TextTokenizer openTokenizer() {
      byte[] json = source.readTokenizer();
      TextTokenizer tokenizer = TextTokenizer.load(source.tokenizerName(), json);
      tokenizerSha256 = Fingerprint.sha256(json);
      return tokenizer;
    }

    /**
     * The fingerprint fields every ONNX scorer shares: kind, model and tokenizer content hashes and
     * the length limit (call after {@link #openSession} and {@link #openTokenizer}). Batch size and
     * threads are left out: they change the order of work, not the scores.
     */
    Fingerprint fingerprint(String kind) {
      return Fingerprint.of(kind)
          .add("model_sha256", modelSha256)
          .add("tokenizer_sha256", tokenizerSha256)
          .add("max_tokens", maxTokens);
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
            source.id(), session, tokenizer, scale, batchSize, maxTokens, prototypes, fingerprint);
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
     * fingerprint: reuse does not change the scores. See {@link Scorer#withPromptPrefix}.
     */
    public CausalBuilder prefixCacheBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "prefix cache budget is " + bytes + " bytes; expected >= 0");
      }
      this.prefixCacheBytes = bytes;
      return this;
    }

    /** Opens the scorer; close it to release the session. */
    public Scorer build() {
      OnnxSession session = openSession();
      try {
        TextTokenizer tokenizer = openTokenizer();
        String fingerprint =
            fingerprint("onnx-causal-lm").add("beginning_of_sequence", bosToken).build();
        return new CausalLmScorer(
            source.id(),
            session,
            tokenizer,
            batchSize,
            maxTokens,
            bosToken,
            fingerprint,
            prefixCacheBytes);
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
            source.id(), session, tokenizer, batchSize, maxTokens, maskToken, fingerprint);
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
            source.id(), session, tokenizer, batchSize, maxTokens, mapping, fingerprint);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
  }
}
