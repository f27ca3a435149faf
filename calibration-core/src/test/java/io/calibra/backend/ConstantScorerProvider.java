package io.calibra.backend;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A test backend, registered through META-INF/services: every label scores the option "score". */
public final class ConstantScorerProvider implements ScorerProvider {
  @Override
  public String name() {
    return "constant";
  }

  @Override
  public String description() {
    return "test backend: every label gets the logit given by option 'score'";
  }

  @Override
  public Scorer open(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!key.equals("score")) {
        throw new IllegalArgumentException("unknown option '" + key + "'; expected [score]");
      }
    }
    double score = Double.parseDouble(options.getOrDefault("score", "0"));
    return new Scorer() {
      @Override
      public String modelId() {
        return "constant:" + score;
      }

      @Override
      public String fingerprint() {
        return "fingerprint:" + modelId();
      }

      @Override
      public ScoreKind kind() {
        return ScoreKind.LOGIT;
      }

      @Override
      public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
        List<LabelScores> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
          double[] s = new double[labels.size()];
          java.util.Arrays.fill(s, score);
          out.add(LabelScores.of(labels, ScoreKind.LOGIT, s));
        }
        return out;
      }
    };
  }
}
