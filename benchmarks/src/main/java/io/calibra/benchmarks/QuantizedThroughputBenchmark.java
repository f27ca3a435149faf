package io.calibra.benchmarks;

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
 * Sentences per second of the embedded MiniLM encoder scorer on the same 512 SST-2 test sentences,
 * for the int8 model run one prompt at a time (the default, batch-independent), the int8 model
 * batched ({@code quantizedBatching(true)}, batch-dependent) and the fp32 model batched. One
 * operation is all 512 sentences: sentences/s = 512 * ops/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 15)
@Fork(1)
public class QuantizedThroughputBenchmark {
  static final int SENTENCES = 512;
  private static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", "The movie was terrible.")
          .add("positive", "The movie was great.")
          .build();

  /** int8-row (default for int8), int8-batched (opt-in) or fp32-batched. */
  @Param({"int8-row", "int8-batched", "fp32-batched"})
  public String mode;

  /** Prompts per model run where batching applies. */
  @Param({"16"})
  public int batchSize;

  private List<String> sentences;
  private Scorer scorer;

  /** Builds the data and the scorer, outside the timed code. */
  @Setup(Level.Trial)
  public void setUp() {
    sentences = BenchmarkData.sst2Sentences(SENTENCES);
    scorer =
        switch (mode) {
          case "int8-row" ->
              OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8()).batchSize(batchSize).build();
          case "int8-batched" ->
              OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8())
                  .batchSize(batchSize)
                  .quantizedBatching(true)
                  .build();
          case "fp32-batched" ->
              OnnxScorers.encoder(ModelSource.embeddedMiniLm()).batchSize(batchSize).build();
          default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
  }

  /** Releases what setUp opened. */
  @TearDown(Level.Trial)
  public void tearDown() {
    scorer.close();
  }

  /** Timed: all 512 sentences scored against two labels. */
  @Benchmark
  public List<LabelScores> scoreAll() {
    return scorer.scoreAll(sentences, LABELS);
  }
}
