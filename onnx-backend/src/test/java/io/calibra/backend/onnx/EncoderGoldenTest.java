package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncoderGoldenTest {
  @Test
  void reproducesGoldenContentFreeLogits() {
    LabelSet labels =
        LabelSet.builder()
            .add("negative", "The movie was terrible.")
            .add("positive", "The movie was great.")
            .build();
    try (Scorer s = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
      List<LabelScores> scores = s.scoreAll(List.of("N/A", "", "[MASK]", "no movement , no yuks , not much of anything ."), labels);
      scores.forEach(System.out::println);
      assertThat(scores.get(0).toArray()).containsExactly(new double[] {0.85907332, 1.1047564}, within(1e-4));
    }
  }
}
