package io.calibra.selective;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import org.junit.jupiter.api.Test;

/** Hand-counted coverage and selective risk. */
class SelectiveRiskTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void riskIsTheErrorRateAmongAcceptedRows() {
    SelectiveAccumulator acc = new SelectiveAccumulator(SelectivePolicy.threshold(0.7));
    acc.add(LabelDistribution.ofProbabilities(AB, 0.9, 0.1), 0); // accepted, right
    acc.add(LabelDistribution.ofProbabilities(AB, 0.8, 0.2), 1); // accepted, wrong
    acc.add(LabelDistribution.ofProbabilities(AB, 0.25, 0.75), 1); // accepted, right
    acc.add(LabelDistribution.ofProbabilities(AB, 0.6, 0.4), 1); // abstains
    assertThat(acc.rows()).isEqualTo(4);
    assertThat(acc.accepted()).isEqualTo(3);
    assertThat(acc.abstained()).isEqualTo(1);
    assertThat(acc.coverage()).isEqualTo(0.75);
    assertThat(acc.selectiveRisk()).isEqualTo(1.0 / 3);
  }

  @Test
  void nothingAcceptedMeansNoRiskAndNoCoverage() {
    SelectiveAccumulator acc = new SelectiveAccumulator(SelectivePolicy.threshold(0.99));
    acc.add(LabelDistribution.ofProbabilities(AB, 0.6, 0.4), 1);
    assertThat(acc.coverage()).isZero();
    assertThat(acc.selectiveRisk()).isZero();
  }
}
