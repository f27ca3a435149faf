package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelledSet;

/** A labelled set as flat, floored log-probabilities (n rows of K) and gold indices. */
final class FitData {
  final int n;
  final int k;
  final double[] z;
  final int[] gold;

  private FitData(int n, int k, double[] z, int[] gold) {
    this.n = n;
    this.k = k;
    this.z = z;
    this.gold = gold;
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
    return new FitData(n, k, z, data.goldArray());
  }

  /** Mean NLL of softmax(z / t), computed exactly (no clipping); parallel over row chunks. */
  double temperatureNll(double t) {
    double inv = 1.0 / t;
    return io.calibra.internal.Parallel.sum(
            n,
            (from, to) -> {
              double[] row = new double[k];
              double total = 0;
              for (int i = from; i < to; i++) {
                for (int j = 0; j < k; j++) {
                  row[j] = z[i * k + j] * inv;
                }
                total += Probabilities.logSumExp(row, 0, k) - row[gold[i]];
              }
              return total;
            })
        / n;
  }

  /**
   * The first and second derivatives of the mean NLL of softmax(beta * z) with respect to beta: the
   * mean over rows of {@code E_q[z] - z_gold} and of {@code Var_q[z]}, with q = softmax(beta * z).
   */
  double[] inverseTemperatureDerivatives(double beta) {
    double[] sums =
        io.calibra.internal.Parallel.sums(
            n, 2, (from, to, into) -> derivatives(beta, from, to, into));
    return new double[] {sums[0] / n, sums[1] / n};
  }

  private void derivatives(double beta, int from, int to, double[] into) {
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
