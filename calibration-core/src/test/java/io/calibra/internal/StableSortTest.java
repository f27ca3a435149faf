package io.calibra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link StableSort}'s radix order against a stable comparison sort, and its key checks. */
class StableSortTest {
  static IntStream seeds() {
    return IntStream.range(0, 100);
  }

  /**
   * The radix order equals a stable comparison sort's (boxed, the obvious reference), ties
   * included.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void stableSortMatchesAStableComparisonSort(int seed) {
    Random random = new Random(seed);
    int n = random.nextInt(3000);
    double[] keys = new double[n];
    for (int i = 0; i < n; i++) {
      keys[i] =
          seed % 2 == 0
              ? random.nextInt(5) / 4.0
              : random.nextDouble() * Math.pow(10, -random.nextInt(300));
    }
    if (n > 0 && seed % 5 == 0) {
      keys[0] = -0.0;
    }
    Integer[] expected = new Integer[n];
    for (int i = 0; i < n; i++) {
      expected[i] = i;
    }
    Arrays.sort(expected, Comparator.comparingDouble(i -> keys[i] + 0.0));
    assertThat(StableSort.ascending(keys, n))
        .containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
  }

  @Test
  void stableSortRejectsNegativeAndNaNKeys() {
    assertThatThrownBy(() -> StableSort.ascending(new double[] {0.5, Double.NaN}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sort key 1 is NaN");
    assertThatThrownBy(() -> StableSort.ascending(new double[] {-1}, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
