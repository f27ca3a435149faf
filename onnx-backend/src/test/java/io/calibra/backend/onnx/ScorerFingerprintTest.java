package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.backend.ContentFreeCache;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every embedded-encoder scorer reported the same model id whatever its configuration, and the
 * content-free cache keyed on it, so a few-shot classifier got the zero-shot classifier's bias.
 * Scorers now have fingerprints covering their configuration.
 */
class ScorerFingerprintTest {
  private static final LabelSet SENTIMENT = EncoderScorerTest.SENTIMENT;
  private static final Map<String, List<String>> EXAMPLES =
      Map.of(
          "negative", List.of("dull and slow", "a waste of time"),
          "positive", List.of("a gem of a film", "charming and funny"));

  private static OnnxScorers.EncoderBuilder int8() {
    return OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8()).batchSize(1);
  }

  @Test
  void differentlyConfiguredEncodersNeverShareAFingerprintOrACacheEntry() {
    PromptTemplate template = PromptTemplate.identity(SENTIMENT);
    List<String> inputs = ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS;
    ContentFreeCache cache = new ContentFreeCache();
    try (Scorer zeroShot = int8().build();
        Scorer zeroShotAgain = int8().build();
        Scorer fewShot = int8().fewShot(EXAMPLES).build();
        Scorer scaled = int8().scale(0.1).build();
        Scorer fewShotScaled = int8().fewShot(EXAMPLES).scale(0.1).build();
        Scorer shortContext = int8().maxTokens(64).build()) {
      // The bug's premise: the model id alone cannot tell them apart.
      assertThat(fewShot.modelId()).isEqualTo(zeroShot.modelId());
      assertThat(zeroShotAgain.fingerprint()).isEqualTo(zeroShot.fingerprint());
      Set<String> fingerprints = new HashSet<>();
      for (Scorer s : List.of(zeroShot, fewShot, scaled, fewShotScaled, shortContext)) {
        assertThat(s.fingerprint()).matches("[0-9a-f]{64}");
        fingerprints.add(s.fingerprint());
      }
      assertThat(fingerprints).hasSize(5);

      List<LabelDistribution> zero =
          ContextualCalibration.contentFreeDistributions(zeroShot, template, inputs, cache);
      List<LabelDistribution> few =
          ContextualCalibration.contentFreeDistributions(fewShot, template, inputs, cache);
      List<LabelDistribution> scaledCf =
          ContextualCalibration.contentFreeDistributions(scaled, template, inputs, cache);
      assertThat(cache.size()).isEqualTo(3);
      // Each scorer gets its own scores, equal to asking it directly, not another's.
      assertThat(few).isEqualTo(direct(fewShot, inputs)).isNotEqualTo(zero);
      assertThat(scaledCf).isEqualTo(direct(scaled, inputs)).isNotEqualTo(zero);
      // The same configuration twice shares the entry.
      assertThat(
              ContextualCalibration.contentFreeDistributions(
                  zeroShotAgain, template, inputs, cache))
          .isEqualTo(zero);
      assertThat(cache.size()).isEqualTo(3);
    }
  }

  private static List<LabelDistribution> direct(Scorer scorer, List<String> inputs) {
    return scorer.scoreAll(inputs, SENTIMENT).stream().map(LabelScores::toDistribution).toList();
  }

  @Test
  void fp32AndInt8ModelsDiffer() {
    try (Scorer fp32 = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build();
        Scorer int8 = int8().build()) {
      assertThat(fp32.fingerprint()).isNotEqualTo(int8.fingerprint());
    }
  }

  /** The fingerprint hashes the model's bytes: the same files under another name agree. */
  @Test
  void languageModelFingerprintsCoverContentAndSettings() throws Exception {
    Path dir = ExactFixtures.folder("causal-exact");
    byte[] model = Files.readAllBytes(dir.resolve(ModelSource.MODEL_FILE));
    byte[] tokenizer = Files.readAllBytes(dir.resolve(ModelSource.TOKENIZER_FILE));
    try (Scorer causal = OnnxScorers.causalLm(ExactFixtures.source("causal-exact")).build();
        Scorer sameBytes =
            OnnxScorers.causalLm(ModelSource.bytes("elsewhere", model, tokenizer)).build();
        Scorer withBos =
            OnnxScorers.causalLm(ExactFixtures.source("causal-exact"))
                .beginningOfSequence("<bos>")
                .build();
        Scorer shorter =
            OnnxScorers.causalLm(ExactFixtures.source("causal-exact")).maxTokens(4).build();
        Scorer otherModel = OnnxScorers.causalLm(ExactFixtures.source("causal-position")).build();
        Scorer masked = OnnxScorers.maskedLm(ExactFixtures.source("masked-exact")).build();
        Scorer classifier =
            OnnxScorers.classifier(ExactFixtures.source("classifier-exact")).build();
        Scorer remapped =
            OnnxScorers.classifier(ExactFixtures.source("classifier-exact"))
                .classIndex(Map.of("positive", 0, "negative", 2))
                .build()) {
      assertThat(sameBytes.modelId()).isNotEqualTo(causal.modelId());
      assertThat(sameBytes.fingerprint()).isEqualTo(causal.fingerprint());
      Set<String> distinct = new HashSet<>();
      for (Scorer s : List.of(causal, withBos, shorter, otherModel, masked, classifier, remapped)) {
        distinct.add(s.fingerprint());
      }
      assertThat(distinct).hasSize(7);
    }
  }
}
