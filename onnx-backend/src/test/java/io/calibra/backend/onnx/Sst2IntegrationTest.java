package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import io.calibra.prompt.PromptTemplate;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The embedded fp32 zero-shot classifier on SST-2 test (1821 rows) reproduces the prototype: 70.5%
 * raw and 74.1% contextual accuracy, prediction counts 610|1211 and 938|883 (figures from the
 * onnx-backend issue), and every row's logits equal the golden case's (numpy reference) to 1e-4.
 * Skipped, with a message, when ../shared/data is absent.
 */
class Sst2IntegrationTest {

  @Test
  void zeroShotAndContextualAccuracyReproduceThePrototype() throws Exception {
    Optional<Path> sst2 = SharedData.sst2();
    Assumptions.assumeTrue(
        sst2.isPresent(), "SST-2 not found (../shared/data/sst2 or -Dcalibra.data): skipping");
    SharedData.Split test = SharedData.read(sst2.get().resolve("test.txt"));
    assertThat(test.sentences()).hasSize(1821);

    List<LabelScores> scores;
    Calibrator contextual;
    try (Scorer scorer = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
      scores = scorer.scoreAll(test.sentences(), EncoderScorerTest.SENTIMENT);
      contextual =
          ContextualCalibration.fit(scorer, PromptTemplate.identity(EncoderScorerTest.SENTIMENT));
    }

    JsonNode golden;
    try (InputStream in = getClass().getResourceAsStream("/sst2-zeroshot-minilm.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    for (int i = 0; i < scores.size(); i++) {
      JsonNode expected = golden.get("rows").get(i).get("logits");
      assertThat(scores.get(i).toArray())
          .as("row %d", i)
          .containsExactly(
              new double[] {expected.get(0).asDouble(), expected.get(1).asDouble()}, within(1e-4));
    }

    List<LabelDistribution> raw = new ArrayList<>();
    scores.forEach(s -> raw.add(s.toDistribution()));
    CalibrationMetrics before = Metrics.evaluate(LabelledSet.of(raw, test.gold()));
    CalibrationMetrics after =
        Metrics.evaluate(LabelledSet.of(contextual.applyAll(raw), test.gold()));
    assertThat(before.accuracy()).isCloseTo(0.705, within(0.01));
    assertThat(after.accuracy()).isCloseTo(0.741, within(0.01));
    assertThat(before.predictionCounts().get(0)).isCloseTo(610L, within(18L));
    assertThat(before.predictionCounts().get(1)).isCloseTo(1211L, within(18L));
    assertThat(after.predictionCounts().get(0)).isCloseTo(938L, within(18L));
    assertThat(after.predictionCounts().get(1)).isCloseTo(883L, within(18L));
  }
}
