package io.calibra.examples;

import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.Calibrator;
import io.calibra.classifier.CalibratedClassifier;
import io.calibra.classifier.Prediction;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.SavedCalibrator;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Example 2: few-shot sentiment with the embedded all-MiniLM-L6-v2 model. Each label's prototype is
 * the mean embedding of four examples; the classifier is calibrated (contextual, then temperature
 * on a small dev set), abstains below 0.6 confidence, is saved to JSON, loaded back, and gives the
 * same probabilities.
 */
public final class FewShotSentiment {
  private FewShotSentiment() {}

  static final LabelSet LABELS = LabelSet.of("negative", "positive");
  static final Map<String, List<String>> EXAMPLES =
      Map.of(
          "negative",
              List.of(
                  "a dull, lifeless film",
                  "boring and far too long",
                  "the worst acting",
                  "a total mess"),
          "positive",
              List.of(
                  "a warm, funny film",
                  "beautifully acted",
                  "the best film this year",
                  "a real delight"));
  static final List<String> DEV =
      List.of(
          "charming and clever",
          "tedious from start to end",
          "a gripping story",
          "clumsy and loud",
          "i loved every minute",
          "i want my money back",
          "sharp writing",
          "flat jokes");
  // Gold labels by name (indices, as an int[], work too).
  static final List<String> DEV_GOLD =
      List.of(
          "positive",
          "negative",
          "positive",
          "negative",
          "positive",
          "negative",
          "positive",
          "negative");

  /** Runs the example, saving the calibration to {@code file}. */
  public static List<Prediction> run(Path file, PrintStream out) throws java.io.IOException {
    PromptTemplate plain = PromptTemplate.identity(LABELS);
    List<String> texts = List.of("an enchanting film", "what a waste of time", "it was a movie");
    try (Scorer scorer =
        OnnxScorers.encoder(ModelSource.embeddedMiniLm()).fewShot(EXAMPLES).build()) {
      CalibratedClassifier classifier =
          CalibratedClassifier.builder(scorer, plain)
              .contextual()
              .temperature(DEV, DEV_GOLD)
              .abstainBelow(0.6)
              .build();
      List<Prediction> before = classifier.classifyAll(texts);
      // Typed parameters: the temperature stage's T, without looking up names.
      for (Calibrator stage : classifier.calibrator().stages()) {
        if (stage instanceof Calibrator.Temperature t) {
          out.printf("%s stage: T = %.4f%n", stage.kind(), t.temperature());
        }
      }

      // The whole calibration: stages, label words, abstention policy, fingerprints.
      CalibratorFiles.save(classifier.calibration(), file);
      out.println("saved " + file + " (" + Files.size(file) + " bytes)");

      SavedCalibrator saved = CalibratorFiles.load(file);
      // Checked against this scorer's and template's fingerprints; the policy comes back too.
      CalibratedClassifier reloaded =
          CalibratedClassifier.builder(scorer, plain).calibration(saved).build();
      List<Prediction> after = reloaded.classifyAll(texts);
      for (int i = 0; i < texts.size(); i++) {
        Prediction p = after.get(i);
        out.printf(
            "%-24s %-8s P=%.3f%s  (same as before saving: %b)%n",
            '"' + texts.get(i) + '"',
            p.label(),
            p.confidence(),
            p.abstained() ? " abstains" : "",
            p.calibrated().equals(before.get(i).calibrated())
                && p.abstained() == before.get(i).abstained());
      }
      out.println("provenance: " + saved.provenance());
      return after;
    }
  }

  /** Entry point: {@code [file]}, default fewshot-calibration.json in the working folder. */
  public static void main(String[] args) throws java.io.IOException {
    run(Path.of(args.length > 0 ? args[0] : "fewshot-calibration.json"), System.out);
  }
}
