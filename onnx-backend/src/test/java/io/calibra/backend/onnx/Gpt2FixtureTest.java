package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The random-weight GPT-2 fixtures (src/test/fixtures/make_gpt2_tiny.py) with GPT-2's real BPE:
 * token ids as the npm gpt-3-encoder gives them, label log-probabilities as PyTorch computes them
 * (expected.json), the same with and without past_key_values inputs.
 */
class Gpt2FixtureTest {
  private static JsonNode expected;
  private static LabelSet labels;
  private static List<String> prompts;

  @BeforeAll
  static void load() throws IOException {
    expected =
        new ObjectMapper()
            .readTree(ExactFixtures.folder("gpt2-tiny").resolve("expected.json").toFile());
    Map<String, List<String>> verbalizers = new LinkedHashMap<>();
    expected
        .get("labels")
        .fields()
        .forEachRemaining(
            e -> {
              List<String> words = new ArrayList<>();
              e.getValue().forEach(w -> words.add(w.asText()));
              verbalizers.put(e.getKey(), words);
            });
    labels = LabelSet.ofVerbalizers(verbalizers);
    prompts = new ArrayList<>();
    expected.get("prompts").forEach(p -> prompts.add(p.asText()));
  }

  static ModelSource withoutPast() {
    return ExactFixtures.source("gpt2-tiny");
  }

  static ModelSource withPast() {
    return ModelSource.files(
        ExactFixtures.folder("gpt2-tiny-past").resolve("model.onnx"),
        ExactFixtures.folder("gpt2-tiny").resolve("tokenizer.json"));
  }

  @Test
  void tokenizerMatchesGpt3EncoderIds() {
    TextTokenizer tokenizer = TextTokenizer.load("gpt2", withoutPast().readTokenizer());
    try (tokenizer) {
      for (int i = 0; i < prompts.size(); i++) {
        long[] ids = tokenizer.idsWithoutSpecialTokens(prompts.get(i));
        List<Long> want = new ArrayList<>();
        expected.get("prompt_ids").get(i).forEach(n -> want.add(n.asLong()));
        assertThat(ids)
            .as("prompt %d", i)
            .containsExactly(want.stream().mapToLong(Long::longValue).toArray());
      }
      expected
          .get("word_ids")
          .fields()
          .forEachRemaining(
              e -> {
                List<Long> want = new ArrayList<>();
                e.getValue().forEach(n -> want.add(n.asLong()));
                assertThat(tokenizer.idsWithoutSpecialTokens(e.getKey()))
                    .as("word '%s'", e.getKey())
                    .containsExactly(want.stream().mapToLong(Long::longValue).toArray());
              });
    }
  }

  @Test
  void labelLogProbabilitiesMatchPyTorch() {
    for (ModelSource source : List.of(withoutPast(), withPast())) {
      try (Scorer s = OnnxScorers.causalLm(source).build()) {
        List<LabelScores> out = s.scoreAll(prompts, labels);
        for (int i = 0; i < prompts.size(); i++) {
          JsonNode row = expected.get("log_probabilities").get(i);
          assertThat(out.get(i).toArray())
              .as("%s prompt %d", source.id(), i)
              .containsExactly(
                  new double[] {row.get(0).asDouble(), row.get(1).asDouble()}, within(1e-4));
        }
      }
    }
  }
}
