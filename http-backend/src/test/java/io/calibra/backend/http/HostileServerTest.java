package io.calibra.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.backend.LabelScores;
import io.calibra.label.LabelSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Servers that answer too much, never answer, refuse a list of prompts or integer biases, or send
 * top log-probabilities that overlap or miss the label words. Expected values: the GPT-2 fixture's
 * answers through a well-behaved fake server, and hand-computed log-probabilities.
 */
class HostileServerTest {
  static final LabelSet LABELS = FaultInjectionTest.LABELS;
  static final List<String> PROMPTS =
      List.of("Review: N/A\nSentiment:", "I loved it. Overall it was", "Review: dull\nSentiment:");

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

  private static OpenAiScorers.CompletionsBuilder completions(FakeOpenAiServer s) {
    return OpenAiScorers.completions(s.baseUrl(), "gpt2-tiny").sleeper(d -> {});
  }

  // ---- answers are bounded ----

  @Test
  void aStreamedAnswerOverTheLimitIsCutOffNamingTheServer() {
    server.enqueue(FakeOpenAiServer.huge(8L << 20, false));
    try (HttpScorer s = completions(server).maxResponseBytes(1 << 20).maxRetries(0).build()) {
      assertThatThrownBy(() -> s.score(PROMPTS.get(0), LABELS))
          .isInstanceOf(ServerException.class)
          .hasMessageContaining("server " + server.baseUrl() + "/completions answered prompt 0")
          .hasMessageContaining("more than 1048576 bytes, the limit on an answer");
    }
  }

  @Test
  void aDeclaredHugeAnswerIsRefusedWithTheDefaultLimit() {
    // 1.5 GB promised: refused from its Content-Length, before the body is read
    server.enqueue(FakeOpenAiServer.huge(1_500_000_000L, true));
    try (HttpScorer s = completions(server).maxRetries(0).build()) {
      assertThatThrownBy(() -> s.score(PROMPTS.get(0), LABELS))
          .isInstanceOf(ServerException.class)
          .hasMessageContaining("more than " + OpenAiScorers.DEFAULT_MAX_RESPONSE_BYTES + " bytes");
    }
  }

  // ---- timeouts and retries ----

  @Test
  void aServerThatNeverAnswersFailsAfterTheTimeoutAndEachRetryIsAnnounced() {
    server.enqueue(server.hang()).enqueue(server.hang());
    List<String> notices = Collections.synchronizedList(new ArrayList<>());
    try (HttpScorer s =
        completions(server)
            .requestTimeout(Duration.ofMillis(200))
            .maxRetries(1)
            .notices(notices::add)
            .build()) {
      assertThatThrownBy(() -> s.score(PROMPTS.get(0), LABELS))
          .isInstanceOf(ServerException.class)
          .hasMessageContaining("failed 2 requests for prompt 0 (gave up after 1 retries)")
          .hasMessageContaining("no answer within the timeout of 0.2 s");
    }
    assertThat(notices)
        .singleElement()
        .asString()
        .contains("server " + server.baseUrl() + "/completions: no answer within")
        .contains("retry 1 of 1");
  }

  // ---- one prompt per request ----

  @Test
  void aServerThatRefusesAListOfPromptsGetsOnePerRequestWithTheSameScores() {
    List<LabelScores> want;
    try (HttpScorer s = completions(server).build()) {
      want = s.scoreAll(PROMPTS, LABELS);
    }
    try (FakeOpenAiServer strict = new FakeOpenAiServer(model).refuseListPrompts(true)) {
      List<String> notices = Collections.synchronizedList(new ArrayList<>());
      try (HttpScorer s = completions(strict).notices(notices::add).maxInFlight(1).build()) {
        List<LabelScores> got = s.scoreAll(PROMPTS, LABELS);
        for (int i = 0; i < PROMPTS.size(); i++) {
          assertThat(got.get(i).toArray()).containsExactly(want.get(i).toArray(), within(1e-12));
        }
      }
      assertThat(notices)
          .singleElement()
          .asString()
          .contains("refused a list of prompts (HTTP 400: prompt must be a string)");
      // one refused list, then the 6 texts one by one, each prompt a JSON string
      assertThat(strict.requests()).isEqualTo(7);
      assertThat(strict.bodies().subList(1, 7)).allMatch(b -> b.contains("\"prompt\":\""));
    }
  }

  @Test
  void onePromptPerRequestFromTheStartSendsStrings() {
    try (FakeOpenAiServer strict = new FakeOpenAiServer(model).refuseListPrompts(true);
        HttpScorer s = completions(strict).promptsPerRequest(1).build()) {
      s.scoreAll(PROMPTS, LABELS);
      assertThat(strict.requests()).isEqualTo(6);
    }
  }

  @Test
  void logitBiasGoesOutAsDecimalNumbers() {
    try (FakeOpenAiServer strict = new FakeOpenAiServer(model).refuseIntegerLogitBias(true);
        HttpScorer s =
            OpenAiScorers.chat(strict.baseUrl(), "m")
                .logitBias(new ChatLogitBiasTest.FixtureTokenizerOf(model))
                .maxRetries(0)
                .build()) {
      double[] got =
          s.score(
                  PROMPTS.get(0),
                  LabelSet.builder().add("n", " negative").add("p", " positive").build())
              .toArray();
      assertThat(java.util.Arrays.stream(got).boxed().toList())
          .allMatch(v -> v <= 0 && Double.isFinite(v));
      assertThat(strict.bodies().get(1)).contains(":100.0");
    }
  }

