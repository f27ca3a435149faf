package io.calibra.examples;

// region readme-quickstart
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.backend.TextClassifier;
import io.calibra.classifier.CalibratedClassifier;
import io.calibra.classifier.Prediction;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.List;

/** The README's quick start: wrap a classifier you have, calibrate it, classify. */
final class QuickStart {
  static Prediction quickStart(
      TextClassifier myModel, List<String> devTexts, List<String> devGold) {
    LabelSet labels = LabelSet.of("negative", "positive");
    Scorer scorer = Scorers.fromClassifier("my-model-v1", ScoreKind.LOGIT, myModel);
    CalibratedClassifier classifier =
        CalibratedClassifier.builder(scorer, PromptTemplate.identity(labels))
            .contextual() // divides out the bias the model shows on "N/A", "", "[MASK]"
            .temperature(devTexts, devGold) // fits its confidence on labelled dev rows
            .abstainBelow(0.8) // holds back answers it is less than 80% sure of
            .build();
    return classifier.classify("a charming story"); // label(), confidence(), abstained()
  }
}
// endregion
