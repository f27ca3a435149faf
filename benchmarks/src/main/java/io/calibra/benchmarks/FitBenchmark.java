package io.calibra.benchmarks;

import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
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

/** Temperature and vector-scaling fits on 10^5 labelled rows. */
@State(Scope.Benchmark)
/** Timed: the benchmark. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class FitBenchmark {
  static final int ROWS = 100_000;

  /** Values JMH runs this benchmark with. */
  @Param({"2", "14"})
  public int k;

  private LabelledSet data;

  /** Builds the data and objects the benchmark uses, outside the timed code. */
  @Setup
  public void setUp() {
    Synthetic s = new Synthetic(ROWS, k, 3);
    List<LabelDistribution> rows = new ArrayList<>(ROWS);
    double[] p = new double[k];
    for (int i = 0; i < ROWS; i++) {
      System.arraycopy(s.probabilities, i * k, p, 0, k);
      rows.add(LabelDistribution.ofProbabilities(s.labels, p));
    }
    data = LabelledSet.of(rows, s.gold);
  }

  /** Timed: temperatureFit. */
  @Benchmark
  public Calibrator temperatureFit() {
    return TemperatureScaling.fit(data);
  }

  /** Timed: vectorScalingFit. */
  @Benchmark
  public Calibrator vectorScalingFit() {
    return VectorScaling.fit(data);
  }
}
