package io.calibra.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ServiceLoader discovery, the classifier adapter and batching; values hand computed. */
class ScorersTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void providersAreFoundByName() {
    assertThat(Scorers.names()).contains("constant");
    try (Scorer s = Scorers.open("constant", Map.of("score", "2.5"))) {
      assertThat(s.modelId()).isEqualTo("constant:2.5");
      assertThat(s.score("x", AB).toArray()).containsExactly(2.5, 2.5);
      assertThat(s.score("x", AB).toDistribution().toArray()).containsExactly(0.5, 0.5);
    }
    assertThatThrownBy(() -> Scorers.open("nope", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no scorer backend named 'nope'")
        .hasMessageContaining("constant");
    assertThatThrownBy(() -> Scorers.open("constant", Map.of("x", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option 'x'");
  }

  @Test
  void classifierAdapterScoresInBatchesInOrder() {
    List<Integer> batchSizes = new ArrayList<>();
    Scorer base = Scorers.fromClassifier("len", ScoreKind.LOGIT, t -> new double[] {t.length(), 0});
    Scorer batched =
        new Scorer() {
          @Override
          public String modelId() {
            return base.modelId();
          }

          @Override
          public String fingerprint() {
            return "fingerprint:" + modelId();
          }

          @Override
          public ScoreKind kind() {
            return base.kind();
          }

          @Override
          public int maxBatchSize() {
            return 3;
          }

          @Override
          public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
            batchSizes.add(prompts.size());
            return base.scoreBatch(prompts, labels);
          }
        };
    List<String> prompts = List.of("", "a", "bb", "ccc", "dddd", "eeeee", "ffffff");
    List<LabelScores> scores = batched.scoreAll(prompts, AB);
    assertThat(batchSizes).containsExactly(3, 3, 1);
    for (int i = 0; i < prompts.size(); i++) {
      assertThat(scores.get(i).score(0)).isEqualTo(i);
    }
    // softmax(1, 0) = e / (e + 1)
    assertThat(scores.get(1).toDistribution().probability(0))
        .isCloseTo(Math.E / (Math.E + 1), within(1e-15));
  }

  @Test
  void classifierAdapterRejectsBadScoresNamingPromptAndLabel() {
    Scorer nan = Scorers.fromClassifier("nan", ScoreKind.LOGIT, t -> new double[] {0, Double.NaN});
    assertThatThrownBy(() -> nan.scoreBatch(List.of("fine", "the movie"), AB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prompt 0")
        .hasMessageContaining("\"fine\"")
        .hasMessageContaining("'b'")
        .hasMessageContaining("NaN");
    Scorer narrow = Scorers.fromClassifier("narrow", ScoreKind.LOGIT, t -> new double[] {0});
    assertThatThrownBy(() -> narrow.score("x", AB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2 values")
        .hasMessageContaining("found 1");
    Scorer inf =
        Scorers.fromClassifier(
            "inf", ScoreKind.LOG_PROBABILITY, t -> new double[] {0, Double.POSITIVE_INFINITY});
    assertThatThrownBy(() -> inf.score("x", AB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log-probability for label 'b'");
    Scorer lengthMismatch =
        new Scorer() {
          @Override
          public String modelId() {
            return "short";
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
            return List.of();
          }
        };
    assertThatThrownBy(() -> lengthMismatch.scoreAll(List.of("a"), AB))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned 0 results for a batch of 1");
  }

  @Test
  void labelScoresAreValueTypes() {
    LabelScores s = LabelScores.of(AB, ScoreKind.LOGIT, 0, Double.NEGATIVE_INFINITY);
    assertThat(s).isEqualTo(LabelScores.of(AB, ScoreKind.LOGIT, 0, Double.NEGATIVE_INFINITY));
    assertThat(s)
        .isNotEqualTo(LabelScores.of(AB, ScoreKind.LOG_PROBABILITY, 0, Double.NEGATIVE_INFINITY));
    assertThat(s.toDistribution().toArray()).containsExactly(1.0, 0.0);
    assertThat(s.toString()).contains("LOGIT").contains("-Infinity");
  }
}
