package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;

/**
 * Shared parts of the classwise calibrators (isotonic, histogram binning, scaling-binning): the row
 * normalisation, the per-label arrays a file saves flattened, and the checks of both.
 */
final class Classwise {
  private Classwise() {}

  /**
   * Divides the K values at {@code offset} by their sum; a row whose sum is 0 (every value 0)
   * becomes uniform, 1/K each. The values must be finite and non-negative.
   */
  static void normalise(double[] v, int offset, int k) {
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += v[offset + i];
    }
    if (sum > 0) {
      for (int i = 0; i < k; i++) {
        v[offset + i] = v[offset + i] / sum;
      }
    } else {
      for (int i = 0; i < k; i++) {
        v[offset + i] = 1.0 / k;
      }
    }
  }

  /** Column {@code label} of the rows of {@code data}: the probabilities p_label. */
  static double[] column(LabelledSet data, int label) {
    double[] x = new double[data.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.distribution(i).probability(label);
    }
    return x;
  }

  /** The lengths of the per-label arrays, as doubles (a file's {@code counts}). */
  static double[] counts(double[][] perLabel) {
    double[] c = new double[perLabel.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = perLabel[i].length;
    }
    return c;
  }

  /** The per-label arrays one after another. */
  static double[] concat(double[][] perLabel) {
    int n = 0;
    for (double[] a : perLabel) {
      n += a.length;
    }
    double[] out = new double[n];
    int at = 0;
    for (double[] a : perLabel) {
      System.arraycopy(a, 0, out, at, a.length);
      at += a.length;
    }
    return out;
  }

  /**
   * Splits {@code flat} into one array per label of the lengths {@code counts} (a file's {@code
   * counts}: K positive integers summing to its length).
   *
   * @throws IllegalArgumentException naming the method and the bad count or length
   */
  static double[][] split(
      LabelSet labels, double[] counts, double[] flat, String method, String what) {
    int k = labels.size();
    if (counts.length != k) {
      throw new IllegalArgumentException(
          method + " has " + counts.length + " counts; expected " + k + ", one per label");
    }
    long total = 0;
    for (int i = 0; i < k; i++) {
      double c = counts[i];
      if (!(c >= 1 && c <= Integer.MAX_VALUE && c == Math.rint(c))) {
        throw new IllegalArgumentException(
            method
                + " count for label '"
                + labels.name(i)
                + "' is "
                + c
                + "; expected a whole number >= 1");
      }
      total += (long) c;
    }
    if (total != flat.length) {
      throw new IllegalArgumentException(
          method
              + " has "
              + flat.length
              + " "
              + what
              + "; expected "
              + total
              + ", the sum of the counts");
    }
    double[][] out = new double[k][];
    int at = 0;
    for (int i = 0; i < k; i++) {
      out[i] = java.util.Arrays.copyOfRange(flat, at, at + (int) counts[i]);
      at += (int) counts[i];
    }
    return out;
  }

  /** Deep copy. */
  static double[][] copy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }

  /**
   * Requires every value in [0, 1] (NaN fails), naming the method, label and index.
   *
   * @throws IllegalArgumentException on the first bad value
   */
  static void requireProbabilities(LabelSet labels, double[][] values, String method) {
    for (int i = 0; i < values.length; i++) {
      for (int j = 0; j < values[i].length; j++) {
        double v = values[i][j];
        if (!(v >= 0 && v <= 1)) {
          throw new IllegalArgumentException(
              method
                  + " value "
                  + j
                  + " of label '"
                  + labels.name(i)
                  + "' is "
                  + v
                  + "; expected a value in [0, 1]");
        }
      }
    }
  }

  /** Requires one array per label. */
  static void requireWidth(LabelSet labels, double[][] perLabel, String method, String what) {
    if (perLabel.length != labels.size()) {
      throw new IllegalArgumentException(
          method
              + " has "
              + what
              + " for "
              + perLabel.length
              + " labels; expected "
              + labels.size());
    }
  }
}
