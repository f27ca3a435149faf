package io.calibra.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress on standard error: a bar on a terminal, plain lines when redirected. */
class ProgressTest {
  private static final LabelSet LABELS = LabelSet.of("negative", "positive");

  private static Scorer lengthScorer() {
    return Scorers.fromClassifier(
        "length", ScoreKind.LOGIT, text -> new double[] {text.length(), 1.0});
  }

  private static List<String> prompts(int n) {
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      prompts.add("text " + i);
    }
    return prompts;
  }

  /** Scores 300 prompts with progress; run in a child JVM whose stderr is a file. */
  public static void main(String[] args) {
    List<LabelScores> scores = Progress.scoreAll(lengthScorer(), prompts(300), LABELS, "Scoring x");
    System.out.println(scores.size());
  }

  @Test
  void redirectedStandardErrorGetsPlainLinesWithoutCarriageReturns(@TempDir Path tmp)
      throws Exception {
    Path err = tmp.resolve("err.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ProgressTest.class.getName())
            .redirectError(err.toFile())
            .redirectOutput(tmp.resolve("out.log").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(Files.readString(tmp.resolve("out.log")).trim()).isEqualTo("300");
    assertThat(text).doesNotContain("\r");
    assertThat(text.lines().toList()).hasSize(2).first().isEqualTo("Scoring x: 300 prompts ...");
    assertThat(text.lines().toList().get(1)).startsWith("Scoring x: done, 300 prompts in ");
  }

  @Test
  void theBarRedrawsItsLineWithCarriageReturns() {
    String text = captureStderr("bar");
    assertThat(text).contains("\r").contains("300/300");
  }

  @Test
  void bothModesReturnTheScoresInOrder() {
    for (String mode : List.of("bar", "lines")) {
      System.setProperty("calibra.progress", mode);
      try (Scorer scorer = lengthScorer()) {
        List<LabelScores> scores = Progress.scoreAll(scorer, prompts(300), LABELS, "t");
        assertThat(scores).hasSize(300);
        // hand computed: "text 299" has 8 characters
        assertThat(scores.get(299).toArray()).containsExactly(8.0, 1.0);
      } finally {
        System.clearProperty("calibra.progress");
      }
    }
  }

  private static String captureStderr(String mode) {
    PrintStream saved = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setProperty("calibra.progress", mode);
    try (Scorer scorer = lengthScorer()) {
      System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
      Progress.scoreAll(scorer, prompts(300), LABELS, "Scoring x");
    } finally {
      System.setErr(saved);
      System.clearProperty("calibra.progress");
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
