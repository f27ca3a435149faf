package io.calibra.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The equal-mass ECE of a stream too large to keep, computed exactly in three passes over the same
 * rows in the same order (for example three reads of a file), in memory that does not grow with the
 * number of rows: a 2^20-bucket histogram of confidences (4 MiB), then the distinct confidences of
 * the few buckets where groups meet, then one counter set per group.
 *
 * <p>The groups are those of {@link EqualMassEce}: rows sorted stably by confidence (ties in row
 * order), split as {@code numpy.array_split} splits. Memory grows only with the number of distinct
 * confidences that fall in a boundary bucket (about 1e-6 wide), which is small unless almost every
 * row's confidence lies within 1e-6 of a group boundary with a different value.
 *
 * <p>Use: {@link #count} every row, {@link #endCountPass()}; {@link #observe} every row, {@link
 * #endObservePass()}; {@link #assign} every row in the original order; then {@link #ece()}. Not
 * thread-safe.
 */
public final class StreamingEqualMassEce {
  private static final int BUCKETS = 1 << 20;

  private enum Phase {
    COUNT,
    OBSERVE,
    ASSIGN
  }

  private final int bins;
  private Phase phase = Phase.COUNT;
  private int[] histogram = new int[BUCKETS];
  private long rows;
  private long[] groupStart; // rank of each group's first row, groups 0..bins-1
  private final Map<Integer, TreeMap<Double, Long>> boundaryValues = new HashMap<>();
  private double[] cutValue; // per boundary g (1..bins-1): the confidence of the group's first row
  private long[] cutTies; // rows with conf == cutValue that belong below the cut
  private final Map<Double, Long> tiesSeen = new HashMap<>();
  private long[] groupCount;
  private double[] groupConfidence;
  private double[] groupCorrect;
  private long assigned;

  /**
   * A new three-pass computation with {@code bins} groups.
   *
   * @throws IllegalArgumentException unless {@code bins >= 1}
   */
  public StreamingEqualMassEce(int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins is " + bins + "; expected at least 1");
    }
    this.bins = bins;
  }

  private static int bucket(double confidence) {
    return Math.min(BUCKETS - 1, (int) (confidence * BUCKETS));
  }

  private static void check(double confidence) {
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException(
          "confidence is " + confidence + "; expected a value in [0, 1]");
    }
  }

  private void require(Phase expected) {
    if (phase != expected) {
      throw new IllegalStateException(
          "called in the " + phase + " pass; expected the " + expected + " pass");
    }
  }

  /** Pass 1: counts a row's confidence. */
  public void count(double confidence) {
    require(Phase.COUNT);
    check(confidence);
    histogram[bucket(confidence)]++;
    rows++;
  }

  /** Ends pass 1: places the group boundaries in buckets. */
  public void endCountPass() {
    require(Phase.COUNT);
    if (rows == 0) {
      throw new IllegalStateException("no rows were counted; a metric needs at least one");
    }
    groupStart = new long[bins];
    long base = rows / bins;
    long larger = rows % bins;
    long start = 0;
    for (int g = 0; g < bins; g++) {
      groupStart[g] = start;
      start += base + (g < larger ? 1 : 0);
    }
    for (int g = 1; g < bins; g++) {
      if (groupStart[g] < rows && groupStart[g] > groupStart[g - 1]) {
        boundaryValues.putIfAbsent(bucketOfRank(groupStart[g]), new TreeMap<>());
      }
    }
    phase = Phase.OBSERVE;
  }

  private int bucketOfRank(long rank) {
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += histogram[b];
      if (seen > rank) {
        return b;
      }
    }
    throw new IllegalStateException("rank " + rank + " beyond " + rows + " rows");
  }

  /** Pass 2: notes a row's confidence if it falls in a bucket where groups meet. */
  public void observe(double confidence) {
    require(Phase.OBSERVE);
    check(confidence);
    TreeMap<Double, Long> values = boundaryValues.get(bucket(confidence));
    if (values != null) {
      values.merge(confidence + 0.0, 1L, Long::sum);
    }
  }

  /** Ends pass 2: finds each boundary's exact confidence and how many of its ties fall below. */
  public void endObservePass() {
    require(Phase.OBSERVE);
    cutValue = new double[bins];
    cutTies = new long[bins];
    for (int g = 1; g < bins; g++) {
      long rank = groupStart[g];
      if (rank >= rows || rank == groupStart[g - 1]) {
        cutValue[g] = Double.POSITIVE_INFINITY; // an empty group: nothing is at or above this cut
        continue;
      }
      int b = bucketOfRank(rank);
      long offset = rank - rowsBelowBucket(b);
      long seen = 0;
      for (Map.Entry<Double, Long> e : boundaryValues.get(b).entrySet()) {
        if (seen + e.getValue() > offset) {
          cutValue[g] = e.getKey();
          cutTies[g] = offset - seen;
          break;
        }
        seen += e.getValue();
      }
    }
    histogram = null;
    boundaryValues.clear();
    groupCount = new long[bins];
    groupConfidence = new double[bins];
    groupCorrect = new double[bins];
    phase = Phase.ASSIGN;
  }

  private long rowsBelowBucket(int b) {
    long seen = 0;
    for (int i = 0; i < b; i++) {
      seen += histogram[i];
    }
    return seen;
  }

  /** Pass 3: adds a row, in the same order as in the first two passes. */
  public void assign(double confidence, boolean correct) {
    require(Phase.ASSIGN);
    check(confidence);
    double c = confidence + 0.0;
    long tieIndex = -1;
    int group = 0;
    for (int g = 1; g < bins; g++) {
      if (c > cutValue[g]) {
        group = g;
      } else if (c == cutValue[g]) {
        if (tieIndex < 0) {
          tieIndex = tiesSeen.merge(c, 1L, Long::sum) - 1;
        }
        if (tieIndex >= cutTies[g]) {
          group = g;
        }
      }
    }
    groupCount[group]++;
    groupConfidence[group] += c;
    groupCorrect[group] += correct ? 1 : 0;
    assigned++;
  }

  /**
   * The equal-mass ECE.
   *
   * @throws IllegalStateException if pass 3 has not seen exactly as many rows as pass 1
   */
  public double ece() {
    require(Phase.ASSIGN);
    if (assigned != rows) {
      throw new IllegalStateException(
          "pass 3 saw "
              + assigned
              + " rows but pass 1 counted "
              + rows
              + "; the passes must read the same rows");
    }
    double sum = 0;
    for (int g = 0; g < bins; g++) {
      if (groupCount[g] > 0) {
        sum +=
            groupCount[g]
                * Math.abs(groupCorrect[g] / groupCount[g] - groupConfidence[g] / groupCount[g]);
      }
    }
    return sum / rows;
  }
}
