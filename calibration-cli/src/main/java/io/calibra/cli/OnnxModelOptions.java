package io.calibra.cli;

import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.cli.options.OptionValues;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of the local ONNX models, shared by every command that scores texts ({@code score},
 * {@code sensitivity}), and the one place that turns them into a model source and a scorer, so an
 * option means the same in each.
 */
final class OnnxModelOptions {
  @Option(
      names = "--scale",
      defaultValue = "0.05",
      converter = OptionValues.Scale.class,
      description = "Encoder cosine divisor (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--mask-token",
      defaultValue = "[MASK]",
      description = "Mask token of a masked model (default: ${DEFAULT-VALUE}).")
  String maskToken;

  @Option(
      names = "--batch-size",
      defaultValue = "16",
      converter = OptionValues.BatchSize.class,
      description = "Prompts per model run (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--quantized-batching",
      description =
          "Batch the prompts of a dynamically quantised model (such as embedded-minilm-int8)."
              + " By default each of its prompts runs on its own, because such a model quantises"
              + " over the whole batch: batched, a text's scores change with its batch neighbours,"
              + " the batch size and the input order (by up to 0.76 in logit difference on SST-2),"
              + " so they are not reproducible. Faster; no effect on other models.")
  boolean quantizedBatching;

  @Option(
      names = "--threads",
      defaultValue = "0",
      converter = OptionValues.Threads.class,
      description = "ONNX Runtime intra-op threads; 0 uses every core.")
  int threads;

  @Option(
      names = "--no-prefix-reuse",
      description =
          "Score every prompt whole. By default a causal model exported with past_key_values"
              + " computes the key/value cache of a prompt's fixed part (instruction,"
              + " demonstrations, input prefix) once and runs only the rest of each prompt: the"
              + " same scores (to 1e-4), faster.")
  boolean noPrefixReuse;

  /**
   * The encoder's model: {@code modelDir} when given, else the embedded MiniLM named by {@code
   * model} (null: fp32).
   *
   * @throws Main.UsageException for an unknown embedded model
   */
  static ModelSource encoderSource(Path modelDir, String model) {
    if (modelDir != null) {
      return ModelSource.directory(modelDir);
    }
    if (model == null || model.equals("embedded-minilm")) {
      return ModelSource.embeddedMiniLm();
    }
    if (model.equals("embedded-minilm-int8")) {
      return ModelSource.embeddedMiniLmInt8();
    }
    throw new Main.UsageException(
        "--model " + model + " is unknown; expected embedded-minilm or embedded-minilm-int8");
  }

  /** The encoder's builder with these options set. */
  OnnxScorers.EncoderBuilder encoder(ModelSource source) {
    return OnnxScorers.encoder(source)
        .scale(scale)
        .batchSize(batchSize)
        .quantizedBatching(quantizedBatching)
        .intraOpThreads(threads);
  }

  /**
   * Opens the causal, masked or classifier model in {@code modelDir} with these options.
   *
   * @throws Main.UsageException without {@code --model-dir}
   */
  Scorer openFolder(ScoreCommand.Backend backend, Path modelDir) {
    if (modelDir == null) {
      throw new Main.UsageException("--backend " + backend + " needs --model-dir");
    }
    ModelSource source = ModelSource.directory(modelDir);
    return switch (backend) {
      case causal ->
          OnnxScorers.causalLm(source)
              .prefixCacheBytes(
                  noPrefixReuse ? 0 : OnnxScorers.CausalBuilder.DEFAULT_PREFIX_CACHE_BYTES)
              .batchSize(batchSize)
              .quantizedBatching(quantizedBatching)
              .intraOpThreads(threads)
              .build();
      case masked ->
          OnnxScorers.maskedLm(source)
              .maskToken(maskToken)
              .batchSize(batchSize)
              .quantizedBatching(quantizedBatching)
              .intraOpThreads(threads)
              .build();
      case classifier ->
          OnnxScorers.classifier(source)
              .batchSize(batchSize)
              .quantizedBatching(quantizedBatching)
              .intraOpThreads(threads)
              .build();
      case encoder, openai, openai_chat ->
          throw new IllegalArgumentException(backend + " is not a model folder's backend");
    };
  }
}
