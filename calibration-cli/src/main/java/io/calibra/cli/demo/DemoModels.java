package io.calibra.cli.demo;

import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.cli.options.EmbeddedModel;

/** The embedded encoders as the demo runs and compares them. */
final class DemoModels {
  private DemoModels() {}

  /** {@code fp32} or {@code int8}. */
  static String precision(EmbeddedModel model) {
    return model == EmbeddedModel.MINILM_INT8 ? "int8" : "fp32";
  }

  /** The model the 8-bit against 32-bit study compares {@code model} with. */
  static EmbeddedModel other(EmbeddedModel model) {
    return model == EmbeddedModel.MINILM_INT8 ? EmbeddedModel.MINILM : EmbeddedModel.MINILM_INT8;
  }

  /**
   * The zero-shot encoder, its model on one intra-op thread and run on as many threads as there are
   * cores ({@link ParallelScorer}: the same scores for less CPU time).
   */
  static Scorer encoder(EmbeddedModel model) {
    return new ParallelScorer(
        OnnxScorers.encoder(model.source()).intraOpThreads(1).build(),
        Runtime.getRuntime().availableProcessors());
  }
}
