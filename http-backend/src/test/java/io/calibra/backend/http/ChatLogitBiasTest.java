package io.calibra.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.label.LabelSet;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat scorer's logit_bias request on the GPT-2 fixture: the fake server adds the bias to the
 * logits as vLLM does, and the expected values are the fixture's own next-token log-probabilities
 * (Gpt2Fixture, computed with ONNX Runtime).
 */
class ChatLogitBiasTest {
  static final String PROMPT = "Review: N/A\nSentiment:";
  private static Gpt2Fixture model;
  private static FakeOpenAiServer server;
  private static double[] next;

  @BeforeAll
  static void start() {
    model = new Gpt2Fixture();
    server = new FakeOpenAiServer(model);
    next = model.run(PROMPT).next();
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  /** The tokenizer of {@code fixture} as the scorer sees it. */
  static final class FixtureTokenizerOf implements LabelTokenizer {
    private final Gpt2Fixture fixture;

    FixtureTokenizerOf(Gpt2Fixture fixture) {
      this.fixture = fixture;
    }

    @Override
    public long[] encode(String text) {
      return fixture.run(text).ids();
    }

    @Override
    public String decode(long id) {
      return fixture.decode((int) id);
    }
  }

  /** The fixture's tokenizer as the scorer sees it. */
  static final class FixtureTokenizer implements LabelTokenizer {
    @Override
    public long[] encode(String text) {
      return model.run(text).ids();
    }

    @Override
    public String decode(long id) {
      return model.decode((int) id);
    }
  }

  private static HttpScorer scorer() {
    return OpenAiScorers.chat(server.baseUrl(), "m").logitBias(new FixtureTokenizer()).build();
  }

  private static int id(String word) {
    long[] ids = model.run(word).ids();
    assertThat(ids).hasSize(1);
    return (int) ids[0];
  }

  private static int rank(int token) {
    int above = 0;
    for (double v : next) {
      if (v > next[token]) {
        above++;
      }
    }
    return above;
  }

  @Test
  void labelsOutsideTheTopKGetExactRelativeScoresAndABoundedLevel() throws IOException {
    int neg = id(" negative");
    int pos = id(" positive");
    assertThat(rank(neg)).as("rank of ' negative'").isGreaterThanOrEqualTo(20);
    assertThat(rank(pos)).as("rank of ' positive'").isGreaterThanOrEqualTo(20);
    int before = server.requests();
    try (HttpScorer s = scorer()) {
      double[] got =
          s.score(PROMPT, LabelSet.builder().add("n", " negative").add("p", " positive").build())
              .toArray();
      assertThat(got[0] - got[1]).isCloseTo(next[neg] - next[pos], within(1e-5));
      // the level: the larger one sits at the bound min(top 20)
      double[] sorted = next.clone();
      java.util.Arrays.sort(sorted);
      assertThat(Math.max(got[0], got[1])).isCloseTo(sorted[sorted.length - 20], within(1e-9));
      assertThat(s.boundedRows()).isEqualTo(1);
      assertThat(s.requestsSent()).isEqualTo(2);
    }
    JsonNode second = new ObjectMapper().readTree(server.bodies().get(before + 1));
    assertThat(second.get("logit_bias").toString())
        .isEqualTo("{\"" + neg + "\":100.0,\"" + pos + "\":100.0}");
  }

  @Test
  void aLabelFoundInTheFirstAnswerAnchorsTheOthersExactly() {
    int best = 0;
    for (int i = 1; i < next.length; i++) {
      if (next[i] > next[best]) {
        best = i;
      }
    }
    String top = model.decode(best);
    int neg = id(" negative");
    try (HttpScorer s = scorer()) {
      double[] got =
          s.score(PROMPT, LabelSet.builder().add("top", top).add("n", " negative").build())
              .toArray();
      assertThat(got).containsExactly(new double[] {next[best], next[neg]}, within(1e-5));
      assertThat(s.boundedRows()).isZero();
      assertThat(s.requestsSent()).isEqualTo(2);
    }
  }

  @Test
  void aServerThatIgnoresTheBiasIsReported() {
    // both answers list the same 2 tokens, neither a label's
    String answer =
        "{\"choices\":[{\"index\":0,\"logprobs\":{\"content\":[{\"token\":\"x\",\"logprob\":-0.1,"
            + "\"top_logprobs\":[{\"token\":\"x\",\"logprob\":-0.1},{\"token\":\"y\",\"logprob\":-3}]}]}}]}";
    server.enqueue(FakeOpenAiServer.status(200, answer));
    server.enqueue(FakeOpenAiServer.status(200, answer));
    try (HttpScorer s = scorer()) {
      assertThatThrownBy(
              () ->
                  s.score(
                      PROMPT,
                      LabelSet.builder().add("n", " negative").add("p", " positive").build()))
          .hasMessageContaining("out of top_logprobs although logit_bias raised it by 100")
          .hasMessageContaining("the server ignores logit_bias");
      assertThat(s.requestsSent()).isEqualTo(2);
    }
  }

  @Test
  void biasedLogProbabilitiesThatDisagreeWithTheFirstAnswerAreReported() {
    // first answer (canned): ' negative' -1.0 and ' terrible' -1.5, ' positive' missing; the
    // second comes from the model, whose ' terrible' - ' negative' is not -0.5
    int neg = id(" negative");
    int ter = id(" terrible");
    assertThat(Math.abs(next[ter] - next[neg] + 0.5)).isGreaterThan(0.01);
    server.enqueue(
        FakeOpenAiServer.status(
            200,
            "{\"choices\":[{\"index\":0,\"logprobs\":{\"content\":[{\"token\":\" negative\","
                + "\"logprob\":-1.0,\"top_logprobs\":[{\"token\":\" negative\",\"logprob\":-1.0},"
                + "{\"token\":\" terrible\",\"logprob\":-1.5}]}]}}]}"));
    LabelSet labels =
        LabelSet.builder()
            .add("n", " negative")
            .add("t", " terrible")
            .add("p", " positive")
            .build();
    try (HttpScorer s = scorer()) {
      assertThatThrownBy(() -> s.score(PROMPT, labels))
          .hasMessageContaining("does not apply logit_bias before computing");
    }
  }

  @Test
  void labelsSharingAFirstTokenAreRejectedBeforeAnyRequest() {
    int before = server.requests();
    try (HttpScorer s = scorer()) {
      assertThatThrownBy(
              () ->
                  s.score(
                      PROMPT,
                      LabelSet.builder()
                          .add("a", " negative")
                          .add("b", " negative feelings")
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("labels 'a' and 'b' both begin with token ' negative'");
    }
    assertThat(server.requests()).isEqualTo(before);
  }
}
