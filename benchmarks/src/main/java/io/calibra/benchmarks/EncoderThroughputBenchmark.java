package io.calibra.benchmarks;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sentences per second of the embedded MiniLM scorer (embedding, pooling and label cosines) against
 * langchain4j's AllMiniLmL6V2EmbeddingModel.embedAll (embeddings only) on the same 512 SST-2 test
 * sentences, in one run. One operation is all 512 sentences: sentences/s = 512 * ops/s.
 */
@State(Scope.Benchmark)
/** Timed: the benchmark. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 15)
@Fork(1)
public class EncoderThroughputBenchmark {
  static final int SENTENCES = 512;
  private static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", "The movie was terrible.")
          .add("positive", "The movie was great.")
          .build();

  /** Values JMH runs this benchmark with. */
  @Param({"16"})
  public int batchSize;

  private List<String> sentences;
  private List<TextSegment> segments;
  private Scorer calibra;
  private AllMiniLmL6V2EmbeddingModel langchain4j;

  /** Builds the data and objects the benchmark uses, outside the timed code. */
  @Setup(Level.Trial)
  public void setUp() {
    sentences = BenchmarkData.sst2Sentences(SENTENCES);
    segments = sentences.stream().map(TextSegment::from).toList();
    calibra = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).batchSize(batchSize).build();
    langchain4j = new AllMiniLmL6V2EmbeddingModel();
  }

  /** Releases what setUp opened. */
  @TearDown(Level.Trial)
  public void tearDown() {
    calibra.close();
  }

  /** Timed: calibraEncoder. */
  @Benchmark
  public List<LabelScores> calibraEncoder() {
    return calibra.scoreAll(sentences, LABELS);
  }

  /** Timed: langchain4jEmbedAll. */
  @Benchmark
  public List<Embedding> langchain4jEmbedAll() {
    return langchain4j.embedAll(segments).content();
  }
}
