package io.calibra.backend.onnx;

import static io.calibra.backend.onnx.ExactFixtures.LABELS;
import static io.calibra.backend.onnx.ExactFixtures.id;
import static io.calibra.backend.onnx.ExactFixtures.logAddExp;
import static io.calibra.backend.onnx.ExactFixtures.logSoftmax;
import static io.calibra.backend.onnx.ExactFixtures.tokenRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exact label log-probabilities on the fixtures with known logits; expected values hand computed
 * from the fixtures' closed formulas (ExactFixtures).
 */
class ExactScorersTest {

  /** Causal: a label word's log-probability by the chain rule, words of a label added. */
  private static double[] causalExpected(int[] prompt, boolean withPosition) {
    int last = prompt[prompt.length - 1];
    int p = prompt.length;
    double[] first = tokenRow(last, p - 1, withPosition);
    double terrible = logSoftmax(first, id("terrible"));
    double bad = logSoftmax(first, id("bad"));
    double great = logSoftmax(first, id("great"));
    double veryGood =
        logSoftmax(first, id("very"))
            + logSoftmax(tokenRow(id("very"), p, withPosition), id("good"));
    return new double[] {logAddExp(terrible, bad), logAddExp(great, veryGood)};
  }

  @Test
  void causalLogProbabilitiesAreExactForMultiTokenLabels() {
    try (Scorer s = OnnxScorers.causalLm(ExactFixtures.source("causal-exact")).build()) {
      assertThat(s.kind()).isEqualTo(ScoreKind.LOG_PROBABILITY);
      List<LabelScores> out =
          s.scoreAll(
              List.of("review : the movie was", "movie", "the movie was very very ok"), LABELS);
      int[][] prompts = {
        {id("review"), id(":"), id("the"), id("movie"), id("was")},
        {id("movie")},
        {id("the"), id("movie"), id("was"), id("very"), id("very"), id("ok")}
      };
      for (int i = 0; i < prompts.length; i++) {
        assertThat(out.get(i).toArray())
            .as("prompt %d", i)
            .containsExactly(causalExpected(prompts[i], false), within(1e-5));
      }
    }
  }

  @Test
  void causalPositionIdsFollowEachRowUnderPadding() {
    try (Scorer s = OnnxScorers.causalLm(ExactFixtures.source("causal-position")).build()) {
      List<LabelScores> out = s.scoreAll(List.of("the movie was great good bad", "was"), LABELS);
      int[] longPrompt = {id("the"), id("movie"), id("was"), id("great"), id("good"), id("bad")};
      assertThat(out.get(0).toArray())
          .containsExactly(causalExpected(longPrompt, true), within(1e-5));
      assertThat(out.get(1).toArray())
          .containsExactly(causalExpected(new int[] {id("was")}, true), within(1e-5));
    }
  }

  @Test
  void maskedLogProbabilitiesUseOneMaskPerWordToken() {
    try (Scorer s = OnnxScorers.maskedLm(ExactFixtures.source("masked-exact")).build()) {
      LabelScores out = s.score("the movie was [MASK] ok", LABELS);
      int at = 3;
      double[] atMask = tokenRow(id("[MASK]"), at, true);
      double[] nextMask = tokenRow(id("[MASK]"), at + 1, true);
      double negative =
          logAddExp(logSoftmax(atMask, id("terrible")), logSoftmax(atMask, id("bad")));
      double positive =
          logAddExp(
              logSoftmax(atMask, id("great")),
              logSoftmax(atMask, id("very")) + logSoftmax(nextMask, id("good")));
      assertThat(out.toArray()).containsExactly(new double[] {negative, positive}, within(1e-5));
      assertThatThrownBy(() -> s.scoreAll(List.of("the [MASK]", "no mask here"), LABELS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prompt 1 holds 0 mask tokens [MASK]");
      assertThatThrownBy(() -> s.score("[MASK] [MASK]", LABELS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("holds 2 mask tokens");
    }
  }

  @Test
  void classifierLogitsAreMappedByConfigId2label() {
    LabelSet labels = LabelSet.of("positive", "negative");
    try (Scorer s = OnnxScorers.classifier(ExactFixtures.source("classifier-exact")).build()) {
      LabelScores out = s.score("the movie was great", labels);
      int[] ids = {id("the"), id("movie"), id("was"), id("great")};
      double[] expected = new double[2];
      int[] classOf = {2, 0}; // id2label: 0 negative, 1 neutral, 2 positive
      for (int k = 0; k < 2; k++) {
        double sum = 0;
        for (int t : ids) {
          sum += (float) ExactFixtures.e(t, classOf[k]);
        }
        expected[k] = sum / ids.length;
      }
      assertThat(out.toArray()).containsExactly(expected, within(1e-5));
      assertThat(out.kind()).isEqualTo(ScoreKind.LOGIT);
      assertThatThrownBy(() -> s.scoreAll(List.of("great", ""), labels))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prompt 1 has no tokens");
      assertThatThrownBy(() -> s.score("x", LabelSet.of("positive", "mixed")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("label 'mixed' is not among");
    }
    try (Scorer s =
        OnnxScorers.classifier(ExactFixtures.source("classifier-exact"))
            .classIndex(Map.of("good", 2, "bad", 0))
            .build()) {
      assertThat(s.score("great", LabelSet.of("bad", "good")).toArray())
          .containsExactly(
              new double[] {
                (float) ExactFixtures.e(id("great"), 0), (float) ExactFixtures.e(id("great"), 2)
              },
              within(1e-6));
    }
  }

  @Test
  void promptsOverTheContextAreRejected() {
    try (Scorer s =
        OnnxScorers.causalLm(ExactFixtures.source("causal-exact")).maxTokens(4).build()) {
      assertThatThrownBy(() -> s.scoreAll(List.of("movie", "review : the movie was"), LABELS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prompt 1 has 5 tokens")
          .hasMessageContaining("at most 4");
      assertThatThrownBy(() -> s.score("", LABELS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prompt 0 has no tokens");
    }
    try (Scorer s =
        OnnxScorers.causalLm(ExactFixtures.source("causal-exact"))
            .beginningOfSequence("<bos>")
            .build()) {
      // with a BOS the empty prompt scores the first word after <bos>
      assertThat(s.score("", LABELS).toArray())
          .containsExactly(causalExpected(new int[] {id("<bos>")}, false), within(1e-5));
    }
  }
}
