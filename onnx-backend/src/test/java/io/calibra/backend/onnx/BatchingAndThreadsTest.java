package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** For every scorer kind: batched equals unbatched within 1e-5; eight threads equal serial. */
class BatchingAndThreadsTest {

  record Case(String name, IntFunction<Scorer> open, List<String> prompts, LabelSet labels) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<String> words =
        List.of(
            "the movie was",
            "review : the movie was great",
            "bad",
            "very good ok",
            "the the movie",
            "was",
            "review : very bad movie , ok");
    List<String> masked = new ArrayList<>();
    for (String w : words) {
      masked.add(w + " [MASK]");
    }
    List<String> sentences = Sentences.generate(20, 5);
    return Stream.of(
        Arguments.of(
            new Case(
                "causal",
                b ->
                    OnnxScorers.causalLm(ExactFixtures.source("causal-position"))
                        .batchSize(b)
                        .build(),
                words,
                ExactFixtures.LABELS)),
        Arguments.of(
            new Case(
                "causal GPT-2 with past_key_values",
                b -> OnnxScorers.causalLm(Gpt2FixtureTest.withPast()).batchSize(b).build(),
                gpt2Prompts(),
                LabelSet.builder()
                    .add("negative", " bad", " not good at all")
                    .add("positive", " good")
                    .build())),
        Arguments.of(
            new Case(
                "masked",
                b ->
                    OnnxScorers.maskedLm(ExactFixtures.source("masked-exact")).batchSize(b).build(),
                masked,
                ExactFixtures.LABELS)),
        Arguments.of(
            new Case(
                "classifier",
                b ->
                    OnnxScorers.classifier(ExactFixtures.source("classifier-exact"))
                        .batchSize(b)
                        .build(),
                words,
                LabelSet.of("negative", "neutral", "positive"))),
        Arguments.of(
            new Case(
                "encoder",
                b -> OnnxScorers.encoder(ModelSource.embeddedMiniLm()).batchSize(b).build(),
                sentences,
                EncoderScorerTest.SENTIMENT)));
  }

  static List<String> gpt2Prompts() {
    List<String> out = new ArrayList<>();
    for (String s : Sentences.generate(12, 9)) {
      out.add("Review: " + s + "\nSentiment:");
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void batchedEqualsUnbatched(Case c) {
    try (Scorer one = c.open().apply(1);
        Scorer many = c.open().apply(16)) {
      List<LabelScores> a = one.scoreAll(c.prompts(), c.labels());
      List<LabelScores> b = many.scoreAll(c.prompts(), c.labels());
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.get(i).toArray())
            .as("prompt %d", i)
            .containsExactly(a.get(i).toArray(), within(1e-5));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eightThreadsEqualSerial(Case c) throws Exception {
    try (Scorer scorer = c.open().apply(4)) {
      List<LabelScores> serial = scorer.scoreAll(c.prompts(), c.labels());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<List<LabelScores>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(pool.submit(() -> scorer.scoreAll(c.prompts(), c.labels())));
        }
        for (Future<List<LabelScores>> f : futures) {
          List<LabelScores> parallel = f.get();
          for (int i = 0; i < serial.size(); i++) {
            assertThat(parallel.get(i).toArray())
                .containsExactly(serial.get(i).toArray(), within(1e-6));
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }
}
