package io.calibra.cli;

import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.cli.options.Backend;
import io.calibra.cli.options.EmbeddedModel;
import io.calibra.cli.options.HelpSections;
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
      order = HelpSections.ADVANCED,
      paramLabel = "<divisor>",
      defaultValue = "0.05",
      converter = OptionValues.Scale.class,
      description = "Encoder cosine divisor (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--mask-token",
      order = HelpSections.ADVANCED,
      paramLabel = "<token>",
      defaultValue = "[MASK]",
      description = "A masked model's mask (default: ${DEFAULT-VALUE}).")
  String maskToken;

  @Option(
      names = "--batch-size",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      defaultValue = "16",
      converter = OptionValues.BatchSize.class,
      description = "Prompts per model run (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--quantized-batching",
      order = HelpSections.ADVANCED,
      description = "Batch int8 models (not reproducible).")
  boolean quantizedBatching;

  @Option(
      names = "--threads",
      order = HelpSections.ADVANCED,
      paramLabel = "<count>",
      defaultValue = "0",
      converter = OptionValues.Threads.class,
      description = "Threads, 0 for all cores (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--no-prefix-reuse",
      order = HelpSections.ADVANCED,
      description = "Score prompts whole (no prefix cache).")
  boolean noPrefixReuse;

  /**
   * The encoder's model: {@code modelDir} when given, else the embedded MiniLM named by {@code
   * model} (null: fp32).
   *
   * @throws io.calibra.cli.options.UsageException for an unknown embedded model
   */
  static ModelSource encoderSource(Path modelDir, String model) {
    if (modelDir != null) {
      return ModelSource.directory(modelDir);
    }
    // an unknown name is refused by the rules of ScorerOptions
    return model == null
        ? EmbeddedModel.MINILM.source()
        : EmbeddedModel.find(model).orElseThrow().source();
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
   * @param modelDir the folder, given (a rule of {@link ScorerOptions})
   */
  Scorer openFolder(Backend backend, Path modelDir) {
    ModelSource source = ModelSource.directory(modelDir);
    return switch (backend.name()) {
      case "causal" ->
          OnnxScorers.causalLm(source)
              .prefixCacheBytes(
                  noPrefixReuse ? 0 : OnnxScorers.CausalBuilder.DEFAULT_PREFIX_CACHE_BYTES)
              .batchSize(batchSize)
              .quantizedBatching(quantizedBatching)
              .intraOpThreads(threads)
              .build();
      case "masked" ->
          OnnxScorers.maskedLm(source)
              .maskToken(maskToken)
              .batchSize(batchSize)
              .quantizedBatching(quantizedBatching)
              .intraOpThreads(threads)
              .build();
      case "classifier" ->
          OnnxScorers.classifier(source)
              .batchSize(batchSize)
              .quantizedBatching(quantizedBatching)
              .intraOpThreads(threads)
              .build();
      default -> throw new IllegalArgumentException(backend + " is not a model folder's backend");
    };
  }
}
