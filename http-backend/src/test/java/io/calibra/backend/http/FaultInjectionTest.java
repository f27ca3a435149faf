package io.calibra.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.backend.LabelScores;
import io.calibra.label.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into the fake server: each ends in a retried success or a clear error, with the
 * number of requests asserted, and the API key never in a message or stack trace. Waits between
 * retries are recorded, not slept.
 */
class FaultInjectionTest {
  static final String KEY = "sk-test-5f3a9c1e7b2d4068";
  static final String PROMPT = "Review: N/A\nSentiment:";
  static final LabelSet LABELS =
      LabelSet.builder().add("negative", " negative").add("positive", " positive").build();

  private static Gpt2Fixture model;
  private static FakeOpenAiServer server;
  private static double[] reference;
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  private int before;

  @BeforeAll
  static void start() {
    model = new Gpt2Fixture();
    server = new FakeOpenAiServer(model);
    try (HttpScorer s = OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny").build()) {
      reference = s.score(PROMPT, LABELS).toArray();
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  @BeforeEach
  void mark() {
    before = server.requests();
  }

  private int requests() {
    return server.requests() - before;
  }

  /**
   * A scorer whose requests time out only when a test wants them to: a busy machine can take more
   * than a second to answer, and a timeout would add a retry the test does not count on.
   */
  private OpenAiScorers.CompletionsBuilder completions() {
    return completions(Duration.ofSeconds(60));
  }

  private OpenAiScorers.CompletionsBuilder completions(Duration requestTimeout) {
    return OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny")
        .environment(name -> name.equals("CALIBRA_TEST_KEY") ? KEY : null)
        .apiKeyFromEnvironment("CALIBRA_TEST_KEY")
        .backoff(Duration.ofMillis(100), Duration.ofMillis(400))
        .requestTimeout(requestTimeout)
        .sleeper(sleeps::add);
  }

  private LabelScores scoreOnce() {
    try (HttpScorer s = completions().build()) {
      return s.score(PROMPT, LABELS);
    }
  }

  private static String everything(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private Throwable failure() {
    try {
      scoreOnce();
    } catch (RuntimeException e) {
      assertThat(everything(e)).doesNotContain(KEY);
      return e;
    }
    throw new AssertionError("expected the scorer to fail");
  }

  @Test
  void sendsTheKeyAsBearerOnly() {
    assertThat(scoreOnce().toArray()).containsExactly(reference, within(1e-12));
    assertThat(server.authorizations().get(before)).isEqualTo("Bearer " + KEY);
  }

  @Test
  void tooManyRequestsWithoutRetryAfterIsRetriedWithJitteredBackoff() {
    server.enqueue(FakeOpenAiServer.status(429, "{\"error\":{\"message\":\"slow down\"}}"));
    assertThat(scoreOnce().toArray()).containsExactly(reference, within(1e-12));
    assertThat(requests()).isEqualTo(2);
    // first retry: a random wait in [initial/2, initial] = [50, 100] ms
    assertThat(sleeps).hasSize(1);
    assertThat(sleeps.get(0).toMillis()).isBetween(50L, 100L);
  }

  @Test
  void tooManyRequestsHonoursRetryAfter() {
    server.enqueue(FakeOpenAiServer.status(429, "{}", "Retry-After", "7"));
    assertThat(scoreOnce().toArray()).containsExactly(reference, within(1e-12));
    assertThat(requests()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void serverErrorThenSuccess() {
    server.enqueue(FakeOpenAiServer.status(500, "{\"error\":{\"message\":\"boom\"}}"));
    assertThat(scoreOnce().toArray()).containsExactly(reference, within(1e-12));
    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void backoffGrowsAndGivesUpAfterMaxRetriesNamingStatusAndMessage() {
    for (int i = 0; i < 6; i++) {
      server.enqueue(
          FakeOpenAiServer.status(503, "{\"error\":{\"message\":\"model is loading\"}}"));
    }
    Throwable e = failure();
    assertThat(e)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed 6 requests for prompt 0 (gave up after 5 retries)")
        .hasMessageContaining("HTTP 503: model is loading");
    assertThat(requests()).isEqualTo(6);
    // retry n waits in [d/2, d], d = 100 ms * 2^(n-1) capped at 400 ms
    long[] caps = {100, 200, 400, 400, 400};
    assertThat(sleeps).hasSize(5);
    for (int n = 0; n < 5; n++) {
      assertThat(sleeps.get(n).toMillis()).isBetween(caps[n] / 2, caps[n]);
    }
  }

  @Test
  void aTimeoutIsRetried() {
    server.enqueue(server.hang());
    // long enough for the retried request's real answer on a busy machine
    try (HttpScorer s = completions(Duration.ofSeconds(3)).build()) {
      assertThat(s.score(PROMPT, LABELS).toArray()).containsExactly(reference, within(1e-12));
    }
    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void aBrokenConnectionIsRetried() {
    server.enqueue(FakeOpenAiServer.brokenConnection());
    assertThat(scoreOnce().toArray()).containsExactly(reference, within(1e-12));
    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void aConnectionResetIsRetried() throws Exception {
    // a raw socket server: the first connection is reset (SO_LINGER 0 sends RST), the second is
    // relayed to the fake server
    try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread relay =
          new Thread(
              () -> {
                try {
                  while (true) {
                    try (Socket socket = raw.accept()) {
                      byte[] request = readRequest(socket.getInputStream());
                      if (connections.incrementAndGet() == 1) {
                        socket.setSoLinger(true, 0);
                        continue;
                      }
                      String text = new String(request, StandardCharsets.ISO_8859_1);
                      String body = text.substring(text.indexOf("\r\n\r\n") + 4);
                      HttpResponse<String> answer =
                          HttpClient.newHttpClient()
                              .send(
                                  HttpRequest.newBuilder(
                                          URI.create(server.baseUrl() + "/completions"))
                                      .POST(HttpRequest.BodyPublishers.ofString(body))
                                      .build(),
                                  HttpResponse.BodyHandlers.ofString());
                      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                      OutputStream out = socket.getOutputStream();
                      out.write(
                          ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                  + bytes.length
                                  + "\r\nConnection: close\r\n\r\n")
                              .getBytes(StandardCharsets.ISO_8859_1));
                      out.write(bytes);
                      out.flush();
                    }
                  }
                } catch (Exception e) {
                  // the socket closed: the test is over
                }
              });
      relay.setDaemon(true);
      relay.start();
      try (HttpScorer s =
          OpenAiScorers.completions("http://127.0.0.1:" + raw.getLocalPort() + "/v1", "gpt2-tiny")
              .sleeper(sleeps::add)
              .build()) {
        assertThat(s.score(PROMPT, LABELS).toArray()).containsExactly(reference, within(1e-12));
        assertThat(s.requestsSent()).isEqualTo(2);
      }
      assertThat(connections.get()).isEqualTo(2);
      assertThat(sleeps).hasSize(1);
    }
  }

  /** Reads an HTTP/1.1 request with a Content-Length body. */
  private static byte[] readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int length = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return buf.toByteArray();
      }
      buf.write(b);
      String head = buf.toString(StandardCharsets.ISO_8859_1);
      if (head.endsWith("\r\n\r\n")) {
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        break;
      }
    }
    buf.write(in.readNBytes(Math.max(0, length)));
    return buf.toByteArray();
  }

  @Test
  void truncatedJsonIsAClearError() {
    server.enqueue(FakeOpenAiServer.truncatedJson());
    assertThat(failure()).hasMessageContaining("with invalid or truncated JSON");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void missingLogprobsIsAClearError() {
    server.enqueue(
        FakeOpenAiServer.edited(
            r -> {
              ((ObjectNode) r.get("choices").get(0)).remove("logprobs");
              return r;
            }));
    assertThat(failure())
        .hasMessageContaining("returned no logprobs")
        .hasMessageContaining("prompt 0 with label word ' negative'");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void ignoredEchoIsRefusedAndPointsToTheChatBackend() {
    // as llama.cpp's server does: log-probabilities of the generated token only
    server.enqueue(
        FakeOpenAiServer.edited(
            r -> {
              for (var choice : r.get("choices")) {
                ObjectNode lp = (ObjectNode) choice.get("logprobs");
                int last = lp.get("tokens").size() - 1;
                String token = lp.get("tokens").get(last).asText();
                double value = lp.get("token_logprobs").get(last).asDouble();
                int offset = lp.get("text_offset").get(last).asInt();
                lp.putArray("tokens").add(token);
                lp.putArray("token_logprobs").add(value);
                lp.putArray("text_offset").add(offset);
              }
              return r;
            }));
    assertThat(failure())
        .hasMessageContaining("did not echo the prompt")
        .hasMessageContaining("--backend openai-chat");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void aTokenStraddlingThePromptEndIsAnErrorNamingPromptAndWord() {
    // merge the prompt's last token (":") with the word's token (" negative")
    server.enqueue(
        FakeOpenAiServer.edited(
            r -> {
              ObjectNode lp = (ObjectNode) r.get("choices").get(0).get("logprobs");
              ArrayNode tokens = (ArrayNode) lp.get("tokens");
              ArrayNode values = (ArrayNode) lp.get("token_logprobs");
              ArrayNode offsets = (ArrayNode) lp.get("text_offset");
              int j = tokens.size() - 3;
              tokens.set(j, tokens.get(j).asText() + tokens.get(j + 1).asText());
              values.set(j, values.get(j).asDouble() + values.get(j + 1).asDouble());
              tokens.remove(j + 1);
              values.remove(j + 1);
              offsets.remove(j + 1);
              return r;
            }));
    assertThat(failure())
        .hasMessageContaining("token ': negative'")
        .hasMessageContaining("straddles the end of the prompt")
        .hasMessageContaining("prompt 0 with label word ' negative'");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void aZeroWidthBeginningOfSequenceTokenIsSkipped() {
    // as servers that echo a tokenizer's BOS do: "<s>" at offset 0 with a null log-probability,
    // then the prompt's first token, also at offset 0, now with a log-probability of its own
    server.enqueue(
        FakeOpenAiServer.edited(
            r -> {
              for (var choice : r.get("choices")) {
                ObjectNode lp = (ObjectNode) choice.get("logprobs");
                ((ArrayNode) lp.get("tokens")).insert(0, "<s>");
                ArrayNode values = (ArrayNode) lp.get("token_logprobs");
                values.set(0, -7.25);
                values.insertNull(0);
                ((ArrayNode) lp.get("text_offset")).insert(0, 0);
              }
              return r;
            }));
    assertThat(scoreOnce().toArray()).containsExactly(reference, within(1e-12));
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void anEmptyPromptIsAnErrorNamingThePrompt() {
    try (HttpScorer s = completions().build()) {
      assertThatThrownBy(() -> s.scoreBatch(List.of(PROMPT, ""), LABELS))
          .hasMessageContaining("gave no log-probability for token ' negative' of prompt 1");
    }
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    assertThat(Transport.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(Transport.retryAfter(" 0 ")).isEqualTo(Duration.ZERO);
    assertThat(Transport.retryAfter("86400")).isEqualTo(Transport.MAX_RETRY_AFTER);
    assertThat(Transport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    String inAMinute =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
    assertThat(Transport.retryAfter(inAMinute))
        .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
    assertThat(Transport.retryAfter("soon")).isNull();
    assertThat(Transport.retryAfter(null)).isNull();
    assertThat(Transport.retryAfter("-5")).isNull();
  }

  @Test
  void aWrongNumberOfChoicesIsAnError() {
    server.enqueue(
        FakeOpenAiServer.edited(
            r -> {
              ((ArrayNode) r.get("choices")).remove(1);
              return r;
            }));
    assertThat(failure()).hasMessageContaining("returned 1 choices for 2 prompts");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void aRepeatedChoiceIndexIsAnError() {
    server.enqueue(
        FakeOpenAiServer.edited(
            r -> {
              ((ObjectNode) r.get("choices").get(1)).put("index", 0);
              return r;
            }));
    assertThat(failure()).hasMessageContaining("returned choice index 0 twice");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void unauthorisedIsNotRetriedAndTheEchoedKeyIsRedacted() {
    server.enqueue(
        FakeOpenAiServer.status(
            401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
    assertThat(failure())
        .hasMessageContaining("HTTP 401: Incorrect API key provided: [API key]")
        .hasMessageContaining("check the API key in environment variable CALIBRA_TEST_KEY");
    assertThat(requests()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void otherClientErrorsAreNotRetried() {
    server.enqueue(FakeOpenAiServer.status(400, "{\"error\":\"max_tokens must be at least 1\"}"));
    try (HttpScorer s = completions().promptsPerRequest(1).build()) {
      // one text: one request, its prompt a JSON string
      assertThatThrownBy(() -> s.score(PROMPT, LabelSet.builder().add("n", " negative").build()))
          .isInstanceOf(ServerException.class)
          .hasMessageContaining("HTTP 400: max_tokens must be at least 1");
    }
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void noServerIsAClearErrorWithoutRetries() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (HttpScorer s =
        OpenAiScorers.completions("http://127.0.0.1:" + port + "/v1", "m")
            .sleeper(sleeps::add)
            .build()) {
      assertThatThrownBy(() -> s.score(PROMPT, LABELS))
          .hasMessageContaining("cannot connect to server http://127.0.0.1:" + port + "/v1");
      assertThat(sleeps).isEmpty();
    }
  }

  @Test
  void requestsInFlightStayWithinTheLimit() {
    server.delay(30);
    try (HttpScorer s = completions().maxInFlight(2).promptsPerRequest(1).build()) {
      List<String> prompts = Collections.nCopies(6, PROMPT);
      List<LabelScores> out = s.scoreAll(prompts, LABELS);
      for (LabelScores row : out) {
        assertThat(row.toArray()).containsExactly(reference, within(1e-12));
      }
      assertThat(requests()).isEqualTo(12);
      assertThat(server.maxConcurrent()).isBetween(1, 2);
    } finally {
      server.delay(0);
    }
  }
}
