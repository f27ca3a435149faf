package io.calibra.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.calibra.backend.LabelScores;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache in a folder an attacker can reach: the API key a server echoes, links and
 * FIFOs planted at an entry's path, entries that parse but hold impossible values, and folders
 * other users can write to. The expected scores are the fake server's own answers (the GPT-2
 * fixture through the scorer), compared with a run that used no cache.
 */
class ServedCacheSafetyTest {
  static final String KEY = FaultInjectionTest.KEY;
  static final LabelSet LABELS = FaultInjectionTest.LABELS;
  static final String PROMPT = "Review: N/A\nSentiment:";

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

  private static HttpScorer scorer(Path cache) {
    return OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny")
        .apiKey(KEY)
        .cache(cache)
        .build();
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Scores once into {@code cache} and returns the one entry written. */
  private static Path oneEntry(Path cache, double[] scores) throws IOException {
    try (HttpScorer s = scorer(cache)) {
      System.arraycopy(s.score(PROMPT, LABELS).toArray(), 0, scores, 0, scores.length);
    }
    List<Path> e = entries(cache);
    assertThat(e).hasSize(1);
    return e.get(0);
  }

  @Test
  void anEchoedApiKeyIsStrippedBeforeTheAnswerIsKept() throws IOException {
    Path cache = tmp.resolve("cache");
    server.enqueue(FakeOpenAiServer.echoAuthorization());
    double[] scores = new double[2];
    Path entry = oneEntry(cache, scores);
    String kept = Files.readString(entry, StandardCharsets.UTF_8);
    assertThat(kept).doesNotContain(KEY).contains("Bearer [API key]");
    // the scores are those of the answer
    try (HttpScorer s = OpenAiScorers.completions(server.baseUrl(), "gpt2-tiny").build()) {
      assertThat(s.score(PROMPT, LABELS).toArray()).containsExactly(scores, within(1e-12));
    }
  }

  @Test
  void aLinkPlantedAtAnEntryIsReplacedAndItsTargetLeftAlone() throws IOException {
    Path cache = tmp.resolve("cache");
    double[] first = new double[2];
    Path entry = oneEntry(cache, first);
    Path victim = Files.writeString(tmp.resolve("victim.txt"), "not yours\n");
    Files.delete(entry);
    Files.createSymbolicLink(entry, victim);
    int before = server.requests();
    try (HttpScorer s = scorer(cache)) {
      assertThat(s.score(PROMPT, LABELS).toArray()).containsExactly(first, within(1e-12));
      assertThat(s.cacheHits()).isZero();
    }
    assertThat(server.requests() - before).isEqualTo(1);
    assertThat(Files.readString(victim)).isEqualTo("not yours\n");
    assertThat(Files.isSymbolicLink(entry)).isFalse();
    assertThat(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void aLinkToAValidEntryElsewhereIsNotRead() throws IOException {
    // an entry copied elsewhere and linked back: still never followed, so it is fetched again
    Path cache = tmp.resolve("cache");
    double[] first = new double[2];
    Path entry = oneEntry(cache, first);
    Path elsewhere = Files.copy(entry, tmp.resolve("elsewhere.json"));
    Files.delete(entry);
    Files.createSymbolicLink(entry, elsewhere);
    try (HttpScorer s = scorer(cache)) {
      s.score(PROMPT, LABELS);
      assertThat(s.cacheHits()).isZero();
      assertThat(s.requestsSent()).isEqualTo(1);
    }
  }

  @Test
  // a guard only, on its own thread (opening a FIFO cannot be interrupted): reading the FIFO
  // would block for ever
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFifoPlantedAtAnEntryDoesNotBlock() throws Exception {
    Path cache = tmp.resolve("cache");
    double[] first = new double[2];
    Path entry = oneEntry(cache, first);
    Files.delete(entry);
    Process mkfifo = new ProcessBuilder("mkfifo", entry.toString()).start();
    assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
    try (HttpScorer s = scorer(cache)) {
      assertThat(s.score(PROMPT, LABELS).toArray()).containsExactly(first, within(1e-12));
      assertThat(s.requestsSent()).isEqualTo(1);
    }
    assertThat(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void anEntryWithAnImpossibleLogProbabilityIsFetchedAgainNotBlamedOnTheServer()
      throws IOException {
    Path cache = tmp.resolve("cache");
    double[] first = new double[2];
    Path entry = oneEntry(cache, first);
    String text = Files.readString(entry, StandardCharsets.UTF_8);
    // the label word's token (the last but one: a generated token follows) becomes -1e999:
    // parseable, read as -Infinity
    String damaged =
        text.replaceFirst(
            "(\"token_logprobs\":\\[[^\\]]*,)[-0-9.eE]+(,[-0-9.eE]+\\])", "$1-1e999$2");
    assertThat(damaged).isNotEqualTo(text).contains("-1e999");
    Files.writeString(entry, damaged, StandardCharsets.UTF_8);
    try (HttpScorer s = scorer(cache)) {
      LabelScores row = s.score(PROMPT, LABELS);
      assertThat(row.toArray()).containsExactly(first, within(1e-12));
      assertThat(s.requestsSent()).isEqualTo(1);
      assertThat(s.cacheHits()).isZero();
    }
    assertThat(Files.readString(entry, StandardCharsets.UTF_8)).isEqualTo(text);
  }

  @Test
  void anImpossibleLogProbabilityOnAPromptTokenOfAnEntryIsFetchedAgainToo() throws IOException {
    Path cache = tmp.resolve("cache");
    double[] first = new double[2];
    Path entry = oneEntry(cache, first);
    String text = Files.readString(entry, StandardCharsets.UTF_8);
    // the first prompt token with a value (the scores do not use it) becomes -1e999, or 3.5
    for (String bad : List.of("-1e999", "3.5")) {
      String damaged = text.replaceFirst("(\"token_logprobs\":\\[null,)[-0-9.eE]+", "$1" + bad);
      assertThat(damaged).isNotEqualTo(text).contains(bad);
      Files.writeString(entry, damaged, StandardCharsets.UTF_8);
      try (HttpScorer s = scorer(cache)) {
        assertThat(s.score(PROMPT, LABELS).toArray()).containsExactly(first, within(1e-12));
        assertThat(s.requestsSent()).isEqualTo(1);
      }
      assertThat(Files.readString(entry, StandardCharsets.UTF_8)).isEqualTo(text);
    }
  }

  @Test
  void entriesAre0600AndANewFolder0700() throws IOException {
    Path cache = tmp.resolve("new").resolve("cache");
    Path entry = oneEntry(cache, new double[2]);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
  }

  @Test
  void aFolderOthersCanWriteIsRefusedUnlessItIsYours() throws IOException {
    Path mine = Files.createDirectory(tmp.resolve("shared-by-me"));
    Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxrwxrwx"));
    scorer(mine).close(); // yours: accepted (you chose to share it)

    Path theirs = Files.createDirectory(tmp.resolve("theirs"));
    Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwxrwxrwx"));
    UserPrincipal nobody;
    try {
      nobody =
          theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(theirs, nobody);
    } catch (IOException e) {
      assumeTrue(false, "cannot give a folder to user nobody here (not root): " + e);
      return;
    }
    int before = server.requests();
    assertThatThrownBy(() -> scorer(theirs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("response cache " + theirs + " is writable by other users")
        .hasMessageContaining("owned by nobody");
    assertThat(server.requests()).isEqualTo(before);
  }

  @Test
  void aCacheThatIsAFileSaysSoBeforeAnyRequest() throws IOException {
    Path file = Files.writeString(tmp.resolve("cache.txt"), "x");
    int before = server.requests();
    assertThatThrownBy(() -> scorer(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("response cache " + file + " is a file; expected a folder");
    assertThat(server.requests()).isEqualTo(before);
    assertThat(Files.readString(file)).isEqualTo("x");
  }
}
