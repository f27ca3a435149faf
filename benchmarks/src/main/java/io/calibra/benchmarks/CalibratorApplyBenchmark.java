package io.calibra.benchmarks;

import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.label.LabelDistribution;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows per second of a calibrator's allocation-free batch path ({@code applyBatch}) on 10,000 rows
 * of K labels. Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per row.
 */
@State(Scope.Thread)
/** Timed: the benchmark. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CalibratorApplyBenchmark {
  static final int ROWS = 10_000;

  /** Values JMH runs this benchmark with. */
  @Param({"2", "4", "14", "100"})
  public int k;

  /** Values JMH runs this benchmark with. */
  @Param({"contextual", "temperature", "vector"})
  public String method;

  private double[] in;
  private double[] out;
  private Calibrator calibrator;

  /** Builds the data and objects the benchmark uses, outside the timed code. */
  @Setup
  public void setUp() {
    Synthetic data = new Synthetic(ROWS, k, 1);
    in = data.probabilities;
    out = new double[in.length];
    double[] pcf = new double[k];
    Arrays.fill(pcf, 1.0 / k);
    pcf[0] += 0.5 / k;
    pcf[1] -= 0.5 / k;
    double[] w = new double[k];
    double[] b = new double[k];
    for (int j = 0; j < k; j++) {
      w[j] = 0.8 + 0.01 * j;
      b[j] = 0.1 * (j % 3);
    }
    calibrator =
        switch (method) {
          case "contextual" ->
              ContextualCalibration.fromBias(
                  LabelDistribution.normalise(data.labels, pcf),
                  ContextualCalibration.Form.DIAGONAL);
          case "temperature" -> TemperatureScaling.of(data.labels, 1.7);
          case "vector" -> VectorScaling.of(data.labels, w, b);
          default -> throw new IllegalArgumentException(method);
        };
  }

  /** Timed: applyBatch. */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public double[] applyBatch() {
    calibrator.applyBatch(in, out, ROWS);
    return out;
  }
}
