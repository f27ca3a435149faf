package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelledSet;

/**
 * A labelled set as flat, floored log-probabilities (n rows of K) and gold indices, in memory or in
 * {@link PartitionedRows} (then {@code z} and {@code gold} are null and every sum goes through
 * {@link #sum}).
 */
final class FitData {
  final int n;
  final int k;
  final double[] z;
  final int[] gold;
  private final PartitionedRows parts;

  /** Sums wider than this run in one pass (see {@link #sum}). */
  static final int WIDE = 4096;

  private FitData(int n, int k, double[] z, int[] gold, PartitionedRows parts) {
    this.n = n;
    this.k = k;
    this.z = z;
    this.gold = gold;
    this.parts = parts;
  }

  /**
   * The rows of {@code parts}, checked as {@link LabelledSet#requireFittable} checks a set.
   *
   * @throws IllegalArgumentException on fewer than 2 rows or a single gold class
   */
  static FitData of(PartitionedRows parts, String method) {
    int k = parts.labels().size();
    double[] counts = parts.sum(new GoldCounts(k));
    long rows = 0;
    int classes = 0;
    int only = 0;
    for (int c = 0; c < k; c++) {
      rows += (long) counts[c];
      if (counts[c] > 0) {
        classes++;
        only = c;
      }
    }
    if (rows < 2) {
      throw new IllegalArgumentException(
          method + " needs at least 2 labelled rows to fit; found " + rows);
    }
    if (rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          method + " fits on at most " + Integer.MAX_VALUE + " rows; found " + rows);
    }
    if (classes < 2) {
      throw new IllegalArgumentException(
          method
              + " needs rows of at least 2 gold classes to fit; found only '"
              + parts.labels().name(only)
              + "' in "
              + rows
              + " rows");
    }
    return new FitData((int) rows, k, null, null, parts);
  }

  /**
   * The sum of {@code kernel} over every row: in parallel chunks added in a fixed order, or in one
   * pass for wide sums (a large Hessian), whose per-chunk copies would cost more than they save.
   */
  double[] sum(PartitionedRows.Kernel kernel) {
    if (parts != null) {
      return parts.sum(kernel);
    }
    if (kernel.width() > WIDE) {
      double[] into = new double[kernel.width()];
      kernel.add(z, gold, k, 0, n, into);
      return into;
    }
    return io.calibra.internal.Parallel.sums(
        n, kernel.width(), (from, to, into) -> kernel.add(z, gold, k, from, to, into));
  }

  private record GoldCounts(int labels) implements PartitionedRows.Kernel {
    @Override
    public int width() {
      return labels;
    }

    @Override
    public void add(double[] z, int[] gold, int k, int from, int to, double[] into) {
      for (int r = from; r < to; r++) {
        into[gold[r]]++;
      }
    }
  }

  static FitData of(LabelledSet data, String method) {
    data.requireFittable(method);
    int n = data.size();
    int k = data.labels().size();
    double[] z = new double[n * k];
    for (int i = 0; i < n; i++) {
      var d = data.distribution(i);
      for (int j = 0; j < k; j++) {
        z[i * k + j] = Probabilities.flooredLog(d.probability(j));
      }
    }
    return new FitData(n, k, z, data.goldArray(), null);
  }

  /** Mean NLL of softmax(z / t), computed exactly (no clipping); parallel over row chunks. */
  double temperatureNll(double t) {
    return sum(new TemperatureNll(1.0 / t))[0] / n;
  }

  private record TemperatureNll(double inv) implements PartitionedRows.Kernel {
    @Override
    public int width() {
      return 1;
    }

    @Override
    public void add(double[] z, int[] gold, int k, int from, int to, double[] into) {
      double[] row = new double[k];
      double total = 0;
      for (int i = from; i < to; i++) {
        for (int j = 0; j < k; j++) {
          row[j] = z[i * k + j] * inv;
        }
        total += Probabilities.logSumExp(row, 0, k) - row[gold[i]];
      }
      into[0] += total;
    }
  }

  /**
   * The first and second derivatives of the mean NLL of softmax(beta * z) with respect to beta: the
   * mean over rows of {@code E_q[z] - z_gold} and of {@code Var_q[z]}, with q = softmax(beta * z).
   */
  double[] inverseTemperatureDerivatives(double beta) {
    double[] sums = sum(new InverseTemperatureDerivatives(beta));
    return new double[] {sums[0] / n, sums[1] / n};
  }

  private record InverseTemperatureDerivatives(double beta) implements PartitionedRows.Kernel {
    @Override
    public int width() {
      return 2;
    }

    @Override
    public void add(double[] z, int[] gold, int k, int from, int to, double[] into) {
      double[] q = new double[k];
      double first = 0;
      double second = 0;
      for (int i = from; i < to; i++) {
        int off = i * k;
        for (int j = 0; j < k; j++) {
          q[j] = beta * z[off + j];
        }
        Probabilities.softmaxInto(q, 0, k, q, 0);
        double mean = 0;
        for (int j = 0; j < k; j++) {
          mean += q[j] * z[off + j];
        }
        double variance = 0;
        for (int j = 0; j < k; j++) {
          double d = z[off + j] - mean;
          variance += q[j] * d * d;
        }
        first += mean - z[off + gold[i]];
        second += variance;
      }
      into[0] += first;
      into[1] += second;
    }
  }

  /**
   * What decides whether temperature scaling's fit exists: {rows whose gold log-probability is
   * strictly below another label's, sum over rows of (mean of the row's z) - z_gold}. The mean NLL
   * of softmax(beta z) is convex in beta = 1/T with slope {@code mean(E_q[z] - z_gold)}: at beta =
   * 0 (q uniform) that is the second sum over n, and as beta grows it tends to the mean of {@code
   * max z - z_gold} (ties with the gold label counted as the gold), which is positive exactly when
   * the first count is. A finite optimum with T > 0 exists iff the slope is negative at 0 and
   * positive at infinity.
   */
  double[] temperatureExistence() {
    return sum(new TemperatureExistence());
  }

  private record TemperatureExistence() implements PartitionedRows.Kernel {
    @Override
    public int width() {
      return 2;
    }

    @Override
    public void add(double[] z, int[] gold, int k, int from, int to, double[] into) {
      for (int i = from; i < to; i++) {
        int off = i * k;
        double g = z[off + gold[i]];
        double mean = 0;
        boolean below = false;
        for (int j = 0; j < k; j++) {
          mean += z[off + j];
          below |= z[off + j] > g;
        }
        if (below) {
          into[0]++;
        }
        into[1] += mean / k - g;
      }
    }
  }
}
