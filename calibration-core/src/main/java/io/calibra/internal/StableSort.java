package io.calibra.internal;

/**
 * Orders rows by a non-negative double key, ties in row order, with an LSD radix sort on the keys'
 * bits (for non-negative doubles, the bit patterns order like the values). Linear time, no boxing.
 */
public final class StableSort {
  private StableSort() {}

  /**
   * The row indices {@code 0..n-1} ordered by ascending {@code keys[i]}, ties keeping index order.
   *
   * @throws IllegalArgumentException if a key is negative or NaN
   */
  public static int[] ascending(double[] keys, int n) {
    long[] bits = new long[n];
    for (int i = 0; i < n; i++) {
      double k = keys[i];
      if (!(k >= 0)) {
        throw new IllegalArgumentException(
            "sort key " + i + " is " + k + "; expected a value >= 0");
      }
      bits[i] = Double.doubleToLongBits(k + 0.0); // +0.0 turns -0.0 into 0.0
    }
    int[] order = new int[n];
    int[] scratch = new int[n];
    long[] keyScratch = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] count = new int[1 << 16];
    for (int shift = 0; shift < 64; shift += 16) {
      java.util.Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) ((bits[i] >>> shift) & 0xFFFF)]++;
      }
      if (count[(int) ((bits[0] >>> shift) & 0xFFFF)] == n) {
        continue; // every key has this digit: the pass would not move anything
      }
      int sum = 0;
      for (int d = 0; d < count.length; d++) {
        int c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        int d = (int) ((bits[i] >>> shift) & 0xFFFF);
        int to = count[d]++;
        scratch[to] = order[i];
        keyScratch[to] = bits[i];
      }
      int[] t = order;
      order = scratch;
      scratch = t;
      long[] tk = bits;
      bits = keyScratch;
      keyScratch = tk;
    }
    return order;
  }
}
