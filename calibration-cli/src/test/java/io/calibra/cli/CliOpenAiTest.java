package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.http.FakeOpenAiServer;
import io.calibra.backend.http.Gpt2Fixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibra score --backend openai|openai-chat} against the fake OpenAI-compatible server
 * backed by the GPT-2 fixture: the scores equal {@code --backend causal} on the same fixture, the
 * cache makes a re-run send nothing, and the API key (from CALIBRA_TEST_API_KEY, set in the pom)
 * never appears in any output or file.
 */
class CliOpenAiTest {
  static final String KEY_ENV = "CALIBRA_TEST_API_KEY";
  static final String NEG = "negative= negative| terrible";
  static final String POS = "positive= positive| wonderfully good";

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

  static String key() {
    String key = System.getenv(KEY_ENV);
    assertThat(key).as("surefire sets " + KEY_ENV).isNotBlank();
    return key;
  }

  /**
   * The CLI's result and everything it printed for a person: System.err (where score reports
   * progress) followed by the command's error stream (where it reports requests and bounded rows).
   */
  record Run(Cli cli, String systemErr) {}

  static Run run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Cli cli = Cli.run(args);
      return new Run(cli, captured.toString(StandardCharsets.UTF_8) + cli.err());
    } finally {
      System.setErr(old);
    }
  }

  private Path inputs() throws IOException {
    return new TestDir(tmp)
        .write(
            "texts.csv",
            "id,text,gold\nt0,dull and slow,negative\nt1,a gem of a film,positive\nt2,N/A,\n");
  }

  private Path template() throws IOException {
    return new TestDir(tmp)
        .write(
            "template.json",
            "{\"input_prefix\": \"Review: \", \"input_answer_separator\": \"\\n\","
                + " \"answer_prefix\": \"Sentiment:\", \"demonstration_separator\": \"\\n\\n\","
                + " \"demonstrations\": [{\"text\": \"a gem\", \"label\": \"positive\"}]}");
  }

  /** The label columns (the last two) of a score file, as written. */
  private static List<double[]> rows(Path file) throws IOException {
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8).get(0))
        .endsWith(",negative,positive");
    return TestDir.columns(file, "negative", "positive");
  }

  private static void assertNoKey(Path dir, Run... runs) throws IOException {
    String key = key();
    for (Run r : runs) {
      assertThat(r.cli().out() + r.cli().err() + r.systemErr()).doesNotContain(key);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.UTF_8))
            .as("%s", f)
            .doesNotContain(key);
      }
    }
  }

  @Test
  void openaiScoresEqualTheLocalCausalBackendAndTheCacheServesARerun() throws IOException {
    Path input = inputs();
    Path template = template();
    Path local = tmp.resolve("local.csv");
    Path localCf = tmp.resolve("local-cf.csv");
    Cli causal =
        Cli.run(
            "score",
            "--backend",
            "causal",
            "--model-dir",
            Gpt2Fixture.folder().toString(),
            "--label",
            NEG,
            "--label",
            POS,
            "--template",
            template.toString(),
            "--content-free",
            "N/A,[MASK]",
            "--input",
            input.toString(),
            "--output",
            local.toString(),
            "--content-free-output",
            localCf.toString());
    assertThat(causal.code()).as(causal.err()).isZero();

    Path out = tmp.resolve("http.csv");
    Path cf = tmp.resolve("http-cf.csv");
    Path cache = tmp.resolve("cache");
    String[] args = {
      "score",
      "--backend",
      "openai",
      "--base-url",
      server.baseUrl(),
      "--model",
      "gpt2-tiny",
      "--api-key-env",
      KEY_ENV,
      "--cache",
      cache.toString(),
      "--max-in-flight",
      "2",
      "--label",
      NEG,
      "--label",
      POS,
      "--template",
      template.toString(),
      "--content-free",
      "N/A,[MASK]",
      "--input",
      input.toString(),
      "--output",
      out.toString(),
      "--content-free-output",
      cf.toString()
    };
    int before = server.requests();
    Run first = run(args);
    assertThat(first.cli().code()).as(first.cli().err()).isZero();
    // 5 prompts x 4 words = 20 texts: one request
    assertThat(server.requests() - before).isEqualTo(2); // 3 inputs, then 2 content-free prompts
    assertThat(first.systemErr()).contains("2 requests sent, 0 answers from the cache");
    assertThat(server.authorizations().get(before)).isEqualTo("Bearer " + key());
    List<double[]> want = rows(local);
    List<double[]> got = rows(out);
    assertThat(got).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(got.get(i)).as("row %d", i).containsExactly(want.get(i), within(1e-5));
    }
    List<double[]> wantCf = rows(localCf);
    List<double[]> gotCf = rows(cf);
    assertThat(gotCf).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(gotCf.get(i)).containsExactly(wantCf.get(i), within(1e-5));
    }

    byte[] firstScores = Files.readAllBytes(out);
    before = server.requests();
    Run second = run(args);
    assertThat(second.cli().code()).as(second.cli().err()).isZero();
    assertThat(server.requests()).isEqualTo(before);
    assertThat(second.systemErr()).contains("0 requests sent, 2 answers from the cache");
    assertThat(Files.readAllBytes(out)).isEqualTo(firstScores);
    assertNoKey(tmp, first, second);
  }

  @Test
  void openaiChatReportsBoundedRows() throws IOException {
    Path out = tmp.resolve("chat.csv");
    Path input = inputs();
    Run r =
        run(
            "score",
            "--backend",
            "openai-chat",
            "--base-url",
            server.baseUrl(),
            "--model",
            "gpt2-tiny",
            "--api-key-env",
            KEY_ENV,
            "--label",
            NEG,
            "--label",
            POS,
            "--template",
            template().toString(),
            "--input",
            input.toString(),
            "--output",
            out.toString());
    assertThat(r.cli().code()).as(r.cli().err()).isZero();
    assertThat(rows(out)).hasSize(3);
    // the random-weight fixture puts none of the label words in its top 20
    assertThat(r.systemErr())
        .contains(
            "3 of 3 rows of " + input + " are bounded (a label outside the server's top_logprobs");
    assertNoKey(tmp, r);
  }

  @Test
  void openaiChatWithTheTokenizerGetsExactRelativeScores() throws IOException {
    Path input = inputs();
    Path template = template();
    String neg = "negative= negative";
    String pos = "positive= positive";
    Path local = tmp.resolve("local.csv");
    Cli causal =
        Cli.run(
            "score",
            "--backend",
            "causal",
            "--model-dir",
            Gpt2Fixture.folder().toString(),
            "--label",
            neg,
            "--label",
            pos,
            "--template",
            template.toString(),
            "--input",
            input.toString(),
            "--output",
            local.toString());
    assertThat(causal.code()).as(causal.err()).isZero();
    Path out = tmp.resolve("chat.csv");
    int before = server.requests();
    Run r =
        run(
            "score",
            "--backend",
            "openai-chat",
            "--base-url",
            server.baseUrl(),
            "--model",
            "gpt2-tiny",
            "--tokenizer",
            Gpt2Fixture.folder().resolve("tokenizer.json").toString(),
            "--label",
            neg,
            "--label",
            pos,
            "--template",
            template.toString(),
            "--input",
            input.toString(),
            "--output",
            out.toString());
    assertThat(r.cli().code()).as(r.cli().err()).isZero();
    // neither word is in the random fixture's top 20: a second, biased request per row
    assertThat(server.requests() - before).isEqualTo(6);
    List<double[]> want = rows(local);
    List<double[]> got = rows(out);
    for (int i = 0; i < 3; i++) {
      assertThat(got.get(i)[0] - got.get(i)[1])
          .as("row %d", i)
          .isCloseTo(want.get(i)[0] - want.get(i)[1], within(1e-5));
    }
    assertThat(r.systemErr()).contains("3 of 3 rows of " + input + " are bounded");
  }

  @Test
  void aServerErrorExitsWithOneAndNoKey() throws IOException {
    server.enqueue(
        FakeOpenAiServer.status(
            401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key() + "\"}}"));
    Path out = tmp.resolve("never.csv");
    Run r =
        run(
            "score",
            "--backend",
            "openai",
            "--base-url",
            server.baseUrl(),
            "--model",
            "m",
            "--api-key-env",
            KEY_ENV,
            "--label",
            NEG,
            "--label",
            POS,
            "--input",
            inputs().toString(),
            "--output",
            out.toString());
    assertThat(r.cli().code()).isEqualTo(Main.FAILURE);
    assertThat(r.cli().err())
        .contains("HTTP 401: Incorrect API key provided: [API key]")
        .contains("check the API key in environment variable " + KEY_ENV);
    assertThat(out).doesNotExist();
    assertNoKey(tmp, r);
  }

  @Test
  void badOptionCombinationsAreUsageErrors() throws IOException {
    String input = inputs().toString();
    String out = tmp.resolve("x.csv").toString();
    String[][] cases = {
      {"--backend", "openai", "--model", "m"},
      {"--backend", "openai-chat", "--base-url", server.baseUrl()},
      {"--backend", "openai", "--base-url", "localhost:8000", "--model", "m"},
      {"--backend", "openai", "--base-url", server.baseUrl(), "--model", "m", "--model-dir", "."},
      {
        "--backend",
        "openai",
        "--base-url",
        server.baseUrl(),
        "--model",
        "m",
        "--drop-oldest-demonstrations"
      },
      {
        "--backend",
        "openai",
        "--base-url",
        server.baseUrl(),
        "--model",
        "m",
        "--max-in-flight",
        "0"
      },
      {"--backend", "causal", "--model-dir", ".", "--base-url", server.baseUrl()},
      {
        "--backend",
        "openai",
        "--base-url",
        server.baseUrl(),
        "--model",
        "m",
        "--tokenizer",
        "t.json"
      },
      {"--backend", "gpt"}
    };
    String[] messages = {
      "--backend openai needs --base-url",
      "--backend openai-chat needs --model NAME",
      "is not an http(s) URL",
      "--model-dir is for the local backends",
      "--drop-oldest-demonstrations needs a local tokenizer",
      "--max-in-flight is 0; expected at least 1",
      "are for --backend openai and openai-chat, not causal",
      "--tokenizer is for --backend openai-chat",
      // the backends of the ServiceLoader registry: the shipped ones, then any other module's
      "backend 'gpt' is unknown; expected one of [encoder, causal, masked, classifier, openai,"
          + " openai-chat"
    };
    int before = server.requests();
    for (int c = 0; c < cases.length; c++) {
      List<String> args = new ArrayList<>(List.of("score"));
      args.addAll(List.of(cases[c]));
      args.addAll(List.of("--label", NEG, "--label", POS, "--input", input, "--output", out));
      Cli r = Cli.run(args.toArray(String[]::new));
      assertThat(r.code()).as("case %d: %s", c, r.err()).isEqualTo(Main.USAGE);
      assertThat(r.err()).as("case %d", c).contains(messages[c]);
    }
    assertThat(server.requests()).isEqualTo(before);
    assertThat(Path.of(out)).doesNotExist();
  }

  /**
   * {@code --tokenizer} is an input like the others: an output that is the tokenizer file (directly
   * or through a link) is refused before any request, and the tokenizer is left as it was; standard
   * input works as a tokenizer file.
   */
  @Test
  void theTokenizerIsNeverAnOutput() throws IOException {
    Path tokenizer =
        Files.copy(Gpt2Fixture.folder().resolve("tokenizer.json"), tmp.resolve("tokenizer.json"));
    byte[] before = Files.readAllBytes(tokenizer);
    Path link = Files.createSymbolicLink(tmp.resolve("link.json"), tokenizer.getFileName());
    Path hard = Files.createLink(tmp.resolve("hard.json"), tokenizer);
    Path input = inputs();
    int requests = server.requests();
    Object[] chat = {
      "score",
      "--backend",
      "openai-chat",
      "--base-url",
      server.baseUrl(),
      "--model",
      "gpt2-tiny",
      "--label",
      NEG,
      "--label",
      POS,
      "--input",
      input
    };
    Cli.run(chat, "--tokenizer", tokenizer, "--output", tokenizer)
        .exits(2, "--output " + tokenizer + " is the same file as --tokenizer " + tokenizer)
        .oneLine();
    Cli.run(chat, "--tokenizer", tokenizer, "--output", link)
        .exits(2, "is the same file as --tokenizer")
        .oneLine();
    Cli.run(
            chat,
            "--tokenizer",
            hard,
            "--output",
            tmp.resolve("s.csv"),
            "--content-free-output",
            tokenizer)
        .exits(2, "--content-free-output", "is the same file as --tokenizer")
        .oneLine();
    assertThat(server.requests()).isEqualTo(requests);
    assertThat(Files.readAllBytes(tokenizer)).isEqualTo(before);
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(tmp.resolve("s.csv")).doesNotExist();

    // "-" reads the tokenizer from standard input, streamed
    Path out = tmp.resolve("chat.csv");
    Cli.runWithInput(before, chat, "--tokenizer", "-", "--output", out).ok();
    assertThat(rows(out)).hasSize(3);
    Cli.run(chat, "--tokenizer", tmp.resolve("missing.json"), "--output", out)
        .exits(3, "missing.json", "file not found");
  }

  /**
   * A tokenizer file that is truncated, empty or not JSON is bad data (exit 3) naming the file, in
   * one line, before any request; from standard input it is named "standard input".
   */
  @Test
  void aCorruptTokenizerFileIsBadData() throws IOException {
    byte[] good = Files.readAllBytes(Gpt2Fixture.folder().resolve("tokenizer.json"));
    Path truncated =
        Files.write(tmp.resolve("truncated.json"), Arrays.copyOf(good, good.length / 2));
    Path empty = Files.write(tmp.resolve("empty.json"), new byte[0]);
    Path notJson = Files.writeString(tmp.resolve("words.json"), "not a tokenizer\n");
    Object[] chat = {
      "score",
      "--backend",
      "openai-chat",
      "--base-url",
      server.baseUrl(),
      "--model",
      "gpt2-tiny",
      "--label",
      NEG,
      "--label",
      POS,
      "--input",
      inputs(),
      "--output",
      tmp.resolve("out.csv")
    };
    int requests = server.requests();
    for (Path bad : List.of(truncated, empty, notJson)) {
      Cli.run(chat, "--tokenizer", bad)
          .exits(3, bad + ": cannot load tokenizer")
          .oneLine()
          .noStackTrace();
    }
    Cli.runWithInput(Arrays.copyOf(good, 100), chat, "--tokenizer", "-")
        .exits(3, "standard input: cannot load tokenizer")
        .oneLine();
    assertThat(server.requests()).isEqualTo(requests);
    assertThat(tmp.resolve("out.csv")).doesNotExist();
  }

  /**
   * A --model-dir whose tokenizer.json or model.onnx is truncated is bad data too (exit 3): one
   * line naming the file, no stack trace.
   */
  @Test
  void aCorruptModelFolderIsBadData() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("model"));
    byte[] tokenizer = Files.readAllBytes(Gpt2Fixture.folder().resolve("tokenizer.json"));
    byte[] model = Files.readAllBytes(Gpt2Fixture.folder().resolve("model.onnx"));
    Files.write(dir.resolve("model.onnx"), model);
    Files.write(dir.resolve("tokenizer.json"), Arrays.copyOf(tokenizer, tokenizer.length / 3));
    Object[] causal = {
      "score",
      "--backend",
      "causal",
      "--model-dir",
      dir,
      "--label",
      NEG,
      "--label",
      POS,
      "--input",
      inputs(),
      "--output",
      tmp.resolve("out.csv")
    };
    Cli.run(causal)
        .exits(3, dir.resolve("tokenizer.json") + ": cannot load tokenizer (")
        .oneLine()
        .noStackTrace();
    Files.write(dir.resolve("tokenizer.json"), tokenizer);
    Files.write(dir.resolve("model.onnx"), Arrays.copyOf(model, model.length / 3));
    Cli.run(causal)
        .exits(3, dir.resolve("model.onnx") + ": cannot load ONNX model (")
        .oneLine()
        .noStackTrace();
    assertThat(tmp.resolve("out.csv")).doesNotExist();
  }
}
