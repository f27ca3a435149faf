package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The three-pass streaming equal-mass ECE equals the in-memory one, ties included. */
class StreamingEqualMassEceTest {

  static IntStream seeds() {
    return IntStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void equalsTheInMemoryComputation(int seed) {
    Random random = new Random(seed);
    int n = 1 + random.nextInt(seed % 3 == 0 ? 20 : 600);
    int bins = 1 + random.nextInt(20);
    double[] conf = new double[n];
    boolean[] correct = new boolean[n];
    double[] tiePool = {0.5, 0.5 + 1e-9, 0.75, 1.0, 1.0};
    for (int i = 0; i < n; i++) {
      // a third of the seeds draw from a few values only: heavy ties across group boundaries
      conf[i] =
          seed % 3 == 1 ? tiePool[random.nextInt(tiePool.length)] : 0.5 + 0.5 * random.nextDouble();
      correct[i] = random.nextDouble() < conf[i];
    }
    EqualMassEce memory = new EqualMassEce(bins);
    StreamingEqualMassEce streaming = new StreamingEqualMassEce(bins);
    for (int i = 0; i < n; i++) {
      memory.add(conf[i], correct[i]);
      streaming.count(conf[i]);
    }
    streaming.endCountPass();
    for (int i = 0; i < n; i++) {
      streaming.observe(conf[i]);
    }
    streaming.endObservePass();
    for (int i = 0; i < n; i++) {
      streaming.assign(conf[i], correct[i]);
    }
    assertThat(streaming.ece()).isCloseTo(memory.ece(), within(1e-12));
  }

  @Test
  void passesMustBeCalledInOrderOverTheSameRows() {
    StreamingEqualMassEce s = new StreamingEqualMassEce(3);
    assertThatThrownBy(() -> s.observe(0.5)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(s::endCountPass)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no rows");
    s.count(0.5);
    s.count(0.9);
    s.endCountPass();
    s.observe(0.5);
    s.observe(0.9);
    s.endObservePass();
    s.assign(0.5, true);
    assertThatThrownBy(s::ece)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pass 3 saw 1 rows");
    assertThatThrownBy(() -> s.assign(Double.NaN, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
