package io.calibra.selective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guaranteed abstention: Clopper-Pearson bounds and chosen thresholds against scipy ({@code
 * golden/selective/make_risk_control_cases.py}), and the guarantee itself on synthetic data with a
 * known risk curve.
 */
class RiskControlTest {
  private static JsonNode reference() throws IOException {
    try (InputStream in =
        RiskControlTest.class.getResourceAsStream("/golden/selective/risk-control-cases.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void clopperPearsonMatchesScipyBetaPpf() throws IOException {
    for (JsonNode c : reference().get("clopper_pearson")) {
      double got =
          RiskControl.clopperPearsonUpper(
              c.get("errors").asInt(), c.get("trials").asInt(), c.get("level").asDouble());
      assertThat(got).as(c.toString()).isCloseTo(c.get("upper").asDouble(), within(1e-10));
    }
    // hand computed: no errors in m trials: 1 - level^(1/m)
    assertThat(RiskControl.clopperPearsonUpper(0, 10, 0.05))
        .isCloseTo(1 - Math.pow(0.05, 0.1), within(1e-12));
    assertThat(RiskControl.clopperPearsonUpper(5, 5, 0.05)).isEqualTo(1.0);
    assertThat(RiskControl.clopperPearsonUpper(0, 0, 0.05)).isEqualTo(1.0);
  }

  @Test
  void chosenThresholdsMatchTheScipyReference() throws IOException {
    for (JsonNode s : reference().get("selections")) {
      LabelledSet dev = GoldenCase.load(s.get("name").asText()).raw();
      RiskControl.Result r =
          RiskControl.forTargetRisk(
              dev,
              s.get("target").asDouble(),
              s.get("delta").asDouble(),
              RiskControl.Correction.valueOf(s.get("correction").asText()),
              RiskControl.defaultCandidates());
      JsonNode e = s.get("result");
      if (e.isNull()) {
        assertThat(r.policy().threshold()).as(s.toString()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r.policy().devCoverage()).isZero();
      } else {
        assertThat(r.policy().threshold())
            .as(s.toString())
            .isEqualTo(e.get("threshold").asDouble());
        assertThat(r.policy().devCoverage()).isEqualTo(e.get("coverage").asDouble());
        assertThat(r.policy().devRisk()).isEqualTo(e.get("risk").asDouble());
        assertThat(r.riskUpperBound()).isCloseTo(e.get("bound").asDouble(), within(1e-10));
        assertThat(r.riskUpperBound()).isLessThanOrEqualTo(s.get("target").asDouble());
      }
      assertThat(r.candidates()).isEqualTo(101);
    }
  }

  /**
   * Synthetic rows with a known risk curve: confidence c ~ Uniform(0.5, 1), correct with
   * probability c, so the risk among rows with c >= t is (1 - t) / 2 and the target 0.1 is met
   * exactly for t >= 0.8. Over 200 dev sets of 4000 rows, the chosen threshold must be below 0.8
   * (risk above target) in at most delta of them, up to 3 Monte Carlo standard errors: delta + 3
   * sqrt(delta (1 - delta) / 200).
   */
  @ParameterizedTest
  @EnumSource(RiskControl.Correction.class)
  void theRiskExceedsTheTargetWithProbabilityAtMostDelta(RiskControl.Correction correction) {
    double delta = 0.1;
    double target = 0.1;
    // the fixed sequence starts where rows are accepted: 0.95, 0.94, ..., 0.5
    double[] candidates = new double[46];
    for (int i = 0; i < candidates.length; i++) {
      candidates[i] = 0.5 + i / 100.0;
    }
    Random random = new Random(17 + correction.ordinal());
    int violations = 0;
    int abstainedEverything = 0;
    for (int trial = 0; trial < 200; trial++) {
      RiskControl.Result r =
          RiskControl.forTargetRisk(synthetic(random, 4000), target, delta, correction, candidates);
      double t = r.policy().threshold();
      if (t == Double.POSITIVE_INFINITY) {
        abstainedEverything++;
      } else if ((1 - t) / 2 > target + 1e-12) {
        violations++;
      }
    }
    assertThat(violations / 200.0)
        .isLessThanOrEqualTo(delta + 3 * Math.sqrt(delta * (1 - delta) / 200));
    // and it is useful: it rarely gives up (the risk at 0.9 is 0.05, far below the target)
    assertThat(abstainedEverything).isLessThan(20);
  }

  private static final LabelSet AB = LabelSet.of("a", "b");

  private static LabelledSet synthetic(Random random, int n) {
    List<LabelDistribution> d = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      double c = 0.5 + 0.5 * random.nextDouble();
      d.add(LabelDistribution.ofProbabilities(AB, c, 1 - c));
      gold[i] = random.nextDouble() < c ? 0 : 1;
    }
    return LabelledSet.of(d, gold);
  }

  @Test
  void guaranteedThresholdIsNeverBelowTheEmpiricalOneOnTheSameGrid() {
    // the bound is above the dev risk, so a candidate that passes meets the target on dev too
    LabelledSet dev = GoldenCase.load("agnews-zeroshot-minilm").raw();
    RiskControl.Result r = RiskControl.forTargetRisk(dev, 0.15, 0.05);
    assertThat(r.policy().devRisk()).isLessThanOrEqualTo(0.15);
    assertThat(r.riskUpperBound()).isGreaterThanOrEqualTo(r.policy().devRisk());
    assertThat(r.policy().threshold())
        .isGreaterThanOrEqualTo(SelectivePolicy.forTargetRisk(dev, 0.15).threshold() - 0.01);
  }

  @Test
  void badArgumentsAreRejected() {
    LabelledSet dev = synthetic(new Random(1), 10);
    assertThatThrownBy(() -> RiskControl.forTargetRisk(dev, Double.NaN, 0.1))
        .hasMessageContaining("target risk is NaN");
    assertThatThrownBy(() -> RiskControl.forTargetRisk(dev, 0.1, 0))
        .hasMessageContaining("delta is 0.0");
    assertThatThrownBy(
            () ->
                RiskControl.forTargetRisk(
                    dev, 0.1, 0.1, RiskControl.Correction.BONFERRONI, new double[0]))
        .hasMessageContaining("at least one candidate");
    assertThatThrownBy(
            () ->
                RiskControl.forTargetRisk(
                    dev, 0.1, 0.1, RiskControl.Correction.BONFERRONI, new double[] {0.5, 0.5}))
        .hasMessageContaining("repeated");
    assertThatThrownBy(
            () ->
                RiskControl.forTargetRisk(
                    dev, 0.1, 0.1, RiskControl.Correction.BONFERRONI, new double[] {Double.NaN}))
        .hasMessageContaining("expected distinct finite values >= 0");
    assertThatThrownBy(() -> RiskControl.clopperPearsonUpper(3, 2, 0.1))
        .hasMessageContaining("expected 0 <= errors <= trials");
    assertThatThrownBy(() -> RiskControl.clopperPearsonUpper(1, 2, 1))
        .hasMessageContaining("level is 1.0");
  }
}
