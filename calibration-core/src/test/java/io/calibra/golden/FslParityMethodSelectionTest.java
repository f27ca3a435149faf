package io.calibra.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.calibrate.MethodSelection;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Method selection ranks contextual calibration by both p_cf rules on LM log-probabilities.
 * Expected values from golden/fsl-parity-logprob.json (golden/README.md): the contextual candidates
 * are fitted once on the content-free scores (not per fold), so their pooled out-of-fold
 * predictions are every row calibrated by that rule: for raw-mass the golden's
 * contextual_probabilities (numpy) and the reference code's accuracy_contextual; for normalised, q
 * = normalise(p / p_cf_if_normalised_first) computed here from the golden's numbers.
 */
class FslParityMethodSelectionTest {
  static final LabelSet LABELS = FslParityGoldenTest.LABELS;

  static LabelledSet dev() {
    List<LabelDistribution> rows = FslParityGoldenTest.rows();
    int[] gold = new int[rows.size()];
    for (int i = 0; i < gold.length; i++) {
      gold[i] = FslParityGoldenTest.ROOT.get("rows").get(i).get("gold").asInt();
    }
    return LabelledSet.of(rows, gold);
  }

  static double nll(List<double[]> q, LabelledSet dev) {
    double sum = 0;
    for (int i = 0; i < q.size(); i++) {
      sum -= Math.log(q.get(i)[dev.gold(i)]);
    }
    return sum / q.size();
  }

  static double accuracy(List<double[]> q, LabelledSet dev) {
    int correct = 0;
    for (int i = 0; i < q.size(); i++) {
      correct += (q.get(i)[1] > q.get(i)[0] ? 1 : 0) == dev.gold(i) ? 1 : 0;
    }
    return (double) correct / q.size();
  }

  static CalibrationMetrics metrics(MethodSelection.Report report, String name) {
    return report.ranked().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow()
        .metrics()
        .orElseThrow();
  }

  @Test
  void bothRulesAreCandidatesAndTheirOutOfFoldMetricsAreTheGoldens() {
    LabelledSet dev = dev();
    List<MethodSelection.Candidate> candidates =
        MethodSelection.defaultCandidatesFromScores(LABELS, FslParityGoldenTest.contentFree());
    assertThat(candidates)
        .extracting(MethodSelection.Candidate::name)
        .contains(
            "none",
            "temperature",
            "contextual/raw-mass",
            "contextual/normalised",
            "contextual/raw-mass+temperature",
            "contextual/normalised+temperature")
        .doesNotContain("contextual", "contextual+temperature");
    MethodSelection.Report report = MethodSelection.crossValidate(dev, candidates, 5, 3);

    JsonNode expected = FslParityGoldenTest.ROOT.get("expected");
    List<double[]> rawMass = new ArrayList<>();
    for (JsonNode row : expected.get("contextual_probabilities")) {
      rawMass.add(GoldenCase.doubles(row));
    }
    CalibrationMetrics raw = metrics(report, "contextual/raw-mass");
    assertThat(raw.nll()).isCloseTo(nll(rawMass, dev), within(1e-9));
    assertThat(raw.accuracy()).isEqualTo(expected.get("accuracy_contextual").asDouble());

    double[] pcf = GoldenCase.doubles(expected.get("p_cf_if_normalised_first"));
    List<double[]> normalised = new ArrayList<>();
    for (int i = 0; i < dev.size(); i++) {
      LabelDistribution p = dev.distribution(i);
      double a = p.probability(0) / pcf[0];
      double b = p.probability(1) / pcf[1];
      normalised.add(new double[] {a / (a + b), b / (a + b)});
    }
    CalibrationMetrics norm = metrics(report, "contextual/normalised");
    assertThat(norm.nll()).isCloseTo(nll(normalised, dev), within(1e-6));
    assertThat(norm.accuracy()).isEqualTo(accuracy(normalised, dev));
    // the golden's point: the two rules differ, here in NLL
    assertThat(Math.abs(raw.nll() - norm.nll())).isGreaterThan(1e-3);
  }

  @Test
  void logitsAndProbabilitiesKeepTheSingleContextualCandidate() {
    List<LabelScores> logits = new ArrayList<>();
    for (LabelScores s : FslParityGoldenTest.contentFree()) {
      logits.add(LabelScores.of(LABELS, ScoreKind.LOGIT, s.toArray()));
    }
    List<String> names =
        MethodSelection.defaultCandidatesFromScores(LABELS, logits).stream()
            .map(MethodSelection.Candidate::name)
            .toList();
    assertThat(names).contains("contextual", "contextual+temperature");
    assertThat(names).noneMatch(n -> n.contains("/"));
    assertThat(
            MethodSelection.defaultCandidatesFromScores(LABELS, List.of()).stream()
                .map(MethodSelection.Candidate::name))
        .noneMatch(n -> n.startsWith("contextual"));
  }

  @Test
  void otherLabelsAreRefused() {
    assertThatThrownBy(
            () ->
                MethodSelection.defaultCandidatesFromScores(
                    LabelSet.of("a", "b"), FslParityGoldenTest.contentFree()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
