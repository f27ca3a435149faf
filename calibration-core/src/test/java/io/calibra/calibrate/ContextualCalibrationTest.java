package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ContextualCalibration}'s content-free distributions, one per rendered input. Expected
 * values are hand computed.
 */
class ContextualCalibrationTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void contentFreeDistributionsScoreEachRenderedInput() {
    PromptTemplate template = PromptTemplate.builder(AB).inputPrefix("Q: ").build();
    Map<String, double[]> table =
        Map.of(
            template.render("N/A"), new double[] {Math.log(0.2), Math.log(0.8)},
            template.render(""), new double[] {Math.log(0.6), Math.log(0.4)});
    var scorer = Scorers.fromClassifier("table", ScoreKind.LOG_PROBABILITY, table::get);
    List<LabelDistribution> got =
        ContextualCalibration.contentFreeDistributions(scorer, template, List.of("N/A", ""));
    assertThat(got).hasSize(2);
    assertThat(got.get(0).toArray()).containsExactly(new double[] {0.2, 0.8}, within(1e-15));
    assertThat(got.get(1).toArray()).containsExactly(new double[] {0.6, 0.4}, within(1e-15));
    assertThatThrownBy(
            () -> ContextualCalibration.contentFreeDistributions(scorer, template, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected at least one content-free input; found none");
  }
}
