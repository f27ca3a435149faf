package io.calibra.calibrate;

/**
 * The Hungarian method (Kuhn 1955, Munkres 1957) for the square assignment problem, in the O(n^3)
 * shortest-augmenting-path form with row and column potentials (Jonker and Volgenant's
 * formulation): Commons Math has no assignment solver. A constant matrix (every assignment of the
 * same cost) gives the identity (scipy's linear_sum_assignment too, for n = 2, 3, 4, 6).
 */
final class Hungarian {
  private Hungarian() {}

  /**
   * The assignment of rows to columns with the least total cost: {@code result[r]} is row r's
   * column, each column used once.
   *
   * @throws IllegalArgumentException if {@code cost} is empty, not square, or has a non-finite
   *     entry
   */
  static int[] minimise(double[][] cost) {
    int n = cost.length;
    if (n == 0) {
      throw new IllegalArgumentException("assignment cost matrix is empty; expected n x n, n >= 1");
    }
    for (int r = 0; r < n; r++) {
      if (cost[r].length != n) {
        throw new IllegalArgumentException(
            "assignment cost row " + r + " has " + cost[r].length + " entries; expected " + n);
      }
      for (int c = 0; c < n; c++) {
        if (!Double.isFinite(cost[r][c])) {
          throw new IllegalArgumentException(
              "assignment cost [" + r + "][" + c + "] is " + cost[r][c] + "; expected finite");
        }
      }
    }
    // 1-based arrays; column 0 is a sentinel holding the row being inserted.
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] rowOfColumn = new int[n + 1];
    int[] way = new int[n + 1];
    for (int row = 1; row <= n; row++) {
      rowOfColumn[0] = row;
      int col0 = 0;
      double[] minv = new double[n + 1];
      boolean[] used = new boolean[n + 1];
      java.util.Arrays.fill(minv, Double.POSITIVE_INFINITY);
      do {
        used[col0] = true;
        int r0 = rowOfColumn[col0];
        double delta = Double.POSITIVE_INFINITY;
        int col1 = -1;
        for (int c = 1; c <= n; c++) {
          if (!used[c]) {
            double reduced = cost[r0 - 1][c - 1] - u[r0] - v[c];
            if (reduced < minv[c]) {
              minv[c] = reduced;
              way[c] = col0;
            }
            if (minv[c] < delta) {
              delta = minv[c];
              col1 = c;
            }
          }
        }
        for (int c = 0; c <= n; c++) {
          if (used[c]) {
            u[rowOfColumn[c]] += delta;
            v[c] -= delta;
          } else {
            minv[c] -= delta;
          }
        }
        col0 = col1;
      } while (rowOfColumn[col0] != 0);
      do {
        int col1 = way[col0];
        rowOfColumn[col0] = rowOfColumn[col1];
        col0 = col1;
      } while (col0 != 0);
    }
    int[] columnOfRow = new int[n];
    for (int c = 1; c <= n; c++) {
      columnOfRow[rowOfColumn[c] - 1] = c - 1;
    }
    return columnOfRow;
  }
}
