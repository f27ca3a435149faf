package io.calibra.backend;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;

/** A {@link Scorer} over a user's {@link TextClassifier}. As thread-safe as the classifier. */
final class FunctionScorer implements Scorer {
  private final String modelId;
  private final ScoreKind kind;
  private final TextClassifier classifier;
  private final String fingerprint;

  FunctionScorer(String modelId, ScoreKind kind, TextClassifier classifier) {
    this.modelId = modelId;
    this.kind = kind;
    this.classifier = classifier;
    this.fingerprint =
        Fingerprint.of("function").add("model_id", modelId).add("kind", kind.name()).build();
  }

  /** A hash of the user's model id and the score kind: the id must name the configuration. */
  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public ScoreKind kind() {
    return kind;
  }

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    List<LabelScores> out = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      String prompt = prompts.get(i);
      if (prompt == null) {
        throw new IllegalArgumentException("prompt " + i + " is null; expected a string");
      }
      double[] scores = classifier.scores(prompt);
      try {
        out.add(LabelScores.of(labels, kind, scores));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "classifier "
                + modelId
                + " gave bad scores for prompt "
                + i
                + " ("
                + abbreviate(prompt)
                + "): "
                + e.getMessage(),
            e);
      }
    }
    return out;
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    String oneLine = s.replace('\n', ' ');
    return '"' + (oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine) + '"';
  }

  @Override
  public String toString() {
    return "FunctionScorer{" + modelId + ", " + kind + "}";
  }
}
