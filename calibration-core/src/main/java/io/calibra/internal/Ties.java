package io.calibra.internal;

/**
 * The one rule of calibra for rows tied in a sort key (a confidence or a class probability) when
 * sorted rows are cut into equal-mass groups (equal-mass ECE, ACE) or summed cumulatively (KS): the
 * rows of a tie group are interchangeable, so each counts with the group's mean outcome. A group
 * cut that falls inside a tie then receives, for each of its places in the tie, the tie's key and
 * the tie's mean outcome: the expected sums over every order of the tied rows. The result does not
 * depend on the order the rows came in, keeps every group's size ({@code numpy.array_split}'s), and
 * is unchanged on rows without ties. Stateless and thread-safe.
 */
public final class Ties {
  private Ties() {}

  /**
   * The outcomes in sorted order with each tie group's outcomes replaced by their mean: {@code
   * out[i]} is the mean of {@code outcome[order[j]]} over the positions {@code j} whose key equals
   * {@code keys[order[i]]}.
   *
   * @param keys the sort keys, indexed by row
   * @param order the row indices in ascending key order ({@link StableSort#ascending})
   * @param outcome the outcomes, indexed by row
   * @return the averaged outcomes, indexed by sorted position
   */
  public static double[] meanOutcomes(double[] keys, int[] order, double[] outcome) {
    int n = order.length;
    double[] out = new double[n];
    int start = 0;
    while (start < n) {
      int end = tieEnd(keys, order, start);
      double sum = 0;
      for (int j = start; j < end; j++) {
        sum += outcome[order[j]];
      }
      double mean = sum / (end - start);
      for (int j = start; j < end; j++) {
        out[j] = mean;
      }
      start = end;
    }
    return out;
  }

  /**
   * The end (exclusive) of the tie group that starts at sorted position {@code start}: the first
   * position after it whose key differs ({@code -0.0} equals {@code 0.0}).
   */
  public static int tieEnd(double[] keys, int[] order, int start) {
    double key = keys[order[start]];
    int end = start + 1;
    while (end < order.length && keys[order[end]] == key) {
      end++;
    }
    return end;
  }
}
