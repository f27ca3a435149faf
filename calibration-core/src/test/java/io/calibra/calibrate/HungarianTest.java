package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Hungarian method on known assignment problems and against brute force. */
class HungarianTest {
  @Test
  void solvesTheTextbookProblems() {
    // Hand computed: the six assignments (columns of rows 0, 1, 2) cost (0,1,2) 18, (0,2,1) 15,
    // (1,0,2) 17, (1,2,0) 16, (2,0,1) 16, (2,1,0) 18.
    double[][] three = {{8, 4, 7}, {5, 2, 3}, {9, 4, 8}};
    assertThat(Hungarian.minimise(three)).containsExactly(0, 2, 1);
    // A 4 x 4 tutorial example; its optimum, 140, checked by enumerating all 24 permutations.
    double[][] four = {
      {82, 83, 69, 92},
      {77, 37, 49, 92},
      {11, 69, 5, 86},
      {8, 9, 98, 23}
    };
    // optimum 140: row 0 -> 2 (69), row 1 -> 1 (37), row 2 -> 0 (11), row 3 -> 3 (23)
    assertThat(Hungarian.minimise(four)).containsExactly(2, 1, 0, 3);
    assertThat(Hungarian.minimise(new double[][] {{5}})).containsExactly(0);
    // negative costs (maximising a sum of log-probabilities): -1 - 5 = -6 beats -3 - 2 = -5
    assertThat(Hungarian.minimise(new double[][] {{-1, -3}, {-2, -5}})).containsExactly(0, 1);
    assertThat(Hungarian.minimise(new double[][] {{-1, -3}, {-4, -5}})).containsExactly(1, 0);
  }

  /**
   * When every assignment costs the same, rows keep their own columns, as scipy's
   * linear_sum_assignment returns for np.zeros((n, n)) (checked for n = 2, 3, 4): prototypical
   * calibration then keeps indistinguishable components in EM order.
   */
  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 6})
  void aConstantMatrixGivesTheIdentity(int n) {
    for (double value : new double[] {0.0, -2.5}) {
      double[][] cost = new double[n][n];
      for (double[] row : cost) {
        java.util.Arrays.fill(row, value);
      }
      int[] identity = java.util.stream.IntStream.range(0, n).toArray();
      assertThat(Hungarian.minimise(cost)).as("all %s", value).containsExactly(identity);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void findsTheBruteForceOptimum(int n) {
    Random random = new Random(31L * n);
    for (int trial = 0; trial < 40; trial++) {
      double[][] cost = new double[n][n];
      for (double[] row : cost) {
        for (int j = 0; j < n; j++) {
          // few distinct values, so ties are frequent
          row[j] = trial % 2 == 0 ? random.nextInt(4) : random.nextGaussian() * 100;
        }
      }
      int[] a = Hungarian.minimise(cost);
      boolean[] used = new boolean[n];
      for (int c : a) {
        assertThat(used[c]).as("column %d used twice", c).isFalse();
        used[c] = true;
      }
      assertThat(total(cost, a)).isEqualTo(bruteForce(cost, new int[n], new boolean[n], 0));
    }
  }

  @Test
  void rejectsBadMatrices() {
    assertThatThrownBy(() -> Hungarian.minimise(new double[0][0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("assignment cost matrix is empty; expected n x n, n >= 1");
    assertThatThrownBy(() -> Hungarian.minimise(new double[][] {{1, 2}, {3}}))
        .hasMessage("assignment cost row 1 has 1 entries; expected 2");
    assertThatThrownBy(() -> Hungarian.minimise(new double[][] {{1, Double.NaN}, {3, 4}}))
        .hasMessage("assignment cost [0][1] is NaN; expected finite");
  }

  private static double total(double[][] cost, int[] a) {
    double s = 0;
    for (int r = 0; r < a.length; r++) {
      s += cost[r][a[r]];
    }
    return s;
  }

  private static double bruteForce(double[][] cost, int[] a, boolean[] used, int row) {
    if (row == a.length) {
      return total(cost, a);
    }
    double best = Double.POSITIVE_INFINITY;
    for (int c = 0; c < a.length; c++) {
      if (!used[c]) {
        used[c] = true;
        a[row] = c;
        best = Math.min(best, bruteForce(cost, a, used, row + 1));
        used[c] = false;
      }
    }
    return best;
  }
}
