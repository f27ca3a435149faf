package io.calibra.conformal;

import io.calibra.label.LabelDistribution;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A nonconformity score for split conformal prediction: LAC, APS or RAPS, optionally randomised
 * (see {@link io.calibra.conformal}). Immutable and thread-safe.
 */
public final class ConformalScore {
  /** The family of a score. */
  public enum Kind {
    /** {@code 1 - p_y}. */
    LAC,
    /** Cumulative probability of the labels ranked at or above {@code y} (Romano et al. 2020). */
    APS,
    /** APS plus a penalty on the rank (Angelopoulos et al. 2021). */
    RAPS
  }

  private final Kind kind;
  private final int kReg;
  private final double lambda;
  private final boolean randomised;
  private final long seed;

  private ConformalScore(Kind kind, int kReg, double lambda, boolean randomised, long seed) {
    this.kind = kind;
    this.kReg = kReg;
    this.lambda = lambda;
    this.randomised = randomised;
    this.seed = seed;
  }

  /** LAC: {@code s = 1 - p_y}. */
  public static ConformalScore lac() {
    return new ConformalScore(Kind.LAC, 0, 0, false, 0);
  }

  /** Non-randomised APS: the probability of the labels ranked above {@code y}, plus {@code p_y}. */
  public static ConformalScore aps() {
    return new ConformalScore(Kind.APS, 0, 0, false, 0);
  }

  /**
   * Non-randomised RAPS: APS plus {@code lambda * max(0, rank(y) - kReg)}, rank 1-based.
   *
   * @throws IllegalArgumentException if {@code kReg < 0} or {@code lambda} is negative, NaN or
   *     infinite
   */
  public static ConformalScore raps(int kReg, double lambda) {
    if (kReg < 0) {
      throw new IllegalArgumentException("k_reg is " + kReg + "; expected a value >= 0");
    }
    if (!(lambda >= 0 && lambda < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("lambda is " + lambda + "; expected a finite value >= 0");
    }
    return new ConformalScore(Kind.RAPS, kReg, lambda, false, 0);
  }

  /**
   * The randomised form of this APS or RAPS score: {@code p_y} enters with weight {@code u ~
   * Uniform[0, 1)}, drawn for each row from {@code seed} and the row's index (calibration and test
   * rows from separate streams), so results are reproducible and do not depend on threads.
   *
   * @throws IllegalArgumentException for LAC, which has no randomised form
   */
  public ConformalScore randomised(long seed) {
    if (kind == Kind.LAC) {
      throw new IllegalArgumentException("the lac score has no randomised form; use aps or raps");
    }
    return new ConformalScore(kind, kReg, lambda, true, seed);
  }

  /** The family. */
  public Kind kind() {
    return kind;
  }

  /** RAPS's {@code k_reg} (0 for the others). */
  public int kReg() {
    return kReg;
  }

  /** RAPS's {@code lambda} (0 for the others). */
  public double lambda() {
    return lambda;
  }

  /** Whether {@code p_y} enters with a random weight. */
  public boolean isRandomised() {
    return randomised;
  }

  /** The seed of the random weights (0 when not randomised). */
  public long seed() {
    return seed;
  }

  /** The lower-case name used on the command line: {@code lac}, {@code aps} or {@code raps}. */
  public String name() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The score of label {@code label} for {@code p}, with weight {@code u} on {@code p_label} (APS
   * and RAPS; ignored by LAC). A non-randomised score uses {@code u = 1}.
   *
   * @throws IllegalArgumentException if {@code u} is outside [0, 1] or {@code label} out of range
   */
  public double score(LabelDistribution p, int label, double u) {
    if (label < 0 || label >= p.size()) {
      throw new IllegalArgumentException(
          "label index " + label + " is out of range; expected 0.." + (p.size() - 1));
    }
    return scores(p.toArray(), checkU(u))[label];
  }

  /**
   * The scores of every label for {@code p}, with weight {@code u} on each label's own probability
   * (APS and RAPS; ignored by LAC), in label order.
   *
   * @throws IllegalArgumentException if {@code u} is outside [0, 1]
   */
  public double[] scores(LabelDistribution p, double u) {
    return scores(p.toArray(), checkU(u));
  }

  private static double checkU(double u) {
    if (!(u >= 0 && u <= 1)) {
      throw new IllegalArgumentException("u is " + u + "; expected a value in [0, 1]");
    }
    return u;
  }

  /** Scores of every label; {@code p} is a valid distribution. */
  double[] scores(double[] p, double u) {
    int k = p.length;
    double[] s = new double[k];
    if (kind == Kind.LAC) {
      for (int i = 0; i < k; i++) {
        s[i] = 1.0 - p[i];
      }
      return s;
    }
    int[] order = rankOrder(p);
    double cumulative = 0;
    for (int r = 0; r < k; r++) {
      int label = order[r];
      double v = cumulative + u * p[label];
      if (kind == Kind.RAPS) {
        v += lambda * Math.max(0, r + 1 - kReg);
      }
      s[label] = v;
      cumulative += p[label];
    }
    return s;
  }

  /** Label indices by descending probability, ties to the lower index (a stable sort). */
  static int[] rankOrder(double[] p) {
    int k = p.length;
    Integer[] boxed = new Integer[k];
    for (int i = 0; i < k; i++) {
      boxed[i] = i;
    }
    java.util.Arrays.sort(boxed, (a, b) -> Double.compare(p[b], p[a]));
    int[] order = new int[k];
    for (int i = 0; i < k; i++) {
      order[i] = boxed[i];
    }
    return order;
  }

  /** The weight on {@code p_y} of row {@code index} of {@code stream}: 1 unless randomised. */
  double weight(int stream, long index) {
    if (!randomised) {
      return 1.0;
    }
    long h = mix(seed ^ 0x9E3779B97F4A7C15L * (stream + 1));
    h = mix(h ^ index * 0xC2B2AE3D27D4EB4FL);
    return new SplittableRandom(h).nextDouble();
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConformalScore c
        && kind == c.kind
        && kReg == c.kReg
        && Double.compare(lambda, c.lambda) == 0
        && randomised == c.randomised
        && seed == c.seed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind.name(), kReg, lambda, randomised, seed); // stable across JVMs
  }

  @Override
  public String toString() {
    String base = kind == Kind.RAPS ? "raps(k_reg=" + kReg + ", lambda=" + lambda + ")" : name();
    return randomised ? base + " randomised(seed=" + seed + ")" : base;
  }
}
