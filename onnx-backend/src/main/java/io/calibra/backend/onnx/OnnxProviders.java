package io.calibra.backend.onnx;

import io.calibra.backend.Scorer;
import io.calibra.backend.ScorerProvider;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ONNX backends as {@link ScorerProvider}s. Options (strings): {@code model-dir} (a folder with
 * model.onnx and tokenizer.json), {@code threads}, {@code batch-size}, {@code max-tokens}; the
 * encoder also takes {@code model} ({@code embedded-minilm}, the default, or {@code
 * embedded-minilm-int8}) and {@code scale}; the causal model {@code bos}; the masked model {@code
 * mask-token}. Unknown options and bad values are errors that name them.
 */
public final class OnnxProviders {
  private OnnxProviders() {}

  /** Reads options, remembering which were used so that the rest can be reported as unknown. */
  static final class Options {
    private final String backend;
    private final Map<String, String> values;
    private final Set<String> allowed = new TreeSet<>();

    Options(String backend, Map<String, String> values, String... allowed) {
      this.backend = backend;
      this.values = new HashMap<>(values);
      this.allowed.addAll(Set.of("model-dir", "threads", "batch-size", "max-tokens"));
      this.allowed.addAll(Set.of(allowed));
      for (String key : values.keySet()) {
        if (!this.allowed.contains(key)) {
          throw new IllegalArgumentException(
              "unknown option '"
                  + key
                  + "' for backend "
                  + backend
                  + "; expected one of "
                  + this.allowed);
        }
      }
    }

    String get(String key) {
      return values.get(key);
    }

    int integer(String key, int fallback) {
      String v = values.get(key);
      if (v == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "option " + key + " of backend " + backend + " is '" + v + "'; expected an integer", e);
      }
    }

    double number(String key, double fallback) {
      String v = values.get(key);
      if (v == null) {
        return fallback;
      }
      try {
        return Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "option " + key + " of backend " + backend + " is '" + v + "'; expected a number", e);
      }
    }

    ModelSource requiredModelDir() {
      String dir = values.get("model-dir");
      if (dir == null) {
        throw new IllegalArgumentException("backend " + backend + " needs the option model-dir");
      }
      return ModelSource.directory(Paths.get(dir));
    }

    <B extends OnnxScorers.Common<B>> B common(B builder) {
      builder.intraOpThreads(integer("threads", 0));
      builder.batchSize(integer("batch-size", builder.batchSize));
      builder.maxTokens(integer("max-tokens", builder.maxTokens));
      return builder;
    }
  }

  /** {@code onnx-encoder}: the sentence-encoder classifier. */
  public static final class Encoder implements ScorerProvider {
    @Override
    public String name() {
      return "onnx-encoder";
    }

    @Override
    public String description() {
      return "sentence encoder (embedded MiniLM by default): cosine to label descriptions / scale";
    }

    @Override
    public Scorer open(Map<String, String> options) {
      Options o = new Options(name(), options, "model", "scale");
      ModelSource source;
      String model = o.get("model");
      if (o.get("model-dir") != null) {
        if (model != null) {
          throw new IllegalArgumentException("give model-dir or model, not both");
        }
        source = o.requiredModelDir();
      } else if (model == null || model.equals("embedded-minilm")) {
        source = ModelSource.embeddedMiniLm();
      } else if (model.equals("embedded-minilm-int8")) {
        source = ModelSource.embeddedMiniLmInt8();
      } else {
        throw new IllegalArgumentException(
            "model '" + model + "' is unknown; expected embedded-minilm or embedded-minilm-int8");
      }
      return o.common(OnnxScorers.encoder(source))
          .scale(o.number("scale", OnnxScorers.DEFAULT_ENCODER_SCALE))
          .build();
    }
  }

  /** {@code onnx-causal}: a causal language model from {@code model-dir}. */
  public static final class Causal implements ScorerProvider {
    @Override
    public String name() {
      return "onnx-causal";
    }

    @Override
    public String description() {
      return "causal language model (Hugging Face ONNX export): label word log-probabilities";
    }

    @Override
    public Scorer open(Map<String, String> options) {
      Options o = new Options(name(), options, "bos");
      OnnxScorers.CausalBuilder b = o.common(OnnxScorers.causalLm(o.requiredModelDir()));
      if (o.get("bos") != null) {
        b.beginningOfSequence(o.get("bos"));
      }
      return b.build();
    }
  }

  /** {@code onnx-masked}: a masked language model from {@code model-dir}. */
  public static final class Masked implements ScorerProvider {
    @Override
    public String name() {
      return "onnx-masked";
    }

    @Override
    public String description() {
      return "masked language model: label word log-probabilities at the mask";
    }

    @Override
    public Scorer open(Map<String, String> options) {
      Options o = new Options(name(), options, "mask-token");
      OnnxScorers.MaskedBuilder b = o.common(OnnxScorers.maskedLm(o.requiredModelDir()));
      if (o.get("mask-token") != null) {
        b.maskToken(o.get("mask-token"));
      }
      return b.build();
    }
  }

  /** {@code onnx-classifier}: a sequence classifier from {@code model-dir}, labels by id2label. */
  public static final class Classifier implements ScorerProvider {
    @Override
    public String name() {
      return "onnx-classifier";
    }

    @Override
    public String description() {
      return "sequence classifier: logits mapped to labels by config.json id2label";
    }

    @Override
    public Scorer open(Map<String, String> options) {
      Options o = new Options(name(), options);
      return o.common(OnnxScorers.classifier(o.requiredModelDir())).build();
    }
  }
}
