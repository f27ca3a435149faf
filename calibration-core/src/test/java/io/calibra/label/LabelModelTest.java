package io.calibra.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label sets and distributions: construction, validation and accessors (hand-computed values). */
class LabelModelTest {
  private static final LabelSet SENTIMENT =
      LabelSet.builder().add("negative", " terrible", " bad").add("positive", " great").build();

  @Test
  void labelSetKeepsOrderAndVerbalizers() {
    assertThat(SENTIMENT.size()).isEqualTo(2);
    assertThat(SENTIMENT.names()).containsExactly("negative", "positive");
    assertThat(SENTIMENT.words(0)).containsExactly(" terrible", " bad");
    assertThat(SENTIMENT.requireIndex("positive")).isEqualTo(1);
    assertThat(SENTIMENT.indexOf("neutral")).isEmpty();
    assertThat(LabelSet.of("a", "b").words(1)).containsExactly("b");
    Map<String, List<String>> v = new LinkedHashMap<>();
    v.put("negative", List.of(" terrible", " bad"));
    v.put("positive", List.of(" great"));
    assertThat(LabelSet.ofVerbalizers(v)).isEqualTo(SENTIMENT).hasSameHashCodeAs(SENTIMENT);
    assertThat(SENTIMENT.toString()).contains("negative").contains("\" terrible\"");
  }

  @Test
  void labelSetRejectsEmptyDuplicateAndBlank() {
    assertThatThrownBy(() -> LabelSet.of())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one label");
    assertThatThrownBy(() -> LabelSet.of("a", "b", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate label name 'a' at indices 0 and 2");
    assertThatThrownBy(() -> LabelSet.of("a", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 1 has an empty name");
    assertThatThrownBy(() -> LabelSet.builder().add("a", "").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'a' has an empty verbalizer word");
    assertThatThrownBy(() -> LabelSet.builder().add("a", (String) null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'a'");
    assertThatThrownBy(() -> LabelSet.ofVerbalizers(Map.of("a", List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'a' has no verbalizer words");
    assertThatThrownBy(() -> SENTIMENT.requireIndex("neutral"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown label 'neutral'");
  }

  @Test
  void distributionFromLogitsAndLogProbabilities() {
    // softmax(0, ln 3) = (1/4, 3/4)
    LabelDistribution d = LabelDistribution.ofLogits(SENTIMENT, 0.0, Math.log(3));
    assertThat(d.toArray()).containsExactly(new double[] {0.25, 0.75}, within(1e-15));
    assertThat(d.argmax()).isEqualTo(1);
    assertThat(d.predictedLabel()).isEqualTo("positive");
    assertThat(d.confidence()).isCloseTo(0.75, within(1e-15));
    assertThat(d.entropy())
        .isCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), within(1e-15));
    // log-probabilities over a larger vocabulary are renormalised over the label set
    LabelDistribution lp =
        LabelDistribution.ofLogProbabilities(SENTIMENT, Math.log(0.1), Math.log(0.3));
    assertThat(lp.toArray()).containsExactly(new double[] {0.25, 0.75}, within(1e-15));
    assertThat(LabelDistribution.ofLogits(SENTIMENT, Double.NEGATIVE_INFINITY, 2).toArray())
        .containsExactly(0.0, 1.0);
    assertThat(LabelDistribution.ofLogits(SENTIMENT, -1e300, 1e300).toArray())
        .containsExactly(0.0, 1.0);
    assertThat(LabelDistribution.normalise(SENTIMENT, 1, 3).toArray()).containsExactly(0.25, 0.75);
  }

  @Test
  void argmaxTiesGoToLowestIndex() {
    LabelDistribution tie =
        LabelDistribution.ofProbabilities(LabelSet.of("a", "b", "c"), 0.2, 0.4, 0.4);
    assertThat(tie.argmax()).isEqualTo(1);
    assertThat(LabelDistribution.uniform(SENTIMENT).argmax()).isZero();
  }

  @Test
  void distributionIsImmutableAndCopiesItsInput() {
    double[] p = {0.4, 0.6};
    LabelDistribution d = LabelDistribution.ofProbabilities(SENTIMENT, p);
    p[0] = 0.9;
    d.toArray()[1] = 0;
    assertThat(d.probability("negative")).isEqualTo(0.4);
    assertThat(d.probability(1)).isEqualTo(0.6);
    assertThat(d).isEqualTo(LabelDistribution.ofProbabilities(SENTIMENT, 0.4, 0.6));
    assertThat(d.toString()).isEqualTo("LabelDistribution{negative=0.4, positive=0.6}");
  }

  @Test
  void badProbabilitiesAreRejectedNamingLabelAndValue() {
    assertThatThrownBy(() -> LabelDistribution.ofProbabilities(SENTIMENT, Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'negative'")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> LabelDistribution.ofProbabilities(SENTIMENT, 1.2, -0.2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'negative'")
        .hasMessageContaining("1.2");
    assertThatThrownBy(() -> LabelDistribution.ofProbabilities(SENTIMENT, 0.7, -0.2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'positive'")
        .hasMessageContaining("-0.2");
    assertThatThrownBy(() -> LabelDistribution.ofProbabilities(SENTIMENT, 0.5, 0.6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sum to 1.1");
    assertThatThrownBy(() -> LabelDistribution.ofProbabilities(SENTIMENT, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2 values")
        .hasMessageContaining("found 1");
    assertThatThrownBy(() -> LabelDistribution.ofLogits(SENTIMENT, 1, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'positive'")
        .hasMessageContaining("Infinity");
    assertThatThrownBy(
            () ->
                LabelDistribution.ofLogits(
                    SENTIMENT, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Infinity for every label");
    assertThatThrownBy(() -> LabelDistribution.normalise(SENTIMENT, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sum to 0");
  }

  @Test
  void labelledSetValidatesRows() {
    LabelDistribution u = LabelDistribution.uniform(SENTIMENT);
    LabelDistribution other = LabelDistribution.uniform(LabelSet.of("x", "y"));
    assertThatThrownBy(() -> LabelledSet.of(List.of(u, other), new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1")
        .hasMessageContaining("mismatched labels");
    assertThatThrownBy(() -> LabelledSet.of(List.of(u, u), new int[] {0, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1 has gold label index 2");
    assertThatThrownBy(() -> LabelledSet.of(List.of(u), new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 rows but 2 gold labels");
    assertThatThrownBy(() -> LabelledSet.of(List.of(), new int[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one row");
  }
}
