package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.internal.Parallel;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The row limit of partitioned fits and how {@link FitData#sum} splits the rows: narrow sums in
 * chunks of {@link Parallel#CHUNK_ROWS} rows, sums wider than {@link FitData#WIDE} in one pass.
 * Expected values are hand computed.
 */
class FitDataTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /** A source that claims gold counts without holding rows: only the count kernel is asked. */
  private record ClaimedCounts(double a, double b) implements PartitionedRows {
    @Override
    public LabelSet labels() {
      return AB;
    }

    @Override
    public double[] sum(Kernel kernel) {
      return new double[] {a, b};
    }
  }

  @Test
  void aPartitionedSourceOfExactlyIntMaxRowsIsAccepted() {
    FitData data = FitData.of(new ClaimedCounts(Integer.MAX_VALUE - 1.0, 1), "temperature scaling");
    assertThat(data.n).isEqualTo(Integer.MAX_VALUE);
    assertThat(data.k).isEqualTo(2);
    assertThatThrownBy(() -> FitData.of(new ClaimedCounts(Integer.MAX_VALUE, 1), "temperature"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature fits on at most 2147483647 rows; found 2147483648");
  }

  /** Records the row ranges it is asked for. */
  private static final class RecordedRanges implements PartitionedRows.Kernel {
    private final int width;
    private final ConcurrentLinkedQueue<int[]> ranges = new ConcurrentLinkedQueue<>();

    RecordedRanges(int width) {
      this.width = width;
    }

    @Override
    public int width() {
      return width;
    }

    @Override
    public void add(double[] z, int[] gold, int k, int from, int to, double[] into) {
      ranges.add(new int[] {from, to});
      into[0] += to - from;
    }
  }

  @Test
  void narrowSumsRunInChunksAndWideSumsInOnePass() {
    int n = Parallel.CHUNK_ROWS + 5;
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      rows.add(LabelDistribution.ofProbabilities(AB, 0.25, 0.75));
      gold[i] = i % 2;
    }
    FitData data = FitData.of(LabelledSet.of(rows, gold), "test");

    RecordedRanges atLimit = new RecordedRanges(FitData.WIDE);
    assertThat(data.sum(atLimit)[0]).isEqualTo(n);
    assertThat(atLimit.ranges)
        .extracting(r -> r[0] + ".." + r[1])
        .containsExactlyInAnyOrder("0.." + Parallel.CHUNK_ROWS, Parallel.CHUNK_ROWS + ".." + n);

    RecordedRanges wide = new RecordedRanges(FitData.WIDE + 1);
    assertThat(data.sum(wide)[0]).isEqualTo(n);
    assertThat(wide.ranges).extracting(r -> r[0] + ".." + r[1]).containsExactly("0.." + n);
  }
}
