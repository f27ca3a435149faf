package io.calibra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * Scoring on executors: one scorer per JVM (local mode has one executor JVM, the test's), batches
 * of the scorer's size within each partition, scores equal to the scorer's own on each prompt.
 */
class SparkScoringTest {
  static final LabelSet LABELS = LabelSet.of("negative", "positive");
  static final AtomicInteger CREATED = new AtomicInteger();
  static final AtomicInteger CLOSED = new AtomicInteger();
  static final List<Integer> BATCHES = java.util.Collections.synchronizedList(new ArrayList<>());

  /** Scores a prompt by its length (hand computable): logits (len % 7, len % 5). */
  record CountingFactory(int batch) implements ScorerFactory {
    @Override
    public Scorer create() {
      CREATED.incrementAndGet();
      return new Scorer() {
        @Override
        public String modelId() {
          return "length";
        }

        @Override
        public String fingerprint() {
          return "length";
        }

        @Override
        public ScoreKind kind() {
          return ScoreKind.LOGIT;
        }

        @Override
        public int maxBatchSize() {
          return batch;
        }

        @Override
        public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
          BATCHES.add(prompts.size());
          return prompts.stream()
              .map(p -> LabelScores.of(labels, ScoreKind.LOGIT, p.length() % 7, p.length() % 5))
              .toList();
        }

        @Override
        public void close() {
          CLOSED.incrementAndGet();
        }
      };
    }
  }

  @Test
  void oneScorerPerJvmBatchedPerPartition() {
    Dataset<Row> prompts =
        SparkTestData.spark()
            .range(0, 1000, 1, 4)
            .map(
                (MapFunction<Long, Row>) i -> RowFactory.create(i, "x".repeat((int) (i % 50))),
                Encoders.row(
                    DataTypes.createStructType(
                        List.of(
                            DataTypes.createStructField("id", DataTypes.LongType, false),
                            DataTypes.createStructField("prompt", DataTypes.StringType, false)))));
    List<Row> scored =
        SparkScoring.score(prompts, "prompt", LABELS, new CountingFactory(64)).collectAsList();

    assertThat(scored).hasSize(1000);
    for (Row row : scored) {
      int length = row.<String>getAs("prompt").length();
      assertThat(row.<Double>getAs("negative")).isEqualTo(length % 7);
      assertThat(row.<Double>getAs("positive")).isEqualTo(length % 5);
    }
    assertThat(CREATED.get()).isEqualTo(1);
    // 4 partitions of 250 rows: 3 full batches of 64 and one of 58 each
    assertThat(BATCHES).hasSize(16).allMatch(b -> b == 64 || b == 58);
    assertThat(CLOSED.get()).isZero();
    SparkScoring.closeAll();
    assertThat(CLOSED.get()).isEqualTo(1);
  }

  @Test
  void aMissingPromptColumnOrAnUnknownBackendIsAClearError() {
    Dataset<Row> prompts = SparkTestData.rows(0, 3, 1);
    assertThatThrownBy(() -> SparkScoring.score(prompts, "text", LABELS, new CountingFactory(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no prompt column 'text'");
    assertThatThrownBy(() -> ScorerFactory.provider("no-such-backend", Map.of()).create())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no scorer backend named 'no-such-backend'");
  }

  /**
   * The embedded MiniLM encoder through its ServiceLoader provider on the executors gives the same
   * scores as the same provider's scorer used directly (the reference), row for row.
   */
  @Test
  void theEmbeddedEncoderScoresOnExecutorsAsItDoesLocally() {
    LabelSet labels =
        LabelSet.builder()
            .add("negative", "a negative review")
            .add("positive", "a positive review")
            .build();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add((i % 2 == 0 ? "a dull, tiresome film " : "a warm and funny film ") + i);
    }
    Dataset<Row> prompts =
        SparkTestData.spark()
            .createDataFrame(
                texts.stream().map(t -> RowFactory.create(t)).toList(),
                DataTypes.createStructType(
                    List.of(DataTypes.createStructField("prompt", DataTypes.StringType, false))))
            .repartition(3);
    ScorerFactory minilm = ScorerFactory.provider("onnx-encoder", Map.of());
    List<Row> scored = SparkScoring.score(prompts, "prompt", labels, minilm).collectAsList();
    try (Scorer local = minilm.create()) {
      assertThat(scored).hasSize(40);
      for (Row row : scored) {
        LabelScores expected = local.score(row.getString(0), labels);
        assertThat(row.<Double>getAs("negative")).isEqualTo(expected.score(0));
        assertThat(row.<Double>getAs("positive")).isEqualTo(expected.score(1));
      }
    }
  }
}
