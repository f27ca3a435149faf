package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.Serializable;

/**
 * Labelled rows kept elsewhere (the partitions of a Spark Dataset, the shards of a file) that a fit
 * reaches only through sums: {@link TemperatureScaling#fit(PartitionedRows)} and {@link
 * VectorScaling#fitWithDiagnostics(PartitionedRows, double)} run the same optimiser as on a {@link
 * io.calibra.label.LabelledSet}, asking for the sums of its objective, gradient and Hessian over
 * the rows, so their result equals the in-memory fit up to the order in which the sums are added.
 *
 * <p>Each part stores its rows as {@link #logRow floored log-probabilities}, K per row, with their
 * gold indices, and answers {@link #sum} by running the kernel over every part and adding the
 * parts' results. Implementations must be thread-safe if fits run concurrently.
 */
public interface PartitionedRows {
  /** The label set. */
  LabelSet labels();

  /**
   * Runs {@code kernel} over every part's rows and returns the element-wise sum of the parts'
   * {@code into} arrays (each starting at zeros, {@link Kernel#width()} long).
   */
  double[] sum(Kernel kernel);

  /**
   * Writes a row's log-probabilities, each floored at -745 (zero probabilities included), as every
   * fit floors them: the form every part stores, into {@code out} at {@code offset}.
   */
  static void logRow(LabelDistribution p, double[] out, int offset) {
    for (int j = 0; j < p.labels().size(); j++) {
      out[offset + j] = Probabilities.flooredLog(p.probability(j));
    }
  }

  /**
   * A sum over rows that a fit asks for: adds rows {@code [from, to)} of a part ({@code z}
   * row-major, K values a row; {@code gold} their gold indices) into {@code into}. Serialisable, so
   * that it travels to where the rows are.
   */
  interface Kernel extends Serializable {
    /** The length of {@code into}. */
    int width();

    /** Adds rows {@code [from, to)}. */
    void add(double[] z, int[] gold, int k, int from, int to, double[] into);
  }
}
