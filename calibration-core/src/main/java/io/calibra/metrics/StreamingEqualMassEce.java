package io.calibra.metrics;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The equal-mass ECE of a stream too large to keep, computed exactly in three passes over the same
 * rows in the same order (for example three reads of a file), in memory that does not grow with the
 * number of rows: a 2^20-bucket histogram of confidences (4 MiB), then the distinct confidences of
 * the few buckets where groups meet, then one counter set per group.
 *
 * <p>The groups are those of {@link EqualMassEce}: rows sorted by confidence, split as {@code
 * numpy.array_split} splits, rows tied in confidence counted with their tie's mean correctness
 * ({@link io.calibra.internal.Ties}), so the result does not depend on the rows' order. Pass 3 sums
 * the rows tied at a group boundary per tied value and shares them among the groups their ranks
 * fall in. Memory grows only with the number of distinct confidences that fall in a boundary bucket
 * (about 1e-6 wide), which is small unless almost every row's confidence lies within 1e-6 of a
 * group boundary with a different value.
 *
 * <p>Use: {@link #count} every row, {@link #endCountPass()}; {@link #observe} every row, {@link
 * #endObservePass()}; {@link #assign} every row; then {@link #ece()}. The three passes must read
 * the same rows, in any order. Not thread-safe.
 *
 * <p>Rows split into parts (file chunks, Spark partitions) are handled part by part, each part on
 * its own copy, with the same result as one stream of all rows: pass 1 on a fresh instance per
 * part, combined with {@link #mergeCounts}; pass 2 on {@link #partForObservePass()} copies, ended
 * by {@link #endObservePass(List)}; pass 3 on {@link #partForAssignPass(int)}, combined with {@link
 * #mergeAssigned}. Instances are {@link Serializable} so that parts can travel between machines.
 */
public final class StreamingEqualMassEce implements Serializable {
  private static final long serialVersionUID = 1L;
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
  private final Map<Double, Long> tieStart = new HashMap<>(); // per cut value: its first rank
  // pass 3, per cut value: {rows, correct rows}; these rows are shared among groups by ece()
  private final HashMap<Double, long[]> tied = new HashMap<>();
  private int observedParts = -1; // the number of parts given to endObservePass(List)
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

  /** Ends pass 2: finds each boundary's exact confidence and the first rank of its tie. */
  public void endObservePass() {
    require(Phase.OBSERVE);
    cutValue = new double[bins];
    for (int g = 1; g < bins; g++) {
      long rank = groupStart[g];
      if (rank >= rows || rank == groupStart[g - 1]) {
        cutValue[g] = Double.POSITIVE_INFINITY; // an empty group: nothing is at or above this cut
        continue;
      }
      int b = bucketOfRank(rank);
      long below = rowsBelowBucket(b);
      long offset = rank - below;
      long seen = 0;
      for (Map.Entry<Double, Long> e : boundaryValues.get(b).entrySet()) {
        if (seen + e.getValue() > offset) {
          cutValue[g] = e.getKey();
          tieStart.put(e.getKey(), below + seen);
          tied.put(e.getKey(), new long[2]);
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

  /** Pass 3: adds a row (the passes may read the rows in different orders). */
  public void assign(double confidence, boolean correct) {
    require(Phase.ASSIGN);
    check(confidence);
    double c = confidence + 0.0;
    assigned++;
    int group = 0;
    boolean atCut = false;
    for (int g = 1; g < bins; g++) {
      if (c > cutValue[g]) {
        group = g;
      } else if (c == cutValue[g]) {
        atCut = true;
      }
    }
    if (atCut) { // shared among the groups by ece(), by the tie's ranks
      long[] tie = tied.get(c);
      tie[0]++;
      tie[1] += correct ? 1 : 0;
      return;
    }
    groupCount[group]++;
    groupConfidence[group] += c;
    groupCorrect[group] += correct ? 1 : 0;
  }

  /**
   * Adds the counts of {@code part}, a fresh instance (same number of groups) that counted another
   * part of the rows in pass 1.
   *
   * @throws IllegalStateException unless both are in pass 1
   * @throws IllegalArgumentException if the numbers of groups differ
   */
  public void mergeCounts(StreamingEqualMassEce part) {
    require(Phase.COUNT);
    part.require(Phase.COUNT);
    requireSameBins(part);
    for (int b = 0; b < BUCKETS; b++) {
      histogram[b] += part.histogram[b];
    }
    rows += part.rows;
  }

  private void requireSameBins(StreamingEqualMassEce part) {
    if (part.bins != bins) {
      throw new IllegalArgumentException(
          "cannot combine equal-mass ECE parts with " + bins + " and " + part.bins + " groups");
    }
  }

  /**
   * A copy for pass 2 over one part of the rows: it notes the values that fall where groups meet,
   * without this instance's 4 MiB histogram. End pass 2 with {@link #endObservePass(List)}.
   *
   * @throws IllegalStateException unless pass 1 has ended
   */
  public StreamingEqualMassEce partForObservePass() {
    require(Phase.OBSERVE);
    StreamingEqualMassEce part = new StreamingEqualMassEce(bins);
    part.histogram = null;
    part.phase = Phase.OBSERVE;
    for (Integer b : boundaryValues.keySet()) {
      part.boundaryValues.put(b, new TreeMap<>());
    }
    return part;
  }

  /**
   * Ends pass 2 from the {@link #partForObservePass()} copies that observed the parts of the rows
   * (in any order), and remembers how many parts there are for {@link #partForAssignPass(int)}.
   *
   * @throws IllegalStateException unless this instance and every part are in pass 2
   */
  public void endObservePass(List<StreamingEqualMassEce> partsInOrder) {
    require(Phase.OBSERVE);
    for (StreamingEqualMassEce part : partsInOrder) {
      part.require(Phase.OBSERVE);
      requireSameBins(part);
      part.boundaryValues.forEach(
          (b, values) -> {
            TreeMap<Double, Long> into = boundaryValues.get(b);
            if (into == null) {
              throw new IllegalArgumentException(
                  "a part observed bucket " + b + ", which is not a boundary of these rows");
            }
            values.forEach((v, n) -> into.merge(v, n, Long::sum));
          });
    }
    endObservePass();
    observedParts = partsInOrder.size();
  }

  /**
   * A copy for pass 3 over part {@code part} (its index in the list given to {@link
   * #endObservePass(List)}): it carries the group boundaries and the values tied at them. Combine
   * the parts with {@link #mergeAssigned}.
   *
   * @throws IllegalStateException unless pass 2 was ended by {@link #endObservePass(List)}
   * @throws IndexOutOfBoundsException if there is no such part
   */
  public StreamingEqualMassEce partForAssignPass(int part) {
    require(Phase.ASSIGN);
    if (observedParts < 0) {
      throw new IllegalStateException(
          "pass 2 was not ended from parts; call endObservePass(List) first");
    }
    java.util.Objects.checkIndex(part, observedParts);
    StreamingEqualMassEce copy = new StreamingEqualMassEce(bins);
    copy.histogram = null;
    copy.phase = Phase.ASSIGN;
    copy.rows = rows;
    copy.cutValue = cutValue.clone();
    copy.tieStart.putAll(tieStart);
    tied.keySet().forEach(v -> copy.tied.put(v, new long[2]));
    copy.groupCount = new long[bins];
    copy.groupConfidence = new double[bins];
    copy.groupCorrect = new double[bins];
    return copy;
  }

  /**
   * Adds the group sums of {@code part}, a {@link #partForAssignPass(int)} copy that assigned one
   * part of the rows.
   *
   * @throws IllegalStateException unless both are in pass 3
   */
  public void mergeAssigned(StreamingEqualMassEce part) {
    require(Phase.ASSIGN);
    part.require(Phase.ASSIGN);
    requireSameBins(part);
    for (int g = 0; g < bins; g++) {
      groupCount[g] += part.groupCount[g];
      groupConfidence[g] += part.groupConfidence[g];
      groupCorrect[g] += part.groupCorrect[g];
    }
    part.tied.forEach(
        (v, counts) -> {
          long[] into = tied.get(v);
          if (into == null) {
            throw new IllegalArgumentException(
                "a part has rows tied at " + v + ", which is not a boundary of these rows");
          }
          into[0] += counts[0];
          into[1] += counts[1];
        });
    assigned += part.assigned;
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
    long[] count = groupCount.clone();
    double[] sumConfidence = groupConfidence.clone();
    double[] sumCorrect = groupCorrect.clone();
    for (Map.Entry<Double, long[]> e : tied.entrySet()) {
      double value = e.getKey();
      long n = e.getValue()[0];
      if (n == 0) {
        throw new IllegalStateException(
            "pass 3 saw no row of confidence "
                + value
                + ", which passes 1 and 2 saw; the passes must read the same rows");
      }
      double meanCorrect = e.getValue()[1] / (double) n;
      long first = tieStart.get(value);
      for (int g = 0; g < bins; g++) {
        long end = g + 1 < bins ? groupStart[g + 1] : rows;
        long overlap = Math.min(end, first + n) - Math.max(groupStart[g], first);
        if (overlap > 0) {
          count[g] += overlap;
          sumConfidence[g] += overlap * value;
          sumCorrect[g] += overlap * meanCorrect;
        }
      }
    }
    double sum = 0;
    for (int g = 0; g < bins; g++) {
      if (count[g] > 0) {
        sum += count[g] * Math.abs(sumCorrect[g] / count[g] - sumConfidence[g] / count[g]);
      }
    }
    return sum / rows;
  }
}
