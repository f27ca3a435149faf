package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command-line user sees of the log (docs/logging.md): calibra's notes as one line each on
 * standard error, nothing from SLF4J or DJL. Run as a new process, as a user runs it: the notes are
 * said once per process, and SLF4J speaks (or not) when the JVM first uses it.
 */
class CliLoggingTest {
  @TempDir Path tmp;

  @Test
  @Timeout(180)
  void theInt8NoteReachesTheUserAsOneLineWithoutSlf4jNoise() throws Exception {
    Path input = Files.writeString(tmp.resolve("texts.csv"), "id,text\nt0,a warm film\nt1,dull\n");
    Path out = tmp.resolve("scores.csv");
    Process p =
        new ProcessBuilder(
                // ONNX Runtime's native start-up overflowed the main thread's default stack in a
                // child JVM on the test class path (SIGSEGV, exit 139, no message)
                Cli.javaCommand(
                    List.of("-Xss8m"),
                    "score",
                    "--model",
                    "embedded-minilm-int8",
                    "--label",
                    "negative=The movie was terrible.",
                    "--label",
                    "positive=The movie was great.",
                    "--input",
                    input,
                    "--output",
                    out))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(err.lines().filter(l -> l.startsWith("calibra: note: ")).toList())
        .as(err)
        .singleElement()
        .asString()
        .contains("all-minilm-l6-v2-q.onnx is dynamically quantised")
        .contains("scoring each prompt on its own");
    assertThat(err)
        .doesNotContain("SLF4J")
        .doesNotContain("ai.djl")
        .doesNotContain("INFO")
        .doesNotContain("WARN");
    assertThat(out).isRegularFile();
  }
}
