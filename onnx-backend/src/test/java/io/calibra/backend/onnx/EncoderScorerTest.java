package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded MiniLM encoder against langchain4j, golden scores, batching and threads. */
class EncoderScorerTest {
  static final LabelSet SENTIMENT =
      LabelSet.builder()
          .add("negative", "The movie was terrible.")
          .add("positive", "The movie was great.")
          .build();

  private static EncoderScorer scorer;

  @BeforeAll
  static void open() {
    scorer = (EncoderScorer) OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build();
  }

  @AfterAll
  static void close() {
    scorer.close();
  }

  @Test
  void embeddingsEqualLangchain4jOnFiftySentences() {
    List<String> sentences = Sentences.generate(50, 1);
    float[][] ours = scorer.embed(sentences);
    AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
    List<TextSegment> segments = sentences.stream().map(TextSegment::from).toList();
    List<Embedding> theirs = reference.embedAll(segments).content();
    for (int i = 0; i < sentences.size(); i++) {
      float[] t = theirs.get(i).vector();
      double dot = 0;
      double nt = 0;
      for (int j = 0; j < t.length; j++) {
        dot += (double) ours[i][j] * t[j];
        nt += (double) t[j] * t[j];
      }
      assertThat(dot / Math.sqrt(nt))
          .as("cosine for sentence %d", i)
          .isGreaterThanOrEqualTo(0.99999);
    }
  }

  /** Golden content-free logits of ../shared/golden (prototype scores, numpy reference). */
  @Test
  void contentFreeScoresMatchTheGoldenCase() {
    List<LabelScores> s = scorer.scoreAll(List.of("N/A", "", "[MASK]"), SENTIMENT);
    assertThat(s.get(0).toArray())
        .containsExactly(new double[] {0.85907332, 1.1047564}, within(2e-5));
    assertThat(s.get(1).toArray())
        .containsExactly(new double[] {0.7584266, 1.8439302}, within(2e-5));
    assertThat(s.get(2).toArray())
        .containsExactly(new double[] {2.4706547, 2.895606}, within(2e-5));
  }

  @Test
  void batchedScoresEqualUnbatchedScores() {
    List<String> sentences = Sentences.generate(40, 2);
    sentences.add(0, "");
    try (Scorer one = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).batchSize(1).build()) {
      List<LabelScores> unbatched = one.scoreAll(sentences, SENTIMENT);
      List<LabelScores> batched = scorer.scoreAll(sentences, SENTIMENT);
      for (int i = 0; i < sentences.size(); i++) {
        assertThat(batched.get(i).toArray())
            .as("sentence %d", i)
            .containsExactly(unbatched.get(i).toArray(), within(1e-5));
      }
    }
  }

  @Test
  void eightThreadsAtOnceEqualSerialScoring() throws Exception {
    List<String> sentences = Sentences.generate(24, 3);
    List<LabelScores> serial = scorer.scoreAll(sentences, SENTIMENT);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<LabelScores>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> scorer.scoreAll(sentences, SENTIMENT)));
      }
      for (Future<List<LabelScores>> f : futures) {
        List<LabelScores> parallel = f.get();
        for (int i = 0; i < sentences.size(); i++) {
          assertThat(parallel.get(i).toArray())
              .containsExactly(serial.get(i).toArray(), within(1e-6));
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void fewShotPrototypesAreMeanExampleEmbeddings() {
    try (Scorer fewShot =
        OnnxScorers.encoder(ModelSource.embeddedMiniLm())
            .fewShot(
                Map.of(
                    "negative",
                    List.of("The movie was terrible."),
                    "positive",
                    List.of("The movie was great.")))
            .build()) {
      // one example per label equals the zero-shot description of the same text
      assertThat(fewShot.score("a fine film", SENTIMENT).toArray())
          .containsExactly(scorer.score("a fine film", SENTIMENT).toArray(), within(1e-6));
      assertThatThrownBy(() -> fewShot.score("x", LabelSet.of("negative", "neutral")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no few-shot examples for label 'neutral'");
    }
  }

  @Test
  void promptLongerThanTheContextIsAnError() {
    try (Scorer small = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).maxTokens(8).build()) {
      assertThatThrownBy(
              () ->
                  small.scoreAll(
                      List.of("fine", "a sentence with far too many words in it"), SENTIMENT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prompt 1 has 11 tokens")
          .hasMessageContaining("at most 8");
    }
  }
}
