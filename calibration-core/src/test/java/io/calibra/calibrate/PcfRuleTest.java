package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.calibrate.ContextualCalibration.Form;
import io.calibra.calibrate.ContextualCalibration.Rule;
import io.calibra.label.LabelSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The p_cf rules: raw mass in log space, defaults, and their errors. */
class PcfRuleTest {
  static final LabelSet LABELS = LabelSet.of("a", "b", "c");

  static LabelScores lp(double... v) {
    return LabelScores.of(LABELS, ScoreKind.LOG_PROBABILITY, v);
  }

  @Test
  void rawMassByHand() {
    // hand computed: exp values (0.1, 0.2, 0.3) and (0.3, 0.2, 0.1): mean (0.2, 0.2, 0.2) -> 1/3
    // each; normalised-first gives the same here, so the second pair differs in total mass:
    // (0.1, 0.1, 0.1) and (0.6, 0.2, 0.2): mean (0.35, 0.15, 0.15) -> (0.5385, 0.2308, 0.2308)
    var p =
        ContextualCalibration.estimateBias(
            List.of(
                lp(Math.log(0.1), Math.log(0.1), Math.log(0.1)),
                lp(Math.log(0.6), Math.log(0.2), Math.log(0.2))),
            Rule.RAW_MASS);
    assertThat(p.probability(0)).isCloseTo(0.35 / 0.65, within(1e-12));
    assertThat(p.probability(1)).isCloseTo(0.15 / 0.65, within(1e-12));
    // normalised first: (1/3, 1/3, 1/3) and (0.6, 0.2, 0.2) -> mean (0.4667, 0.2667, 0.2667)
    var n =
        ContextualCalibration.estimateBias(
            List.of(
                lp(Math.log(0.1), Math.log(0.1), Math.log(0.1)),
                lp(Math.log(0.6), Math.log(0.2), Math.log(0.2))),
            Rule.NORMALISED);
    assertThat(n.probability(0)).isCloseTo((1 / 3.0 + 0.6) / 2, within(1e-12));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void rawMassIsStableFarBelowUnderflowAndInvariantToAShift(long seed) {
    // exp(-2000) underflows to 0 in double; a shift of every score by a constant cancels
    Random r = new Random(seed);
    double[][] v = new double[4][3];
    for (double[] row : v) {
      for (int k = 0; k < 3; k++) {
        row[k] = -5 * r.nextDouble();
      }
    }
    var base = ContextualCalibration.estimateBias(toScores(v, 0), Rule.RAW_MASS);
    var shifted = ContextualCalibration.estimateBias(toScores(v, -2000), Rule.RAW_MASS);
    for (int k = 0; k < 3; k++) {
      assertThat(shifted.probability(k)).isCloseTo(base.probability(k), within(1e-12));
      // direct formula on the unshifted numbers
      double sum = 0;
      double total = 0;
      for (double[] row : v) {
        sum += Math.exp(row[k]);
      }
      for (double[] row : v) {
        for (double x : row) {
          total += Math.exp(x);
        }
      }
      assertThat(base.probability(k)).isCloseTo(sum / total, within(1e-12));
    }
  }

  static List<LabelScores> toScores(double[][] v, double shift) {
    return java.util.Arrays.stream(v)
        .map(row -> lp(row[0] + shift, row[1] + shift, row[2] + shift))
        .toList();
  }

  @Test
  void defaultsFollowTheKind() {
    assertThat(Rule.defaultFor(ScoreKind.LOG_PROBABILITY)).isEqualTo(Rule.RAW_MASS);
    assertThat(Rule.defaultFor(ScoreKind.LOGIT)).isEqualTo(Rule.NORMALISED);
    var logits = List.of(LabelScores.of(LABELS, ScoreKind.LOGIT, 1, 2, 3));
    assertThat(ContextualCalibration.rule(ContextualCalibration.fitScores(logits, Form.DIAGONAL)))
        .contains(Rule.NORMALISED);
    assertThat(Rule.parse(" Raw-Mass ")).isEqualTo(Rule.RAW_MASS);
    assertThat(Rule.parse("normalised")).isEqualTo(Rule.NORMALISED);
  }

  @Test
  void errors() {
    var logits = List.of(LabelScores.of(LABELS, ScoreKind.LOGIT, 1, 2, 3));
    assertThatThrownBy(() -> ContextualCalibration.estimateBias(logits, Rule.RAW_MASS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the raw-mass p_cf rule needs log-probabilities; found logit");
    assertThatThrownBy(
            () ->
                ContextualCalibration.estimateBias(
                    List.of(lp(-1, -2, -3), LabelScores.of(LABELS, ScoreKind.LOGIT, 1, 2, 3)),
                    Rule.RAW_MASS))
        .hasMessageContaining("expected one kind");
    assertThatThrownBy(() -> ContextualCalibration.estimateBias(List.of(), Rule.RAW_MASS))
        .hasMessageContaining("needs at least one content-free score; found none");
    assertThatThrownBy(() -> Rule.parse("raw"))
        .hasMessageContaining("p_cf rule 'raw' is unknown; expected raw-mass or normalised");
    // a label with no mass on any content-free input cannot be divided by
    assertThatThrownBy(
            () ->
                ContextualCalibration.fit(
                    List.of(lp(-1, Double.NEGATIVE_INFINITY, -3)), Form.DIAGONAL, Rule.RAW_MASS))
        .hasMessageContaining("label 'b'");
  }

  @Test
  void ruleIsPartOfEqualityAndToString() {
    double[] p = {0.2, 0.3, 0.5};
    var raw = ContextualCalibration.fromBias(LABELS, p, Form.DIAGONAL, Rule.RAW_MASS);
    var norm = ContextualCalibration.fromBias(LABELS, p, Form.DIAGONAL);
    assertThat(raw).isNotEqualTo(norm);
    assertThat(norm)
        .isEqualTo(ContextualCalibration.fromBias(LABELS, p, Form.DIAGONAL, Rule.NORMALISED));
    assertThat(raw.toString()).contains("pcf=raw-mass");
    var sub = ContextualCalibration.fromBias(LABELS, p, Form.SUBTRACTIVE, Rule.RAW_MASS);
    assertThat(ContextualCalibration.rule(sub)).contains(Rule.RAW_MASS);
    assertThat(ContextualCalibration.rule(TemperatureScaling.of(LABELS, 2.0))).isEmpty();
  }
}
