package io.calibra.classifier;

import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic toy model shared by the classifier tests and the child JVM of the reload test.
 */
final class ToyModel {
  static final LabelSet LABELS =
      LabelSet.builder().add("negative", " bad", " awful").add("positive", " good").build();
  static final PromptTemplate TEMPLATE =
      PromptTemplate.builder(LABELS)
          .inputPrefix("Review: ")
          .inputAnswerSeparator("\n")
          .answerPrefix("Sentiment:")
          .build();

  private ToyModel() {}

  /** Counts "good" and "bad" in the text, with a positive bias and a little length noise. */
  static double[] scores(String prompt) {
    String text = prompt.substring("Review: ".length(), prompt.length() - "\nSentiment:".length());
    double good = text.split("good", -1).length - 1;
    double bad = text.split("bad", -1).length - 1;
    return new double[] {0.9 * bad + 0.01 * (text.length() % 7), 1.1 * good + 0.8};
  }

  static Scorer scorer(String id) {
    return Scorers.fromClassifier(id, ScoreKind.LOGIT, ToyModel::scores);
  }

  /** {@code n} texts with random counts of "good" and "bad"; gold is the majority (ties noisy). */
  static List<String> texts(int n, long seed, int[] gold) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int g = random.nextInt(6);
      int b = random.nextInt(6);
      out.add("good ".repeat(g) + "bad ".repeat(b) + "x".repeat(random.nextInt(9)) + " film");
      gold[i] = g == b ? random.nextInt(2) : g > b ? 1 : 0;
    }
    return out;
  }
}
