package io.calibra.backend.onnx;

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

    OnnxSession openSession() {
      return OnnxSession.open(source.modelName(), source.readModel(), intraOpThreads);
    }

    TextTokenizer openTokenizer() {
      return TextTokenizer.load(source.tokenizerName(), source.readTokenizer());
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
        return new EncoderScorer(
            source.id(),
            session,
            openTokenizer(),
            scale,
            batchSize,
            maxTokens,
            Map.copyOf(examples));
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
    private String bosToken;

    private CausalBuilder(ModelSource source) {
      super(source, 1024);
    }

    /** A token put before every prompt (such as {@code <|endoftext|>}); none by default. */
    public CausalBuilder beginningOfSequence(String token) {
      this.bosToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /** Opens the scorer; close it to release the session. */
    public Scorer build() {
      OnnxSession session = openSession();
      try {
        return new CausalLmScorer(
            source.id(), session, openTokenizer(), batchSize, maxTokens, bosToken);
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
        return new MaskedLmScorer(
            source.id(), session, openTokenizer(), batchSize, maxTokens, maskToken);
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
        return new ClassifierScorer(
            source.id(), session, openTokenizer(), batchSize, maxTokens, mapping);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
  }
}
