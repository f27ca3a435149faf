package io.calibra.selective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.calibrate.ContextualCalibration;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectiveTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /** Confidences .9 (correct), .8 (wrong), .7 (correct), .6 (wrong). */
  private static LabelledSet fourRows() {
    return LabelledSet.of(
        List.of(
            LabelDistribution.ofProbabilities(AB, 0.9, 0.1),
            LabelDistribution.ofProbabilities(AB, 0.8, 0.2),
            LabelDistribution.ofProbabilities(AB, 0.3, 0.7),
            LabelDistribution.ofProbabilities(AB, 0.6, 0.4)),
        new int[] {0, 1, 1, 1});
  }

  @Test
  void unreachableTargetRiskStatesTheLowestReachableRiskAndItsCoverage() {
    // Hand computed: confidences 0.9 (wrong), 0.8 (right), 0.7 (wrong), 0.6 (right) give prefix
    // risks 1, 1/2, 2/3, 2/4; the lowest, 1/2, is reached at coverage 1/2 and 1: the larger wins.
    LabelledSet dev =
        LabelledSet.of(
            List.of(
                LabelDistribution.ofProbabilities(AB, 0.9, 0.1),
                LabelDistribution.ofProbabilities(AB, 0.8, 0.2),
                LabelDistribution.ofProbabilities(AB, 0.3, 0.7),
                LabelDistribution.ofProbabilities(AB, 0.6, 0.4)),
            new int[] {1, 0, 0, 0});
    assertThatThrownBy(() -> SelectivePolicy.forTargetRisk(dev, 0.3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target risk 0.3 is not reachable on the 4 dev rows")
        .hasMessageContaining("the lowest reachable risk is 0.500000, at coverage 1.000000")
        .hasMessageContaining("threshold 0.6");
    assertThat(SelectivePolicy.forTargetRisk(dev, 0.5).devCoverage()).isEqualTo(1.0);
  }

  @Test
  void aurcAndExcessAurcByHand() {
    RiskCoverage rc = RiskCoverage.of(fourRows());
    // risks at coverage 1/4..4/4: 0, 1/2, 1/3, 2/4 -> AURC = (0 + .5 + 1/3 + .5) / 4
    assertThat(rc.aurc()).isCloseTo((0.5 + 1.0 / 3 + 0.5) / 4, within(1e-15));
    // oracle: 0, 0, 1/3, 2/4 -> (1/3 + 1/2) / 4
    assertThat(rc.optimalAurc()).isCloseTo((1.0 / 3 + 0.5) / 4, within(1e-15));
    assertThat(rc.excessAurc()).isCloseTo(0.125, within(1e-15));
    assertThat(rc.points().get(1).threshold()).isEqualTo(0.8);
    assertThat(rc.points().get(3).coverage()).isEqualTo(1.0);
  }

  @Test
  void thresholdsForTargetRiskAndCoverageByHand() {
    // target risk 0.4: prefixes 1 (risk 0), 3 (1/3) qualify; the largest is 3 -> threshold 0.7
    SelectivePolicy p = SelectivePolicy.forTargetRisk(fourRows(), 0.4);
    assertThat(p.threshold()).isEqualTo(0.7);
    assertThat(p.devCoverage()).isEqualTo(0.75);
    assertThat(p.devRisk()).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(SelectivePolicy.forTargetRisk(fourRows(), 0.0).threshold()).isEqualTo(0.9);
    assertThat(SelectivePolicy.forTargetCoverage(fourRows(), 0.5).threshold()).isEqualTo(0.8);
    assertThat(SelectivePolicy.forTargetCoverage(fourRows(), 1.0).threshold()).isEqualTo(0.6);
    LabelledSet allWrong =
        LabelledSet.of(List.of(LabelDistribution.ofProbabilities(AB, 0.9, 0.1)), new int[] {1});
    // No threshold reaches 0.1 when every row is wrong; no silent abstain-all.
    assertThatThrownBy(() -> SelectivePolicy.forTargetRisk(allWrong, 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target risk 0.1 is not reachable on the 1 dev rows")
        .hasMessageContaining("lowest reachable risk is 1.000000, at coverage 1.000000");
    assertThatThrownBy(() -> SelectivePolicy.forTargetRisk(fourRows(), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target risk is NaN");
  }

  @Test
  void tiedConfidencesAreAcceptedTogether() {
    LabelledSet ties =
        LabelledSet.of(
            List.of(
                LabelDistribution.ofProbabilities(AB, 0.8, 0.2),
                LabelDistribution.ofProbabilities(AB, 0.8, 0.2),
                LabelDistribution.ofProbabilities(AB, 0.6, 0.4)),
            new int[] {0, 1, 0});
    // accepting one of the tied rows alone is impossible: coverage 2/3 at threshold 0.8
    SelectivePolicy p = SelectivePolicy.forTargetCoverage(ties, 0.3);
    assertThat(p.threshold()).isEqualTo(0.8);
    assertThat(p.devCoverage()).isCloseTo(2.0 / 3, within(1e-15));
  }

  /**
   * SST-2 golden case, contextual probabilities: the threshold chosen on the first half meets the
   * target risk there, and AURC / E-AURC equal numpy's (np.argsort(-conf, kind="stable"),
   * cumulative error rate, mean; oracle sum k / (n - e + k)): 0.1479583968848934 and
   * 0.11094599066863989.
   */
  @Test
  void goldenSst2RiskCoverage() {
    GoldenCase g = GoldenCase.load("sst2-zeroshot-minilm");
    List<LabelDistribution> calibrated =
        ContextualCalibration.fit(g.contentFreeDistributions()).applyAll(g.rawDistributions());
    LabelledSet all = LabelledSet.of(calibrated, g.gold);
    RiskCoverage rc = RiskCoverage.of(all);
    assertThat(rc.aurc()).isCloseTo(0.1479583968848934, within(1e-9));
    assertThat(rc.excessAurc()).isCloseTo(0.11094599066863989, within(1e-9));

    int half = all.size() / 2;
    LabelledSet dev =
        LabelledSet.of(calibrated.subList(0, half), java.util.Arrays.copyOf(g.gold, half));
    for (double target : new double[] {0.05, 0.1, 0.15, 0.2}) {
      SelectivePolicy p = SelectivePolicy.forTargetRisk(dev, target);
      SelectiveAccumulator acc = new SelectiveAccumulator(p);
      for (int i = 0; i < dev.size(); i++) {
        acc.add(dev.distribution(i), dev.gold(i));
      }
      assertThat(acc.selectiveRisk()).as("target %s", target).isLessThanOrEqualTo(target);
      assertThat(acc.coverage()).isCloseTo(p.devCoverage(), within(1e-15));
      assertThat(acc.accepted() + acc.abstained()).isEqualTo(half);
    }
  }
}
