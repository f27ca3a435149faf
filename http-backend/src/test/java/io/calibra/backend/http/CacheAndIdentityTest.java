package io.calibra.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The response cache, the fingerprint and the service-provider entries. */
class CacheAndIdentityTest {
  static final String KEY = FaultInjectionTest.KEY;
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

  private static OpenAiScorers.CompletionsBuilder completions(Path cache) {
    return OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny")
        .apiKey(KEY)
        .promptsPerRequest(2)
        .cache(cache);
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void aRerunSendsNoRequestAndACorruptEntryIsRewritten(@TempDir Path dir) throws IOException {
    Path cache = dir.resolve("cache");
    List<LabelScores> first;
    int before = server.requests();
    try (HttpScorer s = completions(cache).build()) {
      first = s.scoreAll(PROMPTS, LABELS);
      assertThat(s.requestsSent()).isEqualTo(3); // 6 texts, 2 per request
      assertThat(s.cacheHits()).isZero();
    }
    assertThat(server.requests() - before).isEqualTo(3);
    List<Path> entries = files(cache);
    assertThat(entries).hasSize(3).allMatch(p -> p.getFileName().toString().endsWith(".json"));
    for (Path p : entries) {
      assertThat(Files.readString(p, StandardCharsets.UTF_8)).doesNotContain(KEY);
    }

    before = server.requests();
    try (HttpScorer s = completions(cache).build()) {
      assertThat(s.scoreAll(PROMPTS, LABELS)).isEqualTo(first);
      assertThat(s.requestsSent()).isZero();
      assertThat(s.cacheHits()).isEqualTo(3);
    }
    assertThat(server.requests()).isEqualTo(before);

    // a truncated entry and one holding another key's answer are ignored and rewritten
    byte[] whole = Files.readAllBytes(entries.get(0));
    Files.write(entries.get(0), java.util.Arrays.copyOf(whole, whole.length / 2));
    Files.writeString(
        entries.get(1),
        Files.readString(entries.get(2)), // names entry 2's key
        StandardCharsets.UTF_8);
    before = server.requests();
    try (HttpScorer s = completions(cache).build()) {
      List<LabelScores> again = s.scoreAll(PROMPTS, LABELS);
      for (int i = 0; i < PROMPTS.size(); i++) {
        assertThat(again.get(i).toArray()).containsExactly(first.get(i).toArray(), within(1e-12));
      }
      assertThat(s.requestsSent()).isEqualTo(2);
      assertThat(s.cacheHits()).isEqualTo(1);
    }
    assertThat(server.requests() - before).isEqualTo(2);
    assertThat(files(cache)).isEqualTo(entries); // no temporary file left behind
    assertThat(Files.readAllBytes(entries.get(0))).isEqualTo(whole);
  }

  @Test
  void aRefusedResponseIsNotCached(@TempDir Path dir) throws IOException {
    server.enqueue(
        FakeOpenAiServer.edited(
            r -> {
              ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("choices").get(0))
                  .remove("logprobs");
              return r;
            }));
    try (HttpScorer s = completions(dir).build()) {
      assertThatThrownBy(() -> s.score(PROMPTS.get(0), LABELS))
          .hasMessageContaining("returned no logprobs");
    }
    assertThat(files(dir)).isEmpty();
  }