  // ---- chat: overlapping and missing tokens ----

  /** Answers with these top_logprobs (token, logprob pairs). */
  static FakeOpenAiServer.Fault top(Object... pairs) {
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

  @Test
  void overlappingTokensCountOnceAndNeverGiveAPositiveLogProbability() {
    // hand computed: " bad" is spelled by the token " bad" only (-0.1); "bad" is another token
    server.enqueue(top("bad", -0.1, " bad", -0.1, " good", -5.0));
    LabelSet labels = LabelSet.builder().add("bad", " bad").add("good", " good").build();
    try (HttpScorer s = OpenAiScorers.chat(server.baseUrl(), "m").build()) {
      assertThat(s.score(PROMPTS.get(0), labels).toArray())
          .containsExactly(new double[] {-0.1, -5.0}, within(1e-12));
    }
    // both spellings asked for: their probabilities add to 1.81 > 1, an inconsistent answer
    server.enqueue(top("bad", -0.1, " bad", -0.1, " good", -5.0));
    LabelSet both = LabelSet.builder().add("bad", " bad", "bad").add("good", " good").build();
    try (HttpScorer s = OpenAiScorers.chat(server.baseUrl(), "m").build()) {
      assertThatThrownBy(() -> s.score(PROMPTS.get(0), both))
          .isInstanceOf(ServerException.class)
          .hasMessageContaining("more than 1; the answer is inconsistent");
    }
  }

  @Test
  void labelsMissingForMostPromptsAreReportedWithTheLeadingSpaceVariant() {
    LabelSet labels =
        LabelSet.builder().add("positive", "positive").add("negative", "negative").build();
    try (HttpScorer s = OpenAiScorers.chat(server.baseUrl(), "m").build()) {
      for (int i = 0; i < 4; i++) {
        // the model writes " positive" and " negative", with the space; once also "negative"
        server.enqueue(
            i == 0
                ? top(" positive", -0.3, "negative", -1.5, " the", -4.0)
                : top(" positive", -0.3, " negative", -1.5, " the", -4.0));
        s.score(PROMPTS.get(0), labels);
      }
      assertThat(s.boundedRows()).isEqualTo(4);
      assertThat(s.labelWarnings())
          .containsExactly(
              "label 'positive' (words 'positive') was not among the top_logprobs of server "
                  + server.baseUrl()
                  + "/chat/completions for 4 of 4 prompts (100%); those rows got the floor"
                  + " min(top_logprobs), so their scores are bounds, not values; the answers held"
                  + " ' positive' instead for 4 of them: use the label word ' positive' (the"
                  + " model writes it after a space)",
              "label 'negative' (words 'negative') was not among the top_logprobs of server "
                  + server.baseUrl()
                  + "/chat/completions for 3 of 4 prompts (75%); those rows got the floor"
                  + " min(top_logprobs), so their scores are bounds, not values; the answers held"
                  + " ' negative' instead for 3 of them: use the label word ' negative' (the"
                  + " model writes it after a space)");
    }
  }

  @Test
  void labelsFoundInMostAnswersAreNotReported() {
    LabelSet labels =
        LabelSet.builder().add("positive", " positive").add("negative", " negative").build();
    try (HttpScorer s = OpenAiScorers.chat(server.baseUrl(), "m").build()) {
      for (int i = 0; i < 3; i++) {
        server.enqueue(
            i == 0
                ? top(" positive", -0.3, " the", -4.0)
                : top(" positive", -0.3, " negative", -1.5, " the", -4.0));
        s.score(PROMPTS.get(0), labels);
      }
      assertThat(s.boundedRows()).isEqualTo(1);
      assertThat(s.labelWarnings()).isEmpty();
    }
  }

  @Test
  void aServerMessageWithNewlinesStaysOneLine() {
    server.enqueue(
        FakeOpenAiServer.status(400, "{\"error\":\"line one\\nline two\\r\\u001b[31mred\"}"));
    try (HttpScorer s = completions(server).promptsPerRequest(1).build()) {
      assertThatThrownBy(() -> s.score(PROMPTS.get(0), LabelSet.builder().add("n", " no").build()))
          .isInstanceOf(ServerException.class)
          .hasMessageContaining("HTTP 400: line one\\nline two\\r\\u001b[31mred")
          .hasMessageNotContaining("\n")
          .hasMessageNotContaining("\u001b");
    }
  }

  // ---- the base URL ----

  @Test
  void aPasswordInTheBaseUrlIsNeverShown() {
    for (String url :
        List.of(
            "http://user:SECRET@127.0.0.1:8000/v1",
            "http://user:SEC/RET@127.0.0.1:8000/v1",
            "http://user:SE CRET@127.0.0.1:8000/v1",
            "https://SECRET@host/v1")) {
      assertThatThrownBy(() -> OpenAiScorers.completions(url, "m"))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("SECRET")
          .hasMessageNotContaining("SEC")
          .hasMessageContaining("***@");
    }
  }
}
