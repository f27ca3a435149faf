package io.calibra.selective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Boundaries and exact values of selective classification, aimed at the mutants PIT found
 * surviving. Every expected value is hand computed; the comments give the arithmetic.
 */
class SelectiveExactValuesTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /**
   * Rows whose predicted label is {@code a} with confidence {@code c}, right when {@code right}.
   */
  private static LabelledSet rows(double[] confidence, boolean[] right) {
    List<LabelDistribution> ds = new ArrayList<>();
    int[] gold = new int[confidence.length];
    for (int i = 0; i < confidence.length; i++) {
      ds.add(LabelDistribution.ofProbabilities(AB, confidence[i], 1 - confidence[i]));
      gold[i] = right[i] ? 0 : 1;
    }
    return LabelledSet.of(ds, gold);
  }

  @Test
  void accumulatorChecksTheGoldIndexAndMerges() {
    SelectiveAccumulator acc = new SelectiveAccumulator(SelectivePolicy.threshold(0.7));
    LabelDistribution d = LabelDistribution.ofProbabilities(AB, 0.9, 0.1);
    assertThatThrownBy(() -> acc.add(d, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gold label index 2 out of range; expected 0..1");
    assertThatThrownBy(() -> acc.add(d, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gold label index -1 out of range; expected 0..1");
    acc.add(d, 1); // accepted, wrong
    SelectiveAccumulator other = new SelectiveAccumulator(SelectivePolicy.threshold(0.7));
    other.add(d, 0); // accepted, right
    other.add(LabelDistribution.ofProbabilities(AB, 0.6, 0.4), 0); // abstains
    other.add(LabelDistribution.ofProbabilities(AB, 0.2, 0.8), 0); // accepted, wrong
    acc.merge(other);
    // 4 rows, 3 accepted, 2 of them wrong.
    assertThat(acc.rows()).isEqualTo(4);
    assertThat(acc.accepted()).isEqualTo(3);
    assertThat(acc.abstained()).isEqualTo(1);
    assertThat(acc.selectiveRisk()).isEqualTo(2.0 / 3);
    SelectiveAccumulator elsewhere = new SelectiveAccumulator(SelectivePolicy.threshold(0.5));
    assertThatThrownBy(() -> acc.merge(elsewhere))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot merge counts at threshold 0.5 into threshold 0.7");
    assertThat(acc.rows()).isEqualTo(4);
  }

  @Test
  void riskCoveragePointsCountTheAcceptedRows() {
    RiskCoverage rc =
        RiskCoverage.of(rows(new double[] {0.6, 0.9, 0.8}, new boolean[] {true, true, false}));
    // By confidence: 0.9 right, 0.8 wrong, 0.6 right -> risks 0, 1/2, 1/3.
    assertThat(rc.points())
        .containsExactly(
            new RiskCoverage.Point(1, 1.0 / 3, 0.0, 0.9),
            new RiskCoverage.Point(2, 2.0 / 3, 0.5, 0.8),
            new RiskCoverage.Point(3, 1.0, 1.0 / 3, 0.6));
    // AURC (0 + 1/2 + 1/3) / 3 = 0.277778; oracle 0, 0, 1/3 -> 1/9; excess 1/6 = 0.166667.
    assertThat(rc.toString()).isEqualTo("RiskCoverage{rows=3, aurc=0.277778, e-aurc=0.166667}");
  }

  @Test
  void targetCoverageIsCheckedLikeTargetRisk() {
    LabelledSet dev = rows(new double[] {0.9, 0.8}, new boolean[] {true, false});
    for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> SelectivePolicy.forTargetCoverage(dev, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("target coverage is " + bad + "; expected a value in [0, 1]");
    }
    assertThat(SelectivePolicy.forTargetCoverage(dev, 0.0).threshold()).isEqualTo(0.9);
  }

  /**
   * The coverage rule allows 1e-9 of slack, and a target exactly that far above a row count
   * qualifies: 0.666666667 * 3 - 1e-9 is exactly 2.0 in doubles (checked in Python), so 2 of 3 rows
   * (coverage 2/3, below the target) are enough; the threshold is the second confidence.
   */
  @Test
  void aTargetCoverageWithinTheSlackOfARowCountTakesThatCount() {
    LabelledSet dev = rows(new double[] {0.9, 0.8, 0.7}, new boolean[] {true, false, true});
    SelectivePolicy p = SelectivePolicy.forTargetCoverage(dev, 0.666666667);
    assertThat(p.threshold()).isEqualTo(0.8);
    assertThat(p.devCoverage()).isEqualTo(2.0 / 3);
  }

  @Test
  void targetRiskToleranceGrowsWithTheNumberOfRows() {
    // Two rows, the second wrong: risk 1/2 at coverage 1. The target 0.5 - 5e-13 is within the
    // tolerance 1e-12 * i of 1/2 at i = 2 (2 * (0.5 - 5e-13) + 2e-12 = 1 + 1e-12 >= 1 error).
    LabelledSet dev = rows(new double[] {0.9, 0.8}, new boolean[] {true, false});
    SelectivePolicy p = SelectivePolicy.forTargetRisk(dev, 0.5 - 5e-13);
    assertThat(p.devCoverage()).isEqualTo(1.0);
    assertThat(p.threshold()).isEqualTo(0.8);
    // One wrong row: 1 - 1e-12 + 1e-12 is exactly 1.0 in doubles, so the error count 1 is reached.
    LabelledSet wrong = rows(new double[] {0.9}, new boolean[] {false});
    SelectivePolicy q = SelectivePolicy.forTargetRisk(wrong, 1 - 1e-12);
    assertThat(q.devRisk()).isEqualTo(1.0);
    assertThat(q.threshold()).isEqualTo(0.9);
  }

  @Test
  void lowestReachableRiskPrefersTheLargerCoverageOnATie() {
    // By confidence: wrong, right, wrong, right, wrong, wrong -> prefix risks 1, 1/2, 2/3, 1/2,
    // 3/5, 4/6: the lowest, 1/2, at 2 and 4 rows; 4 rows (coverage 4/6, threshold 0.6) is kept.
    LabelledSet dev =
        rows(
            new double[] {0.9, 0.8, 0.7, 0.6, 0.55, 0.51},
            new boolean[] {false, true, false, true, false, false});
    assertThatThrownBy(() -> SelectivePolicy.forTargetRisk(dev, 0.4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the lowest reachable risk is 0.500000, at coverage 0.666667")
        .hasMessageContaining("(threshold 0.6)");
  }

  @Test
  void riskControlArgumentBoundaries() {
    LabelledSet dev = rows(new double[] {0.9, 0.8}, new boolean[] {true, true});
    double[] grid = {0.5};
    // Target risks 0 and 1 are allowed; delta must be strictly inside (0, 1).
    assertThatCode(
            () -> RiskControl.forTargetRisk(dev, 0.0, 0.1, RiskControl.Correction.BONFERRONI, grid))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> RiskControl.forTargetRisk(dev, 1.0, 0.1, RiskControl.Correction.BONFERRONI, grid))
        .doesNotThrowAnyException();
    for (double delta : new double[] {0.0, 1.0}) {
      assertThatThrownBy(
              () ->
                  RiskControl.forTargetRisk(
                      dev, 0.1, delta, RiskControl.Correction.BONFERRONI, grid))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delta is " + delta + "; expected a value in (0, 1)");
    }
    for (double level : new double[] {0.0, 1.0}) {
      assertThatThrownBy(() -> RiskControl.clopperPearsonUpper(1, 10, level))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("level is " + level + "; expected a value in (0, 1)");
    }
    // Unsorted candidates with a repeat that is not adjacent: sorting finds it.
    assertThatThrownBy(
            () ->
                RiskControl.forTargetRisk(
                    dev, 0.1, 0.1, RiskControl.Correction.BONFERRONI, new double[] {0.5, 0.7, 0.5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("candidate threshold 0.5 is NaN, negative, infinite or repeated");
    assertThatThrownBy(
            () ->
                RiskControl.forTargetRisk(
                    dev,
                    0.1,
                    0.1,
                    RiskControl.Correction.BONFERRONI,
                    new double[] {0.5, Double.POSITIVE_INFINITY}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("candidate threshold Infinity is NaN, negative");
  }

  @Test
  void riskControlAcceptsABoundEqualToTheTargetAndTriesEveryCandidate() {
    // Every row wrong: the Clopper-Pearson bound is exactly 1 (e == m), and 1 <= target 1, so
    // every candidate passes and the lowest, 0.0, is chosen (coverage 1, risk 1).
    LabelledSet wrong = rows(new double[] {0.9, 0.8}, new boolean[] {false, false});
    RiskControl.Result r =
        RiskControl.forTargetRisk(
            wrong, 1.0, 0.1, RiskControl.Correction.BONFERRONI, new double[] {0.95, 0.0});
    assertThat(r.policy()).isEqualTo(new SelectivePolicy(0.0, 1.0, 1.0));
    assertThat(r.riskUpperBound()).isEqualTo(1.0);
    assertThat(r.candidates()).isEqualTo(2);
  }

  @Test
  void riskControlAcceptsRowsAtExactlyTheThreshold() {
    // 40 right rows at confidence exactly 0.75: threshold 0.75 accepts all 40 (>=), and the
    // bound 1 - 0.05^(1/40) = 0.0722 (zero errors in 40 trials, level 0.05) is below 0.1.
    double[] conf = new double[40];
    boolean[] right = new boolean[40];
    java.util.Arrays.fill(conf, 0.75);
    java.util.Arrays.fill(right, true);
    RiskControl.Result r =
        RiskControl.forTargetRisk(
            rows(conf, right),
            0.1,
            0.05,
            RiskControl.Correction.FIXED_SEQUENCE,
            new double[] {0.75});
    assertThat(r.policy().threshold()).isEqualTo(0.75);
    assertThat(r.policy().devCoverage()).isEqualTo(1.0);
    assertThat(r.riskUpperBound())
        .isCloseTo(1 - Math.pow(0.05, 1.0 / 40), org.assertj.core.api.Assertions.within(1e-12));
  }
}
