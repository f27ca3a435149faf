package io.calibra.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorers;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One rule for log-probabilities at every core entry point (label distributions, scorer output,
 * score files): each value at most 0, {@code -Infinity} allowed, rounding up to 1e-6 above 0 read
 * as 0, anything larger (and NaN) rejected naming the label and value.
 */
class LogProbabilityRuleTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 1.0000001e-6, 3.0, Double.POSITIVE_INFINITY, Double.NaN})
  void aDistributionRejectsAValueThatIsNotALogProbability(double v) {
    assertThatThrownBy(() -> LabelDistribution.ofLogProbabilities(AB, -1.0, v))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log-probability for label 'b' (index 1) is " + v)
        .hasMessageContaining("expected a value <= 0");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 2.0})
  void scoresOfLogProbabilityKindRejectAPositiveValueWhileLogitsAcceptIt(double v) {
    assertThatThrownBy(() -> LabelScores.of(AB, ScoreKind.LOG_PROBABILITY, v, -1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log-probability for label 'a' (index 0) is " + v);
    assertThat(LabelScores.of(AB, ScoreKind.LOGIT, v, -1.0).score(0)).isEqualTo(v);
  }

  @Test
  void aScorerOfLogProbabilityKindThatReturnsAPositiveValueFails() {
    var scorer =
        Scorers.fromClassifier("m", ScoreKind.LOG_PROBABILITY, prompt -> new double[] {0.5, -1});
    assertThatThrownBy(() -> scorer.scoreBatch(List.of("x"), AB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gave bad scores for prompt 0")
        .hasMessageContaining("log-probability for label 'a' (index 0) is 0.5");
  }

  @Test
  void theRuleIsAtMostOneMillionthAboveZero() {
    assertThat(LabelDistribution.isLogProbability(0.0)).isTrue();
    assertThat(LabelDistribution.isLogProbability(Double.NEGATIVE_INFINITY)).isTrue();
    assertThat(LabelDistribution.isLogProbability(1e-6)).isTrue();
    assertThat(LabelDistribution.isLogProbability(Math.nextUp(1e-6))).isFalse();
    assertThat(LabelDistribution.isLogProbability(Double.NaN)).isFalse();
    assertThat(LabelDistribution.isLogProbability(Double.POSITIVE_INFINITY)).isFalse();
  }

  @Test
  void roundingUpToTheToleranceIsReadAsZero() {
    // hand computed: 1e-6 and 1e-7 become log 1 = 0, so the scores are (0, log 0.25) and the
    // raw values are stored clamped
    LabelScores s = LabelScores.of(AB, ScoreKind.LOG_PROBABILITY, 1e-6, Math.log(0.25));
    assertThat(s.score(0)).isEqualTo(0.0);
    LabelDistribution d = LabelDistribution.ofLogProbabilities(AB, 1e-7, Math.log(0.25));
    assertThat(d.probability(0)).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void minusInfinityIsStillAZeroProbabilityButNotForEveryLabel() {
    assertThat(
            LabelDistribution.ofLogProbabilities(AB, Double.NEGATIVE_INFINITY, -2.0).probability(1))
        .isEqualTo(1.0);
    assertThatThrownBy(
            () ->
                LabelDistribution.ofLogProbabilities(
                    AB, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Infinity for every label");
  }

  @Test
  void aRowNeedNotSumToOneOrLess() {
    // the log-probabilities of words that share a prefix: 0.9 and 0.6 (hand computed: softmax
    // gives 0.6, 0.4)
    LabelDistribution d = LabelDistribution.ofLogProbabilities(AB, Math.log(0.9), Math.log(0.6));
    assertThat(d.probability(0)).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void aScoreFileNamesTheLineAndColumnOfAPositiveLogProbability() throws IOException {
    Path f = tmp.resolve("s.csv");
    Files.writeString(f, "id,a,b\nr1,-0.1,-2\nr2,-1,0.5\n");
    try (ScoreFileReader r = ScoreFileReader.open(f, ScoreFormat.LOGPROB)) {
      ScoreRow first = r.next();
      assertThat(first.values()).containsExactly(-0.1, -2.0);
      assertThatThrownBy(r::next)
          .isInstanceOf(DataFileException.class)
          .hasMessageContaining(f + ":3:3")
          .hasMessageContaining("log-probability for label 'b' (index 1) is 0.5");
    }
  }

  @Test
  void aScoreFileStoresRoundingAboveZeroAsZero() throws IOException {
    Path f = tmp.resolve("s.csv");
    Files.writeString(f, "a,b\n4e-7,-2\n");
    try (ScoreFileReader r = ScoreFileReader.open(f, ScoreFormat.LOGPROB)) {
      assertThat(r.next().values()).containsExactly(0.0, -2.0);
    }
  }

  @Test
  void theSameValueReadAsALogitIsAccepted() throws IOException {
    Path f = tmp.resolve("s.csv");
    Files.writeString(f, "a,b\n0.5,-2\n");
    try (ScoreFileReader r = ScoreFileReader.open(f, ScoreFormat.LOGIT)) {
      assertThat(r.next().values()).containsExactly(0.5, -2.0);
    }
  }
}
