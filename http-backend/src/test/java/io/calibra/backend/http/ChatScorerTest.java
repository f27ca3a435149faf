package io.calibra.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chat scorer: the request, top-k matching, bounds, and its errors. */
class ChatScorerTest {
  static final String PROMPT = "Review: N/A\nSentiment:";
  private static Gpt2Fixture model;
  private static FakeOpenAiServer server;

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

  /** Answers with these top_logprobs (token, logprob pairs). */
  private static FakeOpenAiServer.Fault top(Object... pairs) {
    return FakeOpenAiServer.edited(
        r -> {
          ObjectNode content =
              (ObjectNode) r.get("choices").get(0).get("logprobs").get("content").get(0);
          ArrayNode top = content.putArray("top_logprobs");
          for (int i = 0; i < pairs.length; i += 2) {
            top.addObject().put("token", (String) pairs[i]).put("logprob", (Double) pairs[i + 1]);
          }
          return r;
        });
  }

  private static HttpScorer chat() {
    return OpenAiScorers.chat(server.baseUrl(), "chat-model").build();
  }

  @Test
  void sendsTheDocumentedRequest() throws IOException {
    int before = server.requests();
    try (HttpScorer s = chat()) {
      s.score(PROMPT, LabelSet.builder().add("a", " negative").add("b", " positive").build());
    }
    JsonNode body = new ObjectMapper().readTree(server.bodies().get(before));
    assertThat(body.toString())
        .isEqualTo(
            "{\"model\":\"chat-model\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Review: N/A\\nSentiment:\"}],\"max_tokens\":1,\"logprobs\":true,"
                + "\"top_logprobs\":20,\"temperature\":0}");
  }

  @Test
  void matchesTheLongestPrefixTokenAsWrittenAndBoundsMissingLabels() {
    // hand computed: positive = -0.5 (" positive"; the shorter " pos" does not count, and
    // "positive" without the space does not spell " positive"); negative = -1.2; neutral is
    // missing: min = -3.0
    server.enqueue(
        top(" positive", -0.5, " negative", -1.2, "positive", -2.0, " pos", -2.5, " the", -3.0));
    LabelSet labels =
        LabelSet.builder()
            .add("negative", " negative")
            .add("positive", " positive")
            .add("neutral", " neutral")
            .build();
    try (HttpScorer s = chat()) {
      LabelScores row = s.score(PROMPT, labels);
      assertThat(row.toArray()).containsExactly(new double[] {-1.2, -0.5, -3.0}, within(1e-12));
      assertThat(s.boundedRows()).isEqualTo(1);
      server.enqueue(top(" negative", -0.2, " positive", -2.0, " neutral", -4.0));
      s.score(PROMPT, labels);
      assertThat(s.boundedRows()).isEqualTo(1);
    }
  }

  @Test
  void agreesWithTheLocalScorerForFirstTokensInTheTopK() {
    // the fake answers with the GPT-2 fixture's own next-token distribution; with k = the whole
    // vocabulary every label is found, and a one-token word's score is its token's
    // log-probability, which the local CausalLmScorer computes too
    LabelSet labels = LabelSet.builder().add("a", " negative").add("b", " positive").build();
    for (String word : List.of(" negative", " positive")) {
      assertThat(model.run(word).ids()).hasSize(1);
    }
    double[] want;
    try (Scorer local = OnnxScorers.causalLm(ModelSource.directory(Gpt2Fixture.folder())).build()) {
      want = local.score(PROMPT, labels).toArray();
    }
    try (HttpScorer s = OpenAiScorers.chat(server.baseUrl(), "m").topLogprobs(60_000).build()) {
      assertThat(s.score(PROMPT, labels).toArray()).containsExactly(want, within(1e-5));
      assertThat(s.boundedRows()).isZero();
    }
  }

  @Test
  void aTokenThatStandsForTwoLabelsIsAnError() {
    server.enqueue(top(" pos", -0.5, " neg", -1.0));
    LabelSet labels =
        LabelSet.builder()
            .add("positive", " positive")
            .add("possible", " possible")
            .add("negative", " negative")
            .build();
    try (HttpScorer s = chat()) {
      assertThatThrownBy(() -> s.score(PROMPT, labels))
          .hasMessageContaining("labels 'positive' and 'possible' both begin with token ' pos'");
    }
  }

  @Test
  void missingLogprobsIsAClearError() {
    server.enqueue(
        FakeOpenAiServer.edited(
            r -> {
              ((ObjectNode) r.get("choices").get(0)).remove("logprobs");
              return r;
            }));
    try (HttpScorer s = chat()) {
      assertThatThrownBy(
              () -> s.score(PROMPT, LabelSet.builder().add("a", " a").add("b", " b").build()))
          .hasMessageContaining("returned no logprobs.content[0].top_logprobs for prompt 0");
    }
  }
}
