package io.calibra.benchmarks;

import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every metric (ECE both ways, MCE, classwise ECE, Brier, NLL, accuracy, macro-F1) over 10^6 rows.
 */
@State(Scope.Benchmark)
/** Timed: the benchmark. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class MetricsBenchmark {
  static final int ROWS = 1_000_000;

  /** Values JMH runs this benchmark with. */
  @Param({"2", "14"})
  public int k;

  private Synthetic data;

  /** Builds the data and objects the benchmark uses, outside the timed code. */
  @Setup
  public void setUp() {
    data = new Synthetic(ROWS, k, 2);
  }

  /** Timed: allMetrics. */
  @Benchmark
  public CalibrationMetrics allMetrics() {
    return Metrics.evaluate(data.labels, data.probabilities, data.gold, 15);
  }
}
