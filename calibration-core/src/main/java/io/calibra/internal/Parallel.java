package io.calibra.internal;

import java.util.stream.IntStream;

/**
 * Data-parallel loops over rows in fixed-size chunks. Results never depend on the number of
 * threads: chunk boundaries depend only on the row count, and reductions add chunk results in chunk
 * order. Small inputs (one chunk) run on the calling thread.
 */
public final class Parallel {
  /** Rows per chunk: large enough to amortise scheduling, small enough to balance two cores. */
  public static final int CHUNK_ROWS = 8192;

  private Parallel() {}

  /** Work on rows {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeTask {
    void run(int from, int to);
  }

  /** A partial result over rows {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeSum {
    double sum(int from, int to);
  }

  /** Adds partial results over rows {@code [from, to)} into {@code into}. */
  @FunctionalInterface
  public interface RangeSums {
    void sum(int from, int to, double[] into);
  }

  /**
   * Element-wise sums of {@code width} partial results over the chunks of {@code [0, rows)}, added
   * in chunk order.
   */
  public static double[] sums(int rows, int width, RangeSums part) {
    int chunks = chunks(rows);
    if (chunks <= 1) {
      double[] out = new double[width];
      part.sum(0, rows, out);
      return out;
    }
    double[][] partials = new double[chunks][width];
    IntStream.range(0, chunks)
        .parallel()
        .forEach(c -> part.sum(c * CHUNK_ROWS, Math.min(rows, (c + 1) * CHUNK_ROWS), partials[c]));
    double[] total = new double[width];
    for (double[] p : partials) {
      for (int j = 0; j < width; j++) {
        total[j] += p[j];
      }
    }
    return total;
  }

  /** Runs {@code task} over {@code [0, rows)} in chunks, in parallel when there are several. */
  public static void forEachChunk(int rows, RangeTask task) {
    int chunks = chunks(rows);
    if (chunks <= 1) {
      task.run(0, rows);
      return;
    }
    IntStream.range(0, chunks)
        .parallel()
        .forEach(c -> task.run(c * CHUNK_ROWS, Math.min(rows, (c + 1) * CHUNK_ROWS)));
  }

  /**
   * The sum of {@code part} over the chunks of {@code [0, rows)}, added in chunk order (so the
   * result is the same for any number of threads).
   */
  public static double sum(int rows, RangeSum part) {
    int chunks = chunks(rows);
    if (chunks <= 1) {
      return part.sum(0, rows);
    }
    double[] partials = new double[chunks];
    IntStream.range(0, chunks)
        .parallel()
        .forEach(c -> partials[c] = part.sum(c * CHUNK_ROWS, Math.min(rows, (c + 1) * CHUNK_ROWS)));
    double total = 0;
    for (double p : partials) {
      total += p;
    }
    return total;
  }

  /** The number of chunks of {@code rows}. */
  public static int chunks(int rows) {
    return (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
  }
}
