package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calibra.backend.http.FakeOpenAiServer;
import io.calibra.backend.http.Gpt2Fixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibra score} against hostile or failing OpenAI-compatible servers (the fake server on
 * loopback, backed by the GPT-2 fixture): every expected failure is one line and exit 1 naming the
 * server, outputs are replaced together or not at all, nothing is sent before the outputs and the
 * cache are known to be usable, and the options that bound a request work.
 */
class CliServedModelTest {
  static final String NEG = CliOpenAiTest.NEG;
  static final String POS = CliOpenAiTest.POS;

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

  private Path inputs() throws IOException {
    return new TestDir(tmp)
        .write(
            "texts.csv",
            "id,text,gold\nt0,dull and slow,negative\nt1,a gem of a film,positive\nt2,N/A,\n");
  }

  /** {@code score --backend openai} on {@code baseUrl} with the labels, input and extra options. */
  private List<String> score(String backend, String baseUrl, Object... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "score",
                "--backend",
                backend,
                "--base-url",
                baseUrl,
                "--model",
                "gpt2-tiny",
                "--api-key-env",
                CliOpenAiTest.KEY_ENV,
                "--input",
                inputs().toString()));
    args.addAll(List.of(Cli.args(extra)));
    if (!args.contains("--label")) {
      args.addAll(List.of("--label", NEG, "--label", POS));
    }
    return args;
  }

  private static Cli run(List<String> args) {
    return Cli.run(args);
  }

  @Test
  void aFailedRunLeavesEveryEarlierOutputAsItWas() throws IOException {
    Path out = tmp.resolve("scores.csv");
    Path cf = tmp.resolve("cf.csv");
    List<String> args =
        score(
            "openai",
            server.baseUrl(),
            "--output",
            out,
            "--content-free-output",
            cf,
            "--content-free",
            "N/A,[MASK]");
    run(args).ok();
    byte[] before = Files.readAllBytes(out);
    byte[] cfBefore = Files.readAllBytes(cf);
    Files.writeString(out, "earlier output\n");
    Files.writeString(cf, "earlier content-free output\n");
    // the texts are scored, then the content-free prompts fail
    server.enqueue(FakeOpenAiServer.edited(r -> r));
    server.enqueue(FakeOpenAiServer.status(403, "{\"error\":\"quota exceeded\"}"));
    Cli failed = run(args);
    assertThat(Files.readString(out)).isEqualTo("earlier output\n");
    assertThat(Files.readString(cf)).isEqualTo("earlier content-free output\n");
    failed.exits(Main.FAILURE, "HTTP 403: quota exceeded").oneLine().noStackTrace();
    TestDir.assertNoTemporaryFiles(tmp);
    // and a run that succeeds replaces both
    run(args).ok();
    assertThat(Files.readAllBytes(out)).isEqualTo(before);
    assertThat(Files.readAllBytes(cf)).isEqualTo(cfBefore);
  }

  @Test
  void aMissingOutputFolderIsFoundBeforeAnyRequest() throws IOException {
    Path out = tmp.resolve("no-such-folder").resolve("scores.csv");
    int before = server.requests();
    run(score("openai", server.baseUrl(), "--output", out))
        .exits(Main.FAILURE, "does not exist")
        .oneLine()
        .noStackTrace();
    assertThat(server.requests()).isEqualTo(before);
    Path cf = tmp.resolve("missing").resolve("cf.csv");
    run(score(
            "openai-chat",
            server.baseUrl(),
            "--output",
            tmp.resolve("ok.csv"),
            "--content-free-output",
            cf))
        .exits(Main.FAILURE, "does not exist");
    assertThat(server.requests()).isEqualTo(before);
    assertThat(tmp.resolve("ok.csv")).doesNotExist();
  }

  @Test
  void aCacheThatIsAFileSaysSoBeforeAnyRequest() throws IOException {
    Path file = Files.writeString(tmp.resolve("cache"), "mine\n");
    int before = server.requests();
    run(score("openai", server.baseUrl(), "--output", tmp.resolve("s.csv"), "--cache", file))
        .exits(Main.USAGE, "response cache " + file + " is a file; expected a folder")
        .oneLine();
    assertThat(server.requests()).isEqualTo(before);
    assertThat(Files.readString(file)).isEqualTo("mine\n");
  }

  @Test
  void aPasswordInTheBaseUrlIsNeverPrinted() throws IOException {
    for (String url :
        List.of("http://user:SECRET@127.0.0.1:9/v1", "http://user:SE/CRET@127.0.0.1:9/v1")) {
      Cli r = run(score("openai", url, "--output", tmp.resolve("s.csv")));
      r.exits(Main.USAGE, "has a user name or password").oneLine();
      assertThat(r.err() + r.out()).doesNotContain("SECRET").doesNotContain("SE/");
    }
  }

  @Test
  void theApiKeyAServerEchoesNeverReachesTheCache() throws IOException {
    Path cache = tmp.resolve("cache");
    server.enqueue(FakeOpenAiServer.echoAuthorization());
    run(score("openai", server.baseUrl(), "--output", tmp.resolve("s.csv"), "--cache", cache)).ok();
    String key = CliOpenAiTest.key();
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> entries = files.filter(Files::isRegularFile).toList();
      assertThat(entries).isNotEmpty();
      for (Path f : entries) {
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).doesNotContain(key);
      }
    }
  }

  /** A server failure of each expected kind, and the fragment its one line holds. */
  private record Failure(
      String name, Function<FakeOpenAiServer, FakeOpenAiServer.Fault> fault, String says) {}

  @Test
  void everyExpectedServerFailureIsOneLineNamingTheServerWithoutATrace() throws IOException {
    List<Failure> failures =
        List.of(
            new Failure(
                "bad JSON", s -> FakeOpenAiServer.truncatedJson(), "invalid or truncated JSON"),
            new Failure(
                "no logprobs",
                s ->
                    FakeOpenAiServer.edited(
                        r -> {
                          ((ObjectNode) r.get("choices").get(0)).remove("logprobs");
                          return r;
                        }),
                "returned no logprobs"),
            new Failure(
                "HTTP 400",
                s -> FakeOpenAiServer.status(400, "{\"error\":\"bad request\"}"),
                "HTTP 400: bad request"),
            new Failure(
                "HTTP 404",
                s -> FakeOpenAiServer.status(404, "{\"error\":\"no model\"}"),
                "check the base URL"),
            new Failure(
                "HTTP 500",
                s -> FakeOpenAiServer.status(500, "{\"error\":\"boom\"}"),
                "HTTP 500: boom"),
            new Failure("a huge answer", s -> FakeOpenAiServer.huge(8L << 20, false), "bytes"),
            new Failure(
                "no answer", FakeOpenAiServer::hang, "no answer within the timeout of 0.3 s"),
            new Failure(
                "an impossible log-probability",
                s ->
                    FakeOpenAiServer.edited(
                        r -> {
                          ArrayNode values =
                              (ArrayNode)
                                  r.get("choices").get(0).get("logprobs").get("token_logprobs");
                          values.set(values.size() - 2, 1.5);
                          return r;
                        }),
                "expected a finite number <= 0"));
    for (Failure f : failures) {
      // a server per case: a request of an earlier run still in flight never takes this fault
      try (FakeOpenAiServer failing = new FakeOpenAiServer(model)) {
        failing.enqueue(f.fault().apply(failing));
        Cli r =
            run(
                score(
                    "openai",
                    failing.baseUrl(),
                    "--output",
                    tmp.resolve("s.csv"),
                    // one text per request: a list refused with 400 would be sent again one by one
                    "--prompts-per-request",
                    "1",
                    "--max-retries",
                    "0",
                    // short for the server that never answers only: a loaded machine is slow
                    "--timeout",
                    f.name().equals("no answer") ? "0.3" : "120",
                    "--max-response-mib",
                    "1"));
        assertThat(r.code()).as(f.name() + ": " + r.err()).isEqualTo(Main.FAILURE);
        assertThat(r.err())
            .as(f.name())
            .contains(f.says())
            .contains("server " + failing.baseUrl().replace("/v1", ""));
        r.oneLine().noStackTrace();
        assertThat(tmp.resolve("s.csv")).as(f.name()).doesNotExist();
      }
    }
  }

  @Test
  void aServerThatIsNotRunningIsOneLine() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    run(score("openai-chat", "http://127.0.0.1:" + port + "/v1", "--output", tmp.resolve("s.csv")))
        .exits(Main.FAILURE, "cannot connect to server http://127.0.0.1:" + port)
        .oneLine()
        .noStackTrace();
  }

  @Test
  void eachRetryIsAnnouncedWhileTheServerDoesNotAnswer() throws IOException {
    server.enqueue(server.hang()).enqueue(server.hang());
    run(score(
            "openai",
            server.baseUrl(),
            "--output",
            tmp.resolve("s.csv"),
            "--timeout",
            "0.2",
            "--max-retries",
            "1"))
        .exits(
            Main.FAILURE,
            "calibra: note: server " + server.baseUrl() + "/completions: no answer within",
            "retry 1 of 1",
            "gave up after 1 retries");
  }

  @Test
  void aServerThatRefusesAListOfPromptsScoresTheSame() throws IOException {
    Path want = tmp.resolve("want.csv");
    run(score("openai", server.baseUrl(), "--output", want)).ok();
    try (FakeOpenAiServer strict = new FakeOpenAiServer(model).refuseListPrompts(true)) {
      Path got = tmp.resolve("got.csv");
      run(score("openai", strict.baseUrl(), "--output", got))
          .ok()
          .exits(Main.OK, "refused a list of prompts (HTTP 400: prompt must be a string)");
      assertThat(Files.readString(got)).isEqualTo(Files.readString(want));
      Path option = tmp.resolve("option.csv");
      int before = strict.requests();
      run(score("openai", strict.baseUrl(), "--output", option, "--prompts-per-request", "1")).ok();
      assertThat(Files.readString(option)).isEqualTo(Files.readString(want));
      assertThat(strict.requests() - before).isEqualTo(12); // 3 texts x 4 words, none refused
    }
  }

  @Test
  void chatLabelsMissingFromTheAnswersAreAWarningWithTheSpacedVariant() throws IOException {
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          FakeOpenAiServer.edited(
              r -> {
                ObjectNode content =
                    (ObjectNode) r.get("choices").get(0).get("logprobs").get("content").get(0);
                ArrayNode top = content.putArray("top_logprobs");
                top.addObject().put("token", " positive").put("logprob", -0.4);
                top.addObject().put("token", " negative").put("logprob", -1.3);
                top.addObject().put("token", " the").put("logprob", -3.0);
                return r;
              }));
    }
    run(score(
            "openai-chat",
            server.baseUrl(),
            "--output",
            tmp.resolve("s.csv"),
            "--max-in-flight",
            "1",
            "--label",
            "negative=negative",
            "--label",
            "positive=positive"))
        .ok()
        .exits(
            Main.OK,
            "calibra: warning: label 'negative' (words 'negative') was not among the"
                + " top_logprobs of server",
            "for 3 of 3 prompts (100%)",
            "use the label word ' negative'",
            "use the label word ' positive'");
  }

  @Test
  void labelWordsTheTokenizerCannotTellApartAreAUsageErrorOfOneLine() throws IOException {
    int before = server.requests();
    run(score(
            "openai-chat",
            server.baseUrl(),
            "--output",
            tmp.resolve("s.csv"),
            "--tokenizer",
            Gpt2Fixture.folder().resolve("tokenizer.json"),
            "--label",
            "negative= bad",
            "--label",
            "positive= bad film"))
        .exits(Main.USAGE, "both begin with token")
        .oneLine()
        .noStackTrace();
    assertThat(server.requests()).isEqualTo(before);
    assertThat(tmp.resolve("s.csv")).doesNotExist();
  }

  @Test
  void theNewOptionsAreForTheServedBackendsOnly() throws IOException {
    run(List.of(
            "score",
            "--backend",
            "causal",
            "--model-dir",
            ".",
            "--timeout",
            "5",
            "--label",
            NEG,
            "--label",
            POS,
            "--input",
            inputs().toString(),
            "--output",
            tmp.resolve("s.csv").toString()))
        .exits(Main.USAGE, "are for --backend openai and openai-chat, not causal");
    run(score("openai", server.baseUrl(), "--output", tmp.resolve("s.csv"), "--timeout", "0"))
        .exits(Main.USAGE, "is not a number of seconds");
    run(score(
            "openai-chat",
            server.baseUrl(),
            "--output",
            tmp.resolve("s.csv"),
            "--prompts-per-request",
            "1"))
        .exits(Main.USAGE, "--prompts-per-request is for --backend openai");
    run(score("openai", server.baseUrl(), "--output", tmp.resolve("s.csv"), "--max-retries", "-1"))
        .exits(Main.USAGE, "--max-retries is -1");
  }
}
