package io.calibra.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A scorer run on several threads: the same scores, in order, errors as the scorer threw them. */
class ParallelScorerTest {
  private static final LabelSet LABELS = LabelSet.of("a", "b");

  /** Scores prompt {@code "p<i>"} as (i, -i), noting the threads it ran on; fails on "bad". */
  private static final class Indexed implements Scorer {
    final Set<Long> threads = ConcurrentHashMap.newKeySet();
    boolean closed;

    @Override
    public String modelId() {
      return "indexed";
    }

    @Override
    public String fingerprint() {
      return "fp";
    }

    @Override
    public ScoreKind kind() {
      return ScoreKind.LOGIT;
    }

    @Override
    public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
      threads.add(Thread.currentThread().getId());
      List<LabelScores> out = new ArrayList<>();
      for (String p : prompts) {
        if (p.equals("bad")) {
          throw new IllegalArgumentException("prompt 'bad' is bad");
        }
        double i = Double.parseDouble(p.substring(1));
        out.add(LabelScores.of(labels, ScoreKind.LOGIT, i, -i));
      }
      return out;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void partsAreScoredOnTheirOwnThreadsAndJoinedInOrder() {
    Indexed inner = new Indexed();
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      prompts.add("p" + i);
    }
    List<LabelScores> scores;
    try (ParallelScorer s = new ParallelScorer(inner, 2)) {
      assertThat(s.modelId()).isEqualTo("indexed");
      assertThat(s.fingerprint()).isEqualTo("fp");
      scores = s.scoreBatch(prompts, LABELS);
    }
    assertThat(inner.closed).isTrue();
    assertThat(inner.threads).as("two parts, two pool threads").hasSize(2);
    assertThat(scores).hasSize(101);
    for (int i = 0; i < 101; i++) {
      assertThat(scores.get(i).score(0)).isEqualTo(i);
    }
  }

  @Test
  void theScorersErrorComesBackAsItWasThrown() {
    try (ParallelScorer s = new ParallelScorer(new Indexed(), 2)) {
      assertThatThrownBy(() -> s.scoreBatch(List.of("p1", "p2", "bad", "p3"), LABELS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("prompt 'bad' is bad");
    }
    assertThatThrownBy(() -> new ParallelScorer(new Indexed(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads is 0; expected at least 1");
  }

  /** The embedded encoder on one intra-op thread, run on two threads, scores as it does alone. */
  @Test
  void theEncoderScoresTheSameOnTwoThreads() {
    List<String> texts =
        List.of("a gem of a film", "dull", "the plot goes nowhere", "a warm and funny story", "ok");
    double[][] alone;
    try (Scorer s = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
      alone =
          s.scoreAll(texts, DemoCommand.LABELS).stream()
              .map(LabelScores::toArray)
              .toArray(double[][]::new);
    }
    double[][] parallel;
    try (Scorer s =
        new ParallelScorer(
            OnnxScorers.encoder(ModelSource.embeddedMiniLm()).intraOpThreads(1).build(), 2)) {
      parallel =
          s.scoreAll(texts, DemoCommand.LABELS).stream()
              .map(LabelScores::toArray)
              .toArray(double[][]::new);
    }
    for (int i = 0; i < texts.size(); i++) {
      for (int k = 0; k < 2; k++) {
        // logits are cos / 0.05; float32 embeddings in other batches agree to rounding
        assertThat(parallel[i][k])
            .as("text %d label %d", i, k)
            .isCloseTo(alone[i][k], org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }
}
