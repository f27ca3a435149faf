package io.calibra.examples;

import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.classifier.CalibratedClassifier;
import io.calibra.classifier.Prediction;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Example 3: a causal language model exported in the Hugging Face layout (a folder with model.onnx
 * and tokenizer.json), few-shot prompted, with contextual calibration. Run it with {@code
 * --model-dir DIR}; the test runs it on the committed random-weight GPT-2 fixture, whose
 * predictions mean nothing but whose plumbing is real.
 */
public final class CausalLmFromModelDir {
  private CausalLmFromModelDir() {}

  /** Runs the example on the model in {@code modelDir}. */
  public static List<Prediction> run(Path modelDir, PrintStream out) {
    LabelSet labels =
        LabelSet.builder().add("negative", " negative").add("positive", " positive").build();
    PromptTemplate template =
        PromptTemplate.builder(labels)
            .inputPrefix("Review: ")
            .inputAnswerSeparator("\n")
            .answerPrefix("Sentiment:")
            .demonstrationSeparator("\n\n")
            .demonstration("a gem of a film", "positive")
            .demonstration("dull and slow", "negative")
            .build();
    try (Scorer lm = OnnxScorers.causalLm(ModelSource.directory(modelDir)).build()) {
      CalibratedClassifier classifier =
          CalibratedClassifier.builder(lm, template).contextual().build();
      out.println("model " + lm.modelId() + ": " + classifier.calibrator());
      List<Prediction> predictions =
          classifier.classifyAll(List.of("a lovely film", "a boring film", "N/A"));
      for (Prediction p : predictions) {
        out.printf(
            "%-16s raw P(positive)=%.3f  calibrated P(positive)=%.3f%n",
            '"' + p.text() + '"',
            p.raw().probability("positive"),
            p.calibrated().probability("positive"));
      }
      return predictions;
    }
  }

  /** Entry point: {@code --model-dir DIR}. */
  public static void main(String[] args) {
    if (args.length != 2 || !args[0].equals("--model-dir")) {
      System.err.println(
          "usage: CausalLmFromModelDir --model-dir DIR   (a folder with model.onnx and tokenizer.json)");
      System.exit(2);
    }
    run(Path.of(args[1]), System.out);
  }
}
