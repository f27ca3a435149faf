package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.GenerativeCalibration;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ancestral sampling on the GPT-2 fixture: the draw rule by hand, reproducibility by seed, the stop
 * text and the token limit, and generative calibration end to end equal to the mean of the scorer's
 * distributions on the sampled inputs.
 */
class CausalLmSamplerTest {
  static final LabelSet LABELS =
      LabelSet.ofVerbalizers(
          java.util.Map.of("negative", List.of(" negative"), "positive", List.of(" positive")));

  @Test
  void drawFollowsTheCumulativeSoftmax() {
    // hand computed: logits (0, ln 3) give probabilities (0.25, 0.75)
    FloatBuffer two = FloatBuffer.wrap(new float[] {9f, 0f, (float) Math.log(3)});
    assertThat(CausalLmSampler.draw(two, 1, 2, 0.0)).isZero();
    assertThat(CausalLmSampler.draw(two, 1, 2, 0.2)).isZero();
    assertThat(CausalLmSampler.draw(two, 1, 2, 0.26)).isEqualTo(1);
    assertThat(CausalLmSampler.draw(two, 1, 2, 0.999999)).isEqualTo(1);
    // a token of probability zero is never drawn, at either end
    float ninf = Float.NEGATIVE_INFINITY;
    FloatBuffer masked = FloatBuffer.wrap(new float[] {ninf, 0f, ninf});
    for (double u : new double[] {0.0, 0.5, Math.nextDown(1.0)}) {
      assertThat(CausalLmSampler.draw(masked, 0, 3, u)).isEqualTo(1);
    }
    // far below exp's underflow: the maximum is subtracted first
    FloatBuffer low = FloatBuffer.wrap(new float[] {-5000f, -5000f + (float) Math.log(3)});
    assertThat(CausalLmSampler.draw(low, 0, 2, 0.26)).isEqualTo(1);
    assertThatThrownBy(
            () -> CausalLmSampler.draw(FloatBuffer.wrap(new float[] {0f, Float.NaN}), 0, 2, 0.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected a finite value");
    assertThatThrownBy(
            () -> CausalLmSampler.draw(FloatBuffer.wrap(new float[] {ninf, ninf}), 0, 2, 0.5))
        .hasMessageContaining("-Infinity for every token");
  }

  static PromptTemplate template() {
    return PromptTemplate.builder(LABELS)
        .inputPrefix("Review: ")
        .inputAnswerSeparator("\n")
        .answerPrefix("Sentiment:")
        .demonstrationSeparator("\n\n")
        .demonstration("a gem of a film", "positive")
        .demonstration("dull and slow", "negative")
        .build();
  }

  @Test
  void samplesAreReproducibleStopAtTheSeparatorAndRespectTheLimit() {
    String prefix = GenerativeCalibration.inputSlotPrefix(template());
    List<String> a;
    List<String> b;
    List<String> c;
    try (CausalLmSampler s =
        OnnxScorers.causalLm(ExactFixtures.source("gpt2-tiny")).buildSampler()) {
      a = s.sample(prefix, "\n", 6, 5, 11);
      c = s.sample(prefix, "\n", 6, 5, 12);
      List<String> again = s.sample(prefix, "\n", 6, 5, 11);
      assertThat(again).isEqualTo(a);
      List<String> one = s.sample(prefix, null, 1, 8, 3);
      TextTokenizer t =
          TextTokenizer.load("gpt2", ExactFixtures.source("gpt2-tiny").readTokenizer());
      try (t) {
        for (String x : one) {
          // a single token decodes to text that re-encodes to at most one token
          assertThat(t.idsWithoutSpecialTokens(x).length).as("%s", x).isLessThanOrEqualTo(1);
        }
      }
      assertThatThrownBy(() -> s.sample(prefix, "\n", 0, 1, 1))
          .hasMessageContaining("sampling token limit is 0; expected at least 1");
      assertThatThrownBy(() -> s.sample(prefix, "\n", 1, 0, 1))
          .hasMessageContaining("sample count is 0; expected at least 1");
      assertThatThrownBy(() -> s.sample("", "\n", 1, 1, 1))
          .hasMessageContaining("the prompt to sample from has no tokens");
    }
    // a separately opened sampler (its own session) draws the same texts
    try (CausalLmSampler s =
        OnnxScorers.causalLm(ExactFixtures.source("gpt2-tiny")).buildSampler()) {
      b = s.sample(prefix, "\n", 6, 5, 11);
    }
    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
    assertThat(a).hasSize(5).allSatisfy(x -> assertThat(x).doesNotContain("\n"));
  }

  @Test
  void generativeCalibrationEndToEnd() {
    PromptTemplate template = template();
    try (Scorer scorer = OnnxScorers.causalLm(ExactFixtures.source("gpt2-tiny")).build();
        CausalLmSampler sampler =
            OnnxScorers.causalLm(ExactFixtures.source("gpt2-tiny")).buildSampler()) {
      Calibrator c = GenerativeCalibration.fit(scorer, sampler, template, 4, 5, 21);
      List<String> inputs = GenerativeCalibration.sampleInputs(sampler, template, 4, 5, 21);
      List<LabelDistribution> d = new ArrayList<>();
      for (LabelScores s : scorer.scoreAll(template.renderAll(inputs), LABELS)) {
        d.add(s.toDistribution());
      }
      assertThat(c).isEqualTo(GenerativeCalibration.fit(d));
      assertThat(c.method()).isEqualTo("generative");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
