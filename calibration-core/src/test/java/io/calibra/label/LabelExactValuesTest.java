package io.calibra.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.internal.Probabilities;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exact values and boundaries of the label model, aimed at the mutants PIT found surviving. Every
 * expected value is hand computed from the definition quoted beside it.
 */
class LabelExactValuesTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  @Test
  void checkRowAcceptsTheEndsOfTheUnitInterval() {
    // 0 and 1 are probabilities; (0, 1) sums to exactly one.
    assertThatCode(() -> Probabilities.checkRow(AB.names(), new double[] {0.0, 1.0}, 0))
        .doesNotThrowAnyException();
    assertThatCode(() -> Probabilities.checkRow(AB.names(), new double[] {1.0, 0.0}, 0))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Probabilities.checkRow(AB.names(), new double[] {-0.0001, 1.0001}, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probability for label 'a' (index 0) is -1.0E-4");
    assertThatThrownBy(() -> Probabilities.checkRow(AB.names(), new double[] {1.0001, -0.0001}, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probability for label 'a' (index 0) is 1.0001");
  }

  @Test
  void checkRowRejectsARowThatDoesNotFitAtItsOffset() {
    // Three values hold a two-label row at offsets 0 and 1, not at 2.
    double[] row = {0.5, 0.5, 0.5};
    assertThatCode(() -> Probabilities.checkRow(AB.names(), row, 1)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Probabilities.checkRow(AB.names(), row, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "wrong width: expected 2 probabilities for labels [a, b] at offset 2, array holds 3");
    assertThatThrownBy(() -> Probabilities.checkRow(AB.names(), row, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at offset -1");
  }

  @Test
  void checkRowSumToleranceIsOneInAMillion() {
    // 1 + 0.9e-6 is inside the tolerance 1e-6, 1 + 1.1e-6 is outside.
    assertThatCode(() -> Probabilities.checkRow(AB.names(), new double[] {0.5, 0.5 + 0.9e-6}, 0))
        .doesNotThrowAnyException();
    assertThatCode(() -> Probabilities.checkRow(AB.names(), new double[] {0.5, 0.5 - 0.9e-6}, 0))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> Probabilities.checkRow(AB.names(), new double[] {0.5, 0.5 + 1.1e-6}, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probabilities sum to 1.000001");
  }

  @Test
  void checkLogScoresChecksTheWidthFirst() {
    assertThatThrownBy(
            () -> Probabilities.checkLogScores(ABC.names(), new double[] {0.0, 1.0}, "logits"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wrong width of logits: expected 3 values for labels [a, b, c], found 2");
  }

  @Test
  void logSumExpExactValues() {
    // log(e^log1 + e^log3) = log 4; all -infinity gives -infinity; the offset is honoured.
    double[] v = {99.0, Math.log(1), Math.log(3)};
    assertThat(Probabilities.logSumExp(v, 1, 2)).isCloseTo(Math.log(4), within(1e-15));
    // Large values: 1000 + log(2) (the naive sum overflows).
    assertThat(Probabilities.logSumExp(new double[] {1000, 1000}, 0, 2))
        .isCloseTo(1000 + Math.log(2), within(1e-12));
    double ninf = Double.NEGATIVE_INFINITY;
    assertThat(Probabilities.logSumExp(new double[] {ninf, ninf}, 0, 2)).isEqualTo(ninf);
    assertThat(Probabilities.logSumExp(new double[] {ninf, 0.0}, 0, 2)).isEqualTo(0.0);
  }

  @Test
  void normaliseInPlaceDividesBySumWithinItsSlice() {
    double[] v = {7.0, 1.0, 3.0, 9.0};
    Probabilities.normaliseInPlace(v, 1, 2);
    // 1/4 and 3/4; the values outside the slice are untouched.
    assertThat(v).containsExactly(7.0, 0.25, 0.75, 9.0);
  }

  @Test
  void flooredLogExactValues() {
    assertThat(Probabilities.flooredLog(0.5)).isEqualTo(Math.log(0.5));
    assertThat(Probabilities.flooredLog(1.0)).isEqualTo(0.0);
    assertThat(Probabilities.flooredLog(0.0)).isEqualTo(Probabilities.LOG_FLOOR);
    // log(4.9e-324) = -744.44 is above the floor -745.
    assertThat(Probabilities.flooredLog(Double.MIN_VALUE)).isEqualTo(Math.log(Double.MIN_VALUE));
  }

  @Test
  void ofProbabilitiesRenormalisesWithinTheTolerance() {
    // (0.25, 0.7500005) sums to 1.0000005: each value is divided by that sum.
    LabelDistribution d = LabelDistribution.ofProbabilities(AB, 0.25, 0.7500005);
    assertThat(d.probability(0)).isCloseTo(0.25 / 1.0000005, within(1e-16));
    assertThat(d.probability(1)).isCloseTo(0.7500005 / 1.0000005, within(1e-16));
    assertThat(d.probability(0)).isNotEqualTo(0.25);
  }

  @Test
  void normaliseAcceptsZeroWeightsAndRejectsBadOnes() {
    LabelDistribution d = LabelDistribution.normalise(ABC, 0.0, 1.0, 3.0);
    assertThat(d.toArray()).containsExactly(0.0, 0.25, 0.75);
    assertThatThrownBy(() -> LabelDistribution.normalise(ABC, 1.0, 2.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wrong width of weights: expected 3 values for labels [a, b, c], found 2");
    assertThatThrownBy(() -> LabelDistribution.normalise(AB, 1.0, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight for label 'b' (index 1) is Infinity");
    assertThatThrownBy(() -> LabelDistribution.normalise(AB, 0.0, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weights sum to 0.0");
    // Each weight is finite, their sum overflows to +infinity.
    assertThatThrownBy(() -> LabelDistribution.normalise(AB, 1e308, 1e308))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weights sum to Infinity");
  }

  @Test
  void uniformIsOneOverK() {
    assertThat(LabelDistribution.uniform(ABC).toArray()).containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3);
    assertThat(LabelDistribution.uniform(AB).toArray()).containsExactly(0.5, 0.5);
  }

  @Test
  void sizeCopyIntoAndEntropy() {
    LabelDistribution d = LabelDistribution.ofProbabilities(ABC, 0.5, 0.5, 0.0);
    assertThat(d.size()).isEqualTo(3);
    double[] out = {9, 9, 9, 9, 9};
    d.copyInto(out, 1);
    assertThat(out).containsExactly(9, 0.5, 0.5, 0.0, 9);
    // -(0.5 log 0.5) * 2 = log 2, with 0 log 0 = 0.
    assertThat(d.entropy()).isCloseTo(Math.log(2), within(1e-15));
    assertThat(LabelDistribution.ofProbabilities(AB, 1.0, 0.0).entropy()).isEqualTo(0.0);
  }

  @Test
  void equalityAndHashOfDistributions() {
    LabelDistribution d = LabelDistribution.ofProbabilities(AB, 0.25, 0.75);
    assertThat(d).isEqualTo(LabelDistribution.ofProbabilities(AB, 0.25, 0.75));
    assertThat(d).hasSameHashCodeAs(LabelDistribution.ofProbabilities(AB, 0.25, 0.75));
    assertThat(d).isNotEqualTo(LabelDistribution.ofProbabilities(AB, 0.75, 0.25));
    assertThat(d)
        .isNotEqualTo(LabelDistribution.ofProbabilities(LabelSet.of("a", "c"), 0.25, 0.75));
    assertThat(d).isNotEqualTo("LabelDistribution{a=0.25, b=0.75}");
    assertThat(d.hashCode())
        .isNotEqualTo(LabelDistribution.ofProbabilities(AB, 0.75, 0.25).hashCode())
        .isNotEqualTo(
            LabelDistribution.ofProbabilities(LabelSet.of("a", "c"), 0.25, 0.75).hashCode());
    assertThat(d.toString()).isEqualTo("LabelDistribution{a=0.25, b=0.75}");
  }

  @Test
  void labelSetIndexChecksNameTheIndex() {
    assertThatThrownBy(() -> AB.name(2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("label index 2 out of range; expected 0..1");
    assertThatThrownBy(() -> AB.words(-1))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("label index -1 out of range; expected 0..1");
  }

  @Test
  void labelSetTextAndHash() {
    LabelSet built =
        LabelSet.builder().add("neg", " bad").add("pos").add("mid", "mid", "so-so").build();
    assertThat(built.names()).containsExactly("neg", "pos", "mid");
    // A label whose only word is its name prints bare; any other verbalizer is quoted.
    assertThat(built.toString())
        .isEqualTo("LabelSet[neg=[\" bad\"], pos, mid=[\"mid\", \"so-so\"]]");
    assertThat(LabelSet.of("x").toString()).isEqualTo("LabelSet[x]");
    assertThat(LabelSet.builder().add("x", "y").build().toString())
        .isEqualTo("LabelSet[x=[\"y\"]]");
    assertThat(AB.hashCode()).isNotEqualTo(0).isNotEqualTo(LabelSet.of("b", "a").hashCode());
  }

  @Test
  void labelledSetGoldCountsAndMessages() {
    LabelDistribution u = LabelDistribution.uniform(ABC);
    LabelledSet set = LabelledSet.of(List.of(u, u, u, u), new int[] {2, 0, 2, 2});
    assertThat(set.goldCounts()).containsExactly(1, 0, 3);
    assertThatThrownBy(() -> LabelledSet.of(List.of(u), new int[] {3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row 0 has gold label index 3; expected 0..2 for labels [a, b, c]");
    assertThat(set).isEqualTo(LabelledSet.of(List.of(u, u, u, u), new int[] {2, 0, 2, 2}));
    assertThat(set).hasSameHashCodeAs(LabelledSet.of(List.of(u, u, u, u), new int[] {2, 0, 2, 2}));
    assertThat(set).isNotEqualTo(LabelledSet.of(List.of(u, u, u, u), new int[] {2, 0, 2, 1}));
    assertThat(set.hashCode())
        .isNotEqualTo(LabelledSet.of(List.of(u, u, u, u), new int[] {2, 0, 2, 1}).hashCode());
    assertThat(set.toString()).isEqualTo("LabelledSet{labels=[a, b, c], rows=4}");
  }

  @Test
  void requireFittableNeedsTwoRowsOfTwoClasses() {
    LabelDistribution u = LabelDistribution.uniform(AB);
    assertThatThrownBy(() -> LabelledSet.of(List.of(u), new int[] {0}).requireFittable("m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("m needs at least 2 labelled rows to fit; found 1");
    assertThatThrownBy(() -> LabelledSet.of(List.of(u, u), new int[] {1, 1}).requireFittable("m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("m needs rows of at least 2 gold classes to fit; found only 'b' in 2 rows");
    // Exactly two rows of exactly two classes is enough.
    assertThatCode(() -> LabelledSet.of(List.of(u, u), new int[] {1, 0}).requireFittable("m"))
        .doesNotThrowAnyException();
  }
}
