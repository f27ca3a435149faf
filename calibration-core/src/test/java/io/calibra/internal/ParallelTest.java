package io.calibra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Parallel}'s chunked sums: deterministic and covering every row once. */
class ParallelTest {
  /** Chunked sums are added in chunk order: the same bits on every run, whatever the threads. */
  @Test
  void parallelSumsAreDeterministicAndComplete() {
    int rows = 5 * Parallel.CHUNK_ROWS + 17;
    double[] values = new Random(1).doubles(rows).toArray();
    double first =
        Parallel.sum(
            rows,
            (from, to) -> {
              double s = 0;
              for (int i = from; i < to; i++) {
                s += values[i];
              }
              return s;
            });
    for (int round = 0; round < 20; round++) {
      double again =
          Parallel.sum(
              rows,
              (from, to) -> {
                double s = 0;
                for (int i = from; i < to; i++) {
                  s += values[i];
                }
                return s;
              });
      assertThat(again).isEqualTo(first);
    }
    int[] seen = new int[rows];
    Parallel.forEachChunk(
        rows,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            seen[i]++;
          }
        });
    assertThat(seen).containsOnly(1);
    double[] both =
        Parallel.sums(
            rows,
            2,
            (from, to, into) -> {
              into[0] += to - from;
              into[1] += 1;
            });
    assertThat(both).containsExactly(rows, Parallel.chunks(rows));
  }
}