  @Test
  void aCacheThatIsAFileIsAClearError(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertThatThrownBy(() -> completions(file).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("response cache " + file + " is a file; expected a folder");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void theChatScorerRetriesAndCachesToo(@TempDir Path dir) {
    LabelSet labels = LabelSet.builder().add("a", " negative").add("b", " positive").build();
    server.enqueue(FakeOpenAiServer.status(502, "bad gateway"));
    int before = server.requests();
    double[] first;
    try (HttpScorer s =
        OpenAiScorers.chat(server.baseUrl(), "m")
            .cache(dir)
            .backoff(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2))
            .build()) {
      first = s.score(PROMPTS.get(0), labels).toArray();
      assertThat(s.requestsSent()).isEqualTo(2);
    }
    assertThat(server.requests() - before).isEqualTo(2);
    try (HttpScorer s = OpenAiScorers.chat(server.baseUrl(), "m").cache(dir).build()) {
      assertThat(s.score(PROMPTS.get(0), labels).toArray()).isEqualTo(first);
      assertThat(s.requestsSent()).isZero();
      assertThat(s.cacheHits()).isEqualTo(1);
      assertThat(s.boundedRows()).isEqualTo(1); // the random fixture has neither word in its top 20
    }
    assertThat(server.requests() - before).isEqualTo(2);
  }

  @Test
  void theCacheKeyIsTheSha256OfBaseUrlModelAndBody() {
    // python3 -c "import hashlib;print(hashlib.sha256(b'http://h/v1\nm\n{}').hexdigest())"
    assertThat(Transport.cacheKey("http://h/v1", "m", "{}"))
        .isEqualTo("b213953175ef147919bb7cb0003d4b6ffa4bb182c243c9d7d44872e44ec0b57a");
  }

  @Test
  void fingerprintCoversEndpointBaseModelAndSettingsButNotTheKey() {
    String base = "http://127.0.0.1:1/v1";
    try (HttpScorer a = OpenAiScorers.completions(base, "m").apiKey("k1").build();
        HttpScorer b = OpenAiScorers.completions(base + "/", "m").apiKey("k2").build();
        HttpScorer otherModel = OpenAiScorers.completions(base, "m2").build();
        HttpScorer otherBase = OpenAiScorers.completions("http://127.0.0.1:2/v1", "m").build();
        HttpScorer otherTokens = OpenAiScorers.completions(base, "m").maxTokens(0).build();
        HttpScorer retries = OpenAiScorers.completions(base, "m").maxRetries(0).build();
        HttpScorer chat = OpenAiScorers.chat(base, "m").build();
        HttpScorer chatTop5 = OpenAiScorers.chat(base, "m").topLogprobs(5).build()) {
      assertThat(a.fingerprint()).matches("[0-9a-f]{64}").isEqualTo(b.fingerprint());
      assertThat(a.fingerprint()).isEqualTo(retries.fingerprint());
      assertThat(
              List.of(
                  a.fingerprint(),
                  otherModel.fingerprint(),
                  otherBase.fingerprint(),
                  otherTokens.fingerprint(),
                  chat.fingerprint(),
                  chatTop5.fingerprint()))
          .doesNotHaveDuplicates();
      assertThat(a.modelId()).isEqualTo("openai-completions:m@" + base).doesNotContain("k1");
      assertThat(a.toString()).doesNotContain("k1");
    }
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> OpenAiScorers.completions("ftp://h/v1", "m"))
        .hasMessageContaining("is not an http(s) URL");
    assertThatThrownBy(() -> OpenAiScorers.completions("localhost:8000", "m"))
        .hasMessageContaining("is not an http(s) URL");
    assertThatThrownBy(() -> OpenAiScorers.completions("http://h/v1", " "))
        .hasMessageContaining("model name is blank");
    assertThatThrownBy(() -> OpenAiScorers.completions("http://h/v1", "m").promptsPerRequest(0))
        .hasMessageContaining("prompts per request is 0");
    assertThatThrownBy(() -> OpenAiScorers.chat("http://h/v1", "m").maxInFlight(0))
        .hasMessageContaining("max in flight is 0");
    assertThatThrownBy(() -> OpenAiScorers.chat("http://h/v1", "m").maxRetries(-1))
        .hasMessageContaining("max retries is -1");
    assertThatThrownBy(() -> OpenAiScorers.chat("http://h/v1", "m").topLogprobs(0))
        .hasMessageContaining("top logprobs is 0");
    assertThatThrownBy(
            () -> OpenAiScorers.chat("http://h/v1", "m").apiKey("sk-a\nX-Evil: 1").build())
        .hasMessageContaining("the API key from the API key given has spaces")
        .hasMessageNotContaining("sk-a");
  }

  @Test
  void providersOpenBothBackendsByName() {
    assertThat(Scorers.names()).contains("openai-completions", "openai-chat");
    try (Scorer s =
        Scorers.open(
            "openai-completions",
            Map.of(
                "base-url", server.baseUrl(), "model", "gpt2-tiny", "prompts-per-request", "1"))) {
      assertThat(s.score(PROMPTS.get(0), LABELS).toArray()).hasSize(2);
      assertThat(s.modelId()).startsWith("openai-completions:gpt2-tiny@");
    }
    assertThatThrownBy(
            () ->
                Scorers.open(
                    "openai-chat", Map.of("base-url", "http://h/v1", "model", "m", "x", "1")))
        .hasMessageContaining("unknown option 'x' for backend openai-chat");
    assertThatThrownBy(() -> Scorers.open("openai-chat", Map.of("base-url", "http://h/v1")))
        .hasMessageContaining("backend openai-chat needs the option model");
    assertThatThrownBy(
            () ->
                Scorers.open(
                    "openai-completions",
                    Map.of("base-url", "http://h/v1", "model", "m", "max-in-flight", "many")))
        .hasMessageContaining("option max-in-flight of backend openai-completions is 'many'");
  }
}
