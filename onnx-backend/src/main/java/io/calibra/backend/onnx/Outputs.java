package io.calibra.backend.onnx;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelSet;

/** Turns a model's numbers into validated label scores, naming the model and prompt on failure. */
final class Outputs {
  private Outputs() {}

  static LabelScores scores(
      String modelId, int prompt, LabelSet labels, ScoreKind kind, double[] values) {
    try {
      return LabelScores.of(labels, kind, values);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "model "
              + modelId
              + " produced unusable scores for prompt "
              + prompt
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
