package io.calibra.metrics;

import io.calibra.internal.StableSort;
import io.calibra.internal.Ties;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Calibration statistics beyond {@link CalibrationMetrics}, each over a whole labelled set.
 * Stateless and thread-safe. Top-label statistics use the confidence {@code c = max_k p_k} and
 * correctness {@code y = 1[argmax = gold]} (argmax ties to the lowest index).
 *
 * <ul>
 *   <li>{@link #debiasedEce}: Kumar, Liang and Ma 2019, "Verified Uncertainty Calibration";
 *   <li>{@link #adaptiveCalibrationError}: Nixon et al. 2019, "Measuring Calibration in Deep
 *       Learning";
 *   <li>{@link #smoothEce}: Blasiok and Nakkiran 2023, "Smooth ECE: Principled Reliability Diagrams
 *       via Kernel Smoothing", with the bandwidth rule of their {@code relplot};
 *   <li>{@link #ksCalibrationError}: Gupta et al. 2021, "Calibration of Neural Networks using
 *       Splines";
 *   <li>{@link #spiegelhalter}: Spiegelhalter 1986, "Probabilistic prediction in patient management
 *       and clinical trials";
 *   <li>{@link #rsd} and {@link #biasScore}: label-bias measures of the in-context-learning
 *       literature (per-class accuracy spread; distance of the mean prediction from the gold label
 *       frequencies).
 * </ul>
 *
 * <p>The debiased ECE on equal-width bins, the Spiegelhalter test, RSD and BiasScore are sums over
 * rows and also come as the mergeable {@link StatisticsAccumulator}. The others are not mergeable:
 * Kumar's bins and ACE's ranges are quantiles of all rows, KS needs the rows sorted, and the smooth
 * ECE's grid resolution depends on the bandwidth search over all rows.
 *
 * <p>Each method's reference values come from the numpy script {@code
 * golden/statistics/make_statistics_cases.py} in calibration-core's test resources, which states
 * every definition.
 */
public final class CalibrationStatistics {
  /** The smooth ECE's bandwidth search stops below this width, as relplot's does. */
  public static final double SMOOTH_ECE_MIN_BANDWIDTH = 0.001;

  private static final int SMOOTH_ECE_GRID = 200;

  private CalibrationStatistics() {}

  /**
   * A smooth ECE and the bandwidth it was computed at.
   *
   * @param value the smooth ECE, finite and at least 0
   * @param bandwidth the kernel width {@code sigma} in (0, 1]
   */
  public record SmoothEce(double value, double bandwidth) {
    /** Checks the values. */
    public SmoothEce {
      if (!(value >= 0 && value < Double.POSITIVE_INFINITY) || !(bandwidth > 0 && bandwidth <= 1)) {
        throw new IllegalArgumentException(
            "smooth ECE "
                + value
                + " at bandwidth "
                + bandwidth
                + "; expected a finite value >= 0 and a bandwidth in (0, 1]");
      }
    }
  }

  /**
   * Every statistic by key: debiased_ece, debiased_ece_equal_width, ace, smooth_ece, ks,
   * spiegelhalter_z, spiegelhalter_p, rsd, bias_score ({@code bins} bins or ranges).
   *
   * @throws IllegalStateException where a statistic is undefined (see each method)
   */
  public static Map<String, Double> values(LabelledSet data, int bins) {
    StatisticsAccumulator acc = accumulate(data, bins);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("debiased_ece", debiasedEce(data, bins));
    out.put("debiased_ece_equal_width", acc.debiasedEce());
    out.put("ace", adaptiveCalibrationError(data, bins));
    out.put("smooth_ece", smoothEce(data).value());
    out.put("ks", ksCalibrationError(data));
    SpiegelhalterTest s = acc.spiegelhalter();
    out.put("spiegelhalter_z", s.z());
    out.put("spiegelhalter_p", s.pValue());
    out.put("rsd", acc.rsd());
    out.put("bias_score", acc.biasScore());
    return out;
  }

  /** A {@link StatisticsAccumulator} over every row of {@code data}. */
  public static StatisticsAccumulator accumulate(LabelledSet data, int bins) {
    StatisticsAccumulator acc = new StatisticsAccumulator(data.labels(), bins);
    for (int i = 0; i < data.size(); i++) {
      acc.add(data.distribution(i), data.gold(i));
    }
    return acc;
  }

  /**
   * Kumar et al.'s debiased estimate of the top-label l2 calibration error, with their default
   * equal-mass bins (the estimator of their library's {@code lower_bound_scaling_top_ce(p=2,
   * debias=True)}): the sorted confidences are cut into chunks of {@code ceil(n / bins)}, bin
   * boundaries are the midpoints between consecutive chunks plus 1 (duplicates removed), a row goes
   * to the first bin whose boundary is {@code >= c}; then {@code sqrt(max(0, sum over bins with n_b
   * >= 2 of (n_b / n)[(mean c - m)^2 - m (1 - m) / (n_b - 1)]))}, {@code m} the bin's accuracy. The
   * subtracted term removes the bias of the squared gap, so the estimate can be 0.
   *
   * @throws IllegalArgumentException unless {@code 1 <= bins <= n}
   */
  public static double debiasedEce(LabelledSet data, int bins) {
    int n = data.size();
    if (bins < 1 || bins > n) {
      throw new IllegalArgumentException(
          "bins is " + bins + "; expected 1 to the number of rows, " + n);
    }
    double[] c = new double[n];
    double[] y = new double[n];
    top(data, c, y);
    double[] sorted = c.clone();
    Arrays.sort(sorted);
    int size = (n + bins - 1) / bins;
    TreeSet<Double> set = new TreeSet<>();
    for (int start = size; start < n; start += size) {
      set.add((sorted[start - 1] + sorted[start]) / 2.0);
    }
    set.add(1.0);
    double[] bounds = set.stream().mapToDouble(Double::doubleValue).toArray();
    long[] count = new long[bounds.length];
    double[] sumC = new double[bounds.length];
    double[] sumY = new double[bounds.length];
    for (int i = 0; i < n; i++) {
      int b = searchLeft(bounds, c[i]);
      count[b]++;
      sumC[b] += c[i];
      sumY[b] += y[i];
    }
    double total = 0;
    for (int b = 0; b < bounds.length; b++) {
      long nb = count[b];
      if (nb >= 2) {
        double m = sumY[b] / nb;
        double gap = sumC[b] / nb - m;
        total += (nb / (double) n) * (gap * gap - m * (1 - m) / (nb - 1.0));
      }
    }
    return Math.sqrt(Math.max(total, 0));
  }

  /** The first index whose value is {@code >= x} ({@code numpy.searchsorted(side='left')}). */
  private static int searchLeft(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The debiased ECE of {@link StatisticsAccumulator#debiasedEce()}, on {@code bins} equal-width
   * bins.
   */
  public static double debiasedEceEqualWidth(LabelledSet data, int bins) {
    return accumulate(data, bins).debiasedEce();
  }

  /**
   * Adaptive calibration error (Nixon et al. 2019): for each class {@code k}, the rows sorted by
   * {@code p_k} and cut into {@code ranges} groups whose sizes differ by at most one, larger first
   * ({@code numpy.array_split}); the mean over classes and non-empty groups of {@code |mean 1[gold
   * = k] - mean p_k|}. Rows tied in {@code p_k} count with their tie's mean of {@code 1[gold = k]}
   * ({@link Ties}), so a cut inside a tie does not depend on the rows' order.
   *
   * @throws IllegalArgumentException unless {@code ranges >= 1}
   */
  public static double adaptiveCalibrationError(LabelledSet data, int ranges) {
    if (ranges < 1) {
      throw new IllegalArgumentException("ranges is " + ranges + "; expected at least 1");
    }
    int n = data.size();
    int k = data.labels().size();
    double total = 0;
    long groups = 0;
    double[] pk = new double[n];
    double[] yk = new double[n];
    for (int label = 0; label < k; label++) {
      for (int i = 0; i < n; i++) {
        pk[i] = data.distribution(i).probability(label);
        yk[i] = data.gold(i) == label ? 1 : 0;
      }
      int[] order = StableSort.ascending(pk, n);
      double[] meanY = Ties.meanOutcomes(pk, order, yk);
      int base = n / ranges;
      int extra = n % ranges;
      int start = 0;
      for (int r = 0; r < ranges; r++) {
        int size = base + (r < extra ? 1 : 0);
        if (size == 0) {
          continue;
        }
        double sumP = 0;
        double sumY = 0;
        for (int j = start; j < start + size; j++) {
          sumP += pk[order[j]];
          sumY += meanY[j];
        }
        total += Math.abs(sumY / size - sumP / size);
        groups++;
        start += size;
      }
    }
    return total / groups;
  }

  /**
   * KS calibration error (Gupta et al. 2021): rows sorted by confidence, {@code max_i |sum_{j <= i}
   * c_j / n - sum_{j <= i} y_j / n|}, with the cumulative sums taken only at the ends of tie groups
   * (rows of equal confidence), where they do not depend on the order of the tied rows. (Within a
   * tie the curves of tied rows counted with their mean outcome, as {@link Ties} states, are
   * linear, so the maximum lies at a tie's end.)
   */
  public static double ksCalibrationError(LabelledSet data) {
    int n = data.size();
    double[] c = new double[n];
    double[] y = new double[n];
    top(data, c, y);
    int[] order = StableSort.ascending(c, n);
    double cumC = 0;
    double cumY = 0;
    double max = 0;
    int start = 0;
    while (start < n) {
      int end = Ties.tieEnd(c, order, start);
      for (int i = start; i < end; i++) {
        cumC += c[order[i]];
        cumY += y[order[i]];
      }
      max = Math.max(max, Math.abs(cumC / n - cumY / n));
      start = end;
    }
    return max;
  }

  /**
   * The Spiegelhalter test on top-label confidences.
   *
   * @throws IllegalStateException if every confidence is 1/2 or 1
   */
  public static SpiegelhalterTest spiegelhalter(LabelledSet data) {
    return accumulate(data, 1).spiegelhalter();
  }

  /**
   * RSD, the relative standard deviation of per-class accuracy (see {@link
   * StatisticsAccumulator#rsd()}).
   *
   * @throws IllegalStateException if every class's accuracy is 0
   */
  public static double rsd(LabelledSet data) {
    return accumulate(data, 1).rsd();
  }

  /** BiasScore (see {@link StatisticsAccumulator#biasScore()}). */
  public static double biasScore(LabelledSet data) {
    return accumulate(data, 1).biasScore();
  }

  /**
   * Smooth ECE (Blasiok and Nakkiran 2023) with its bandwidth rule, following their reference
   * implementation {@code relplot.smECE} (reflected Gaussian kernel):
   *
   * <ol>
   *   <li>the residuals {@code c_i - y_i}, divided by {@code n}, are spread on a grid of {@code m}
   *       points {@code j / (m - 1)} by linear interpolation ({@code m = 200} at first);
   *   <li>{@code smECE(sigma)} is the mean over the grid of the absolute value of the grid
   *       convolved with a Gaussian of width {@code sigma} (density at {@code linspace(0, 1, m) -
   *       1/2}), the grid reflected at both ends of [0, 1];
   *   <li>the bandwidth is the fixed point {@code sigma = smECE(sigma)}: {@code sigma = 1} if
   *       {@code 1 < smECE(1)}, else 10 bisection steps on [0, 1] (a width "holds" when it is below
   *       {@value #SMOOTH_ECE_MIN_BANDWIDTH} or below its smooth ECE), keeping the upper end;
   *   <li>before each evaluation the grid is made 4 times finer while {@code round(20 / sigma) >
   *       m}, and stays so.
   * </ol>
   *
   * Convolutions are direct sums over the kernel's non-zero values (exact zeros, beyond about 38.6
   * widths, contribute nothing), so the result matches relplot's (FFT) to about 1e-12.
   */
  public static SmoothEce smoothEce(LabelledSet data) {
    int n = data.size();
    double[] c = new double[n];
    double[] y = new double[n];
    top(data, c, y);
    SmoothGrid grid = new SmoothGrid(c, y);
    double sigma;
    if (grid.holds(1.0)) {
      sigma = 1.0;
    } else {
      double hi = 1.0;
      double lo = 0.0;
      for (int step = 0; step < 10; step++) {
        double mid = (hi + lo) / 2;
        if (grid.holds(mid)) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      sigma = hi;
    }
    return new SmoothEce(grid.ece(sigma), sigma);
  }

  /** The residual grid of the smooth ECE, refined as the bandwidth search needs. */
  private static final class SmoothGrid {
    private final double[] c;
    private final double[] y;
    private int m = SMOOTH_ECE_GRID;
    private double[] values;

    SmoothGrid(double[] c, double[] y) {
      this.c = c;
      this.y = y;
      this.values = spread(m);
    }

    private double[] spread(int points) {
      double[] v = new double[points];
      for (int i = 0; i < c.length; i++) {
        double pos = c[i] * (points - 1);
        int cell = Math.max(0, Math.min(points - 2, (int) pos));
        double frac = pos - cell;
        double r = c[i] - y[i];
        v[cell] += (1 - frac) * r;
        v[cell + 1] += frac * r;
      }
      for (int j = 0; j < points; j++) {
        v[j] /= c.length;
      }
      return v;
    }

    boolean holds(double sigma) {
      boolean finer = false;
      while (Math.rint(20 / sigma) > m) {
        m *= 4;
        finer = true;
      }
      if (finer) {
        values = spread(m);
      }
      return sigma < SMOOTH_ECE_MIN_BANDWIDTH || sigma < ece(sigma);
    }

    double ece(double sigma) {
      double[] ker = new double[m];
      double norm = Math.sqrt(2 * Math.PI) * sigma;
      int first = -1;
      int last = -1;
      for (int j = 0; j < m; j++) {
        double t = m == 1 ? 0 : j / (double) (m - 1) - 0.5;
        ker[j] = Math.exp(-t * t / (2 * sigma * sigma)) / norm;
        if (ker[j] != 0) {
          last = j;
          if (first < 0) {
            first = j;
          }
        }
      }
      double total = 0;
      int offset = m / 2 + m - 1;
      for (int s = 0; s < m; s++) {
        double acc = 0;
        for (int j = first; j <= last && first >= 0; j++) {
          acc += ker[j] * reflected(offset + s - j);
        }
        total += Math.abs(acc);
      }
      return total / m;
    }

    /** The grid extended by reflection: index e of {@code rev[:-1] + values + rev[1:]}. */
    private double reflected(int e) {
      if (e < m - 1) {
        return values[m - 1 - e];
      }
      if (e < 2 * m - 1) {
        return values[e - (m - 1)];
      }
      return values[3 * m - 3 - e];
    }
  }

  private static void top(LabelledSet data, double[] c, double[] y) {
    for (int i = 0; i < data.size(); i++) {
      LabelDistribution p = data.distribution(i);
      c[i] = p.confidence();
      y[i] = p.argmax() == data.gold(i) ? 1 : 0;
    }
  }
}
