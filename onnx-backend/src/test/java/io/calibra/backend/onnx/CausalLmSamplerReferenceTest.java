package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ONNX sampler's draws against a Python reference: src/test/fixtures/ sampler_reference.py
 * re-implements {@code java.util.Random} and the ancestral sampling rule on the GPT-2 fixture's
 * logits computed with PyTorch from the fixture's weights (checked bit for bit against model.onnx),
 * and wrote the token ids and texts of sampler-golden.json. The Java sampler, on ONNX Runtime, must
 * draw the same token ids and return the same texts.
 */
class CausalLmSamplerReferenceTest {
  @Test
  void drawsTheSameTokensAsThePythonReference() throws IOException {
    JsonNode golden;
    try (InputStream in =
        getClass().getResourceAsStream("/fixtures/gpt2-tiny/sampler-golden.json")) {
      assertThat(in).as("sampler-golden.json").isNotNull();
      golden = new ObjectMapper().readTree(in);
    }
    assertThat(golden.get("cases")).hasSizeGreaterThanOrEqualTo(5);
    int compared = 0;
    try (CausalLmSampler sampler =
            OnnxScorers.causalLm(ExactFixtures.source("gpt2-tiny")).buildSampler();
        TextTokenizer tokenizer =
            TextTokenizer.load("gpt2", ExactFixtures.source("gpt2-tiny").readTokenizer())) {
      for (JsonNode c : golden.get("cases")) {
        String prompt = c.get("prompt").asText();
        assertThat(tokenizer.idsWithoutSpecialTokens(prompt))
            .as("the prompt's ids (gpt-3-encoder's, from expected.json)")
            .containsExactly(longs(c.get("prompt_ids")));
        String stop = c.get("stop").isNull() ? null : c.get("stop").asText();
        List<CausalLmSampler.Draw> draws =
            sampler.draws(
                prompt,
                stop,
                c.get("max_tokens").asInt(),
                c.get("count").asInt(),
                c.get("seed").asLong());
        JsonNode samples = c.get("samples");
        assertThat(draws).hasSize(samples.size());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
          assertThat(draws.get(i).ids())
              .as("case seed %s sample %d", c.get("seed"), i)
              .containsExactly(longs(samples.get(i).get("ids")));
          assertThat(draws.get(i).text()).isEqualTo(samples.get(i).get("text").asText());
          texts.add(samples.get(i).get("text").asText());
          compared++;
        }
        // sample() returns exactly the texts of the draws
        assertThat(
                sampler.sample(
                    prompt,
                    stop,
                    c.get("max_tokens").asInt(),
                    c.get("count").asInt(),
                    c.get("seed").asLong()))
            .isEqualTo(texts);
      }
    }
    assertThat(compared).isGreaterThanOrEqualTo(15);
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
