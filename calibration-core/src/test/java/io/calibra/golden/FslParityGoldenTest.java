package io.calibra.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.ContextualCalibration.Form;
import io.calibra.calibrate.ContextualCalibration.Rule;
import io.calibra.calibrate.DomainContextCalibration;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference code's p_cf on LM log-probabilities. Expected values from
 * golden/fsl-parity-logprob.json (see golden/README.md): p_cf and the calibrated rows by numpy, the
 * accuracies by the reference code's own {@code eval_accuracy} (tonyzhaozh/few-shot-learning).
 */
class FslParityGoldenTest {
  static final JsonNode ROOT = load();
  static final LabelSet LABELS = LabelSet.of("negative", "positive");

  static JsonNode load() {
    try (InputStream in =
        FslParityGoldenTest.class.getResourceAsStream("/golden/fsl-parity-logprob.json")) {
      return new ObjectMapper().readTree(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<LabelScores> contentFree() {
    List<LabelScores> out = new ArrayList<>();
    for (String input : List.of("N/A", "", "[MASK]")) {
      out.add(
          LabelScores.of(
              LABELS,
              ScoreKind.LOG_PROBABILITY,
              GoldenCase.doubles(ROOT.get("content_free_logprobs").get(input))));
    }
    return out;
  }

  static double accuracy(List<LabelDistribution> rows) {
    int correct = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).argmax() == ROOT.get("rows").get(i).get("gold").asInt()) {
        correct++;
      }
    }
    return (double) correct / rows.size();
  }

  static List<LabelDistribution> rows() {
    List<LabelDistribution> out = new ArrayList<>();
    for (JsonNode r : ROOT.get("rows")) {
      out.add(LabelDistribution.ofLogProbabilities(LABELS, GoldenCase.doubles(r.get("logprobs"))));
    }
    return out;
  }

  @Test
  void rawMassIsTheReferencePcfAndReproducesEveryRowAndTheAccuracy() {
    JsonNode expected = ROOT.get("expected");
    Calibrator c = ContextualCalibration.fitScores(contentFree(), Form.DIAGONAL);
    assertThat(ContextualCalibration.rule(c)).contains(Rule.RAW_MASS);
    double[] pcf = c.parameters().get("bias");
    double[] want = GoldenCase.doubles(expected.get("p_cf"));
    for (int k = 0; k < 2; k++) {
      assertThat(pcf[k]).isCloseTo(want[k], within(1e-9));
    }
    List<LabelDistribution> raw = rows();
    List<LabelDistribution> q = c.applyAll(raw);
    JsonNode probs = expected.get("contextual_probabilities");
    assertThat(q).hasSize(probs.size());
    for (int i = 0; i < q.size(); i++) {
      double[] w = GoldenCase.doubles(probs.get(i));
      for (int k = 0; k < 2; k++) {
        assertThat(q.get(i).probability(k))
            .as("row %d label %d", i, k)
            .isCloseTo(w[k], within(1e-9));
      }
    }
    assertThat(accuracy(raw)).isEqualTo(expected.get("accuracy_raw").asDouble());
    assertThat(accuracy(q)).isEqualTo(expected.get("accuracy_contextual").asDouble());
  }

  @Test
  void normalisedRuleIsTheNormaliseFirstContrastAndDiffers() {
    JsonNode expected = ROOT.get("expected");
    double[] want = GoldenCase.doubles(expected.get("p_cf_if_normalised_first"));
    LabelDistribution n = ContextualCalibration.estimateBias(contentFree(), Rule.NORMALISED);
    LabelDistribution r = ContextualCalibration.estimateBias(contentFree(), Rule.RAW_MASS);
    for (int k = 0; k < 2; k++) {
      assertThat(n.probability(k)).isCloseTo(want[k], within(1e-9));
    }
    assertThat(Math.abs(n.probability(0) - r.probability(0))).isGreaterThan(0.2);
    // the distribution-based fit can only be normalised, and agrees with the rule by name
    Calibrator fromDistributions =
        ContextualCalibration.fit(contentFree().stream().map(LabelScores::toDistribution).toList());
    assertThat(ContextualCalibration.rule(fromDistributions)).contains(Rule.NORMALISED);
    assertThat(fromDistributions.parameters().get("bias")[0])
        .isCloseTo(n.probability(0), within(1e-15));
  }

  @Test
  void domainContextOnLogProbabilitiesUsesTheSameRule() {
    Calibrator d = DomainContextCalibration.fit(contentFree(), Rule.RAW_MASS);
    double[] want = GoldenCase.doubles(ROOT.get("expected").get("p_cf"));
    assertThat(d.parameters().get("bias")[0]).isCloseTo(want[0], within(1e-9));
    assertThat(ContextualCalibration.rule(d)).contains(Rule.RAW_MASS);
  }
}
