package io.calibra.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The completions scorer over the fake server agrees with the local {@code CausalLmScorer} on the
 * GPT-2 fixture (same prompts and words, the multi-token " wonderfully good" included) to 1e-5, and
 * with PyTorch's values in the fixture's expected.json (make_gpt2_tiny.py) to 1e-4.
 */
class CompletionsAgreementTest {
  private static Gpt2Fixture model;
  private static FakeOpenAiServer server;
  private static JsonNode expected;
  private static LabelSet labels;
  private static List<String> prompts;

  @BeforeAll
  static void start() throws IOException {
    model = new Gpt2Fixture();
    server = new FakeOpenAiServer(model);
    expected = new ObjectMapper().readTree(Gpt2Fixture.folder().resolve("expected.json").toFile());
    Map<String, List<String>> verbalizers = new LinkedHashMap<>();
    expected
        .get("labels")
        .properties()
        .forEach(
            e -> {
              List<String> words = new ArrayList<>();
              e.getValue().forEach(w -> words.add(w.asText()));
              verbalizers.put(e.getKey(), words);
            });
    labels = LabelSet.ofVerbalizers(verbalizers);
    prompts = new ArrayList<>();
    expected.get("prompts").forEach(p -> prompts.add(p.asText()));
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  private static List<LabelScores> local(List<String> texts, LabelSet set) {
    try (Scorer s = OnnxScorers.causalLm(ModelSource.directory(Gpt2Fixture.folder())).build()) {
      return s.scoreAll(texts, set);
    }
  }

  @Test
  void agreesWithTheLocalCausalScorerAndPyTorch() {
    List<LabelScores> want = local(prompts, labels);
    int before = server.requests();
    server.reverseChoices(true);
    try (HttpScorer s =
        OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny").promptsPerRequest(3).build()) {
      List<LabelScores> got = s.scoreAll(prompts, labels);
      for (int i = 0; i < prompts.size(); i++) {
        assertThat(got.get(i).toArray())
            .as("prompt %d", i)
            .containsExactly(want.get(i).toArray(), within(1e-5));
        JsonNode row = expected.get("log_probabilities").get(i);
        assertThat(got.get(i).toArray())
            .as("prompt %d vs PyTorch", i)
            .containsExactly(
                new double[] {row.get(0).asDouble(), row.get(1).asDouble()}, within(1e-4));
      }
      // 4 prompts x 4 words = 16 texts, 3 per request
      assertThat(s.requestsSent()).isEqualTo(6);
      assertThat(server.requests() - before).isEqualTo(6);
      assertThat(s.boundedRows()).isZero();
    } finally {
      server.reverseChoices(false);
    }
  }

  @Test
  void requestBodyIsTheDocumentedOne() throws IOException {
    int before = server.requests();
    try (HttpScorer s =
        OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny").maxTokens(0).build()) {
      LabelScores got =
          s.score(
              prompts.get(1),
              LabelSet.builder().add("a", " negative").add("b", " positive").build());
      assertThat(got.toArray())
          .containsExactly(
              local(
                      List.of(prompts.get(1)),
                      LabelSet.builder().add("a", " negative").add("b", " positive").build())
                  .get(0)
                  .toArray(),
              within(1e-5));
    }
    JsonNode body = new ObjectMapper().readTree(server.bodies().get(before));
    assertThat(body.toString())
        .isEqualTo(
            "{\"model\":\"gpt2-tiny\",\"prompt\":[\"Review: N/A\\nSentiment: negative\","
                + "\"Review: N/A\\nSentiment: positive\"],\"max_tokens\":0,\"echo\":true,"
                + "\"logprobs\":0,\"temperature\":0}");
    assertThat(server.authorizations().get(before)).isEmpty();
  }
}
