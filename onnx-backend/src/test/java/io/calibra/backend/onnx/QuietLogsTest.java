package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Loading a model logs nothing at WARNING on a machine without a usable GPU, and SLF4J says nothing
 * of its own. On this project's machines a CUDA runtime is installed without a driver, so before
 * {@link DjlStartup} DJL printed "Failed to detect GPU count" twice here; the child JVM has default
 * settings (java.util.logging's console at INFO, DJL's SLF4J logging sent there by slf4j-jdk14).
 */
class QuietLogsTest {

  /** Scores one prompt with the embedded encoder; run in a child JVM by the test. */
  public static void main(String[] args) {
    LabelSet labels = LabelSet.builder().add("negative", "bad").add("positive", "good").build();
    try (var scorer = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
      System.out.println(scorer.score("a fine film", labels));
    }
  }

  @Test
  void loadingTheEmbeddedModelPrintsNoWarnings() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    QuietLogsTest.class.getName()))
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text)
        .contains("LabelScores{LOGIT")
        .doesNotContain("WARN")
        .doesNotContain("GPU")
        .doesNotContain("SLF4J")
        .doesNotContain("ai.djl");
  }
}
