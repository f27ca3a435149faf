package io.calibra.examples;

// region docs-logging-int8
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelSet;

/** Scores one text with the int8 encoder; its one note goes to standard error. */
public class Int8Note {
  public static void main(String[] args) {
    LabelSet labels = LabelSet.builder().add("negative", "bad").add("positive", "good").build();
    try (Scorer scorer = OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8()).build()) {
      System.out.println(scorer.score("a fine film", labels));
    }
  }
}
// endregion
