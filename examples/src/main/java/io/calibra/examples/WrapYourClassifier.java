package io.calibra.examples;

import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.backend.TextClassifier;
import io.calibra.classifier.CalibratedClassifier;
import io.calibra.classifier.Prediction;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.io.PrintStream;
import java.util.List;

/**
 * Example 1: calibrate a classifier you already have. Any function from text to one score per label
 * becomes a {@link Scorer}; here, a keyword model written as a lambda and the same model as a
 * class. The keyword model leans towards "positive" on every input (its bias term), which
 * contextual calibration removes; temperature scaling then fixes its over-confidence on a small
 * labelled set.
 */
public final class WrapYourClassifier {
  private WrapYourClassifier() {}

  /** A classifier written as a class: counts positive and negative words, plus a bias. */
  static final class KeywordClassifier implements TextClassifier {
    @Override
    public double[] scores(String text) {
      double positive = 0.8;
      double negative = 0;
      for (String word : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
        switch (word) {
          case "great", "good", "wonderful", "moving", "fun" -> positive += 2;
          case "bad", "dull", "boring", "awful", "mess" -> negative += 2;
          default -> {}
        }
      }
      return new double[] {negative, positive};
    }
  }

  /** Labelled texts, some of which fool the keyword model ("not good at all"). */
  static final List<String> DEV =
      List.of(
          "a great film",
          "dull and boring",
          "a wonderful, moving story",
          "an awful mess",
          "good fun",
          "bad acting",
          "not good at all",
          "not bad at all",
          "great, if you like boring films",
          "a mess, but fun",
          "good actors, bad film",
          "a moving film",
          "boring",
          "wonderful");

  static final int[] DEV_GOLD = {1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1};

  /** Runs the example, printing to {@code out}. */
  public static void run(PrintStream out) {
    LabelSet labels = LabelSet.of("negative", "positive");
    PromptTemplate plain = PromptTemplate.identity(labels);

    // 1. a lambda
    Scorer lambda =
        Scorers.fromClassifier(
            "keywords-lambda", ScoreKind.LOGIT, text -> new KeywordClassifier().scores(text));
    // 2. a class
    Scorer object =
        Scorers.fromClassifier("keywords-class", ScoreKind.LOGIT, new KeywordClassifier());

    for (Scorer scorer : List.of(lambda, object)) {
      CalibratedClassifier classifier =
          CalibratedClassifier.builder(scorer, plain)
              .contextual()
              .temperature(DEV, DEV_GOLD)
              .build();
      out.println(scorer.modelId() + ": " + classifier.calibrator());
      for (String text : List.of("N/A", "a great film", "an awful film", "it was fine")) {
        Prediction p = classifier.classify(text);
        out.printf(
            "  %-16s raw P(positive)=%.3f  calibrated P(positive)=%.3f -> %s%n",
            '"' + text + '"',
            p.raw().probability("positive"),
            p.calibrated().probability("positive"),
            p.label());
      }
    }
  }

  /** Entry point. */
  public static void main(String[] args) {
    run(System.out);
  }
}
