package io.calibra.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completions sampler of generative calibration against the fake server, which samples from the
 * GPT-2 fixture: the request's fields, the answer's checks, the stop cut, and the cache making a
 * re-run send nothing.
 */
class CompletionsSamplerTest {
  static final String KEY = FaultInjectionTest.KEY;
  private static Gpt2Fixture model;
  private static FakeOpenAiServer server;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    model = new Gpt2Fixture();
    server = new FakeOpenAiServer(model);
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  @Test
  void sendsTemperatureOneStopMaxTokensNAndSeed() throws Exception {
    int before = server.requests();
    List<String> a;
    try (CompletionsSampler s =
        OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny").apiKey(KEY).buildSampler()) {
      a = s.sample("Review: a gem\nSentiment: positive\n\nReview:", "\n", 5, 3, 9);
      assertThat(s.requestsSent()).isEqualTo(1);
    }
    assertThat(server.requests()).isEqualTo(before + 1);
    JsonNode body = new ObjectMapper().readTree(server.bodies().get(server.bodies().size() - 1));
    assertThat(body.get("temperature").asInt()).isEqualTo(1);
    assertThat(body.get("max_tokens").asInt()).isEqualTo(5);
    assertThat(body.get("n").asInt()).isEqualTo(3);
    assertThat(body.get("seed").asLong()).isEqualTo(9);
    assertThat(body.get("stop").get(0).asText()).isEqualTo("\n");
    assertThat(body.has("echo")).isFalse();
    assertThat(a).hasSize(3).allSatisfy(x -> assertThat(x).doesNotContain("\n"));
  }

  @Test
  void theCacheServesARerunWithTheSameTexts() {
    Path cache = tmp.resolve("cache");
    List<String> first;
    try (CompletionsSampler s =
        OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny")
            .apiKey(KEY)
            .cache(cache)
            .buildSampler()) {
      first = s.sample("I loved it. Overall it was", null, 3, 2, 4);
    }
    try (CompletionsSampler s =
        OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny")
            .apiKey(KEY)
            .cache(cache)
            .buildSampler()) {
      assertThat(s.sample("I loved it. Overall it was", null, 3, 2, 4)).isEqualTo(first);
      assertThat(s.requestsSent()).isZero();
    }
  }

  @Test
  void badAnswersAndArgumentsAreClearErrors() {
    try (CompletionsSampler s =
        OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny")
            .apiKey(KEY)
            .maxRetries(0)
            .buildSampler()) {
      server.enqueue(
          FakeOpenAiServer.edited(
              r -> {
                ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("choices")).remove(0);
                return r;
              }));
      assertThatThrownBy(() -> s.sample("Hello", null, 2, 2, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("with 1 choices; expected 2");
      server.enqueue(
          FakeOpenAiServer.edited(
              r -> {
                ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("choices").get(1))
                    .put("index", 0);
                return r;
              }));
      assertThatThrownBy(() -> s.sample("Hello", null, 2, 2, 1))
          .hasMessageContaining("expected distinct indices 0..1 and string texts");
      // a server that leaves the stop string in the text: cut before it
      server.enqueue(
          FakeOpenAiServer.edited(
              r -> {
                ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("choices").get(0))
                    .put("text", "kept\nnot kept");
                return r;
              }));
      assertThat(s.sample("Hello", "\n", 2, 1, 1)).containsExactly("kept");
      assertThatThrownBy(() -> s.sample("Hello", null, 0, 1, 1))
          .hasMessageContaining("sampling token limit is 0; expected at least 1");
      assertThatThrownBy(() -> s.sample("Hello", null, 1, 0, 1))
          .hasMessageContaining("sample count is 0; expected at least 1");
    }
  }
}
