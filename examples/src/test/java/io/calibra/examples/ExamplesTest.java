package io.calibra.examples;

import static io.calibra.testkit.CalibraAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.classifier.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example and checks what it promises. */
class ExamplesTest {
  @TempDir Path tmp;

  private static String capture(ThrowingConsumer<PrintStream> body) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      body.accept(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingConsumer<T> {
    void accept(T t) throws Exception;
  }

  @Test
  void wrapYourClassifier() throws Exception {
    String out = capture(WrapYourClassifier::run);
    assertThat(out).contains("keywords-lambda").contains("keywords-class");
    // "N/A" scores (0, 0.8) like every content-free input, so contextual calibration maps it to
    // 0.5, and temperature scaling keeps 0.5 at 0.5 (hand computed)
    assertThat(out)
        .contains("\"N/A\"            raw P(positive)=0.690  calibrated P(positive)=0.500");
  }

  @Test
  void fewShotSentimentSavesAndLoadsTheSameCalibration() throws Exception {
    Path file = tmp.resolve("calibration.json");
    String out = capture(o -> FewShotSentiment.run(file, o));
    assertThat(out).contains("saved " + file).doesNotContain("same as before saving: false");
    // the typed temperature accessor
    assertThat(out).containsPattern("temperature stage: T = \\d+\\.\\d{4}");
    assertThat(out.split("same as before saving: true", -1)).hasSize(4);
    assertThat(out)
        .contains("\"an enchanting film\"     positive")
        .contains("\"what a waste of time\"   negative");
  }

  @Test
  void causalLmFromTheCommittedGpt2Fixture() throws Exception {
    Path fixture =
        Path.of("..", "onnx-backend", "src", "test", "resources", "fixtures", "gpt2-tiny");
    List<Prediction>[] result = new List[1];
    String out = capture(o -> result[0] = CausalLmFromModelDir.run(fixture, o));
    assertThat(out).contains("gpt2-tiny").contains("contextual");
    for (Prediction p : result[0]) {
      assertThat(p.calibrated()).isCloseTo(p.calibrated(), 0);
      assertThat(p.calibrated().probability(0) + p.calibrated().probability(1))
          .isCloseTo(1.0, within(1e-12));
    }
  }
}
