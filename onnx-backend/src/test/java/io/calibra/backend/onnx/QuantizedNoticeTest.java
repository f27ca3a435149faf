package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Building scorers on a dynamically quantised model says once per process, at INFO, that its
 * prompts run one at a time; asking for batching says so as a WARNING. Run in a child JVM with
 * default settings, as an application that configures no logging: calibra's System.Logger writes to
 * java.util.logging's console (standard error, INFO and above), DJL's SLF4J logging goes there too
 * (slf4j-jdk14), and SLF4J prints none of its own warnings ("No SLF4J providers were found").
 */
class QuantizedNoticeTest {
  private static final String NOTICE = "is dynamically quantised";

  /** Builds three int8 scorers (two row by row, one batched) and scores with each. */
  public static void main(String[] args) {
    LabelSet labels = LabelSet.builder().add("negative", "bad").add("positive", "good").build();
    for (boolean batched : new boolean[] {false, false, true}) {
      try (Scorer s =
          OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8())
              .batchSize(8)
              .quantizedBatching(batched)
              .build()) {
        System.out.println(s.score("a fine film", labels));
      }
    }
  }

  @Test
  void theNoticeIsLoggedOncePerModeAndProcess() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    QuantizedNoticeTest.class.getName()))
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).doesNotContain("SLF4J");
    List<String> notices = text.lines().filter(l -> l.contains(NOTICE)).toList();
    assertThat(notices).as(text).hasSize(2);
    // java.util.logging's default format: a line with the time and source, then LEVEL: message
    assertThat(notices.get(0))
        .startsWith("INFO: model ")
        .contains("all-minilm-l6-v2-q.onnx")
        .contains("DynamicQuantizeLinear")
        .contains("scoring each prompt on its own");
    assertThat(notices.get(1))
        .startsWith("WARNING: model ")
        .contains("depend on which prompts share a batch");
    assertThat(text.lines().filter(l -> l.contains("LabelScores{LOGIT")).count()).isEqualTo(3);
  }
}
