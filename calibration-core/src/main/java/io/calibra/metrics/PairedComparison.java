package io.calibra.metrics;

import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * Two sets of predictions for the same labelled rows, compared row by row: the differences {@code B
 * - A} of accuracy, macro-F1, NLL, Brier and ECE with paired bootstrap intervals, McNemar's exact
 * test for accuracy and a paired t-test for NLL. Two separate reports with separate intervals
 * cannot tell whether B is better than A; pairing removes the variation between rows that both
 * share.
 *
 * <pre>{@code
 * PairedComparison c = PairedComparison.compute(raw, calibrated, 15, 1000, 0L, 0.95);
 * double gain = c.differences().get("nll").difference();   // negative: B has the lower NLL
 * double p = c.mcNemar().pValue();                         // accuracy: the same or not
 * }</pre>
 *
 * <p><b>Paired bootstrap</b> (Efron and Tibshirani 1993, ch. 13; Koehn 2004 for system
 * comparisons): resample {@code b} draws the rows {@link Bootstrap#resampleIndices(long, int, int)}
 * once and computes each metric of A and of B on those same rows; the interval is the {@link
 * Bootstrap#percentile percentile} interval of the {@code B - A} values, so intervals are
 * reproducible outside Java exactly as {@link Bootstrap}'s.
 *
 * <p><b>McNemar's exact test</b> (McNemar 1947; the exact form of Edwards 1948): of the rows where
 * exactly one of A and B is right, {@code b} are right under A only and {@code c} under B only;
 * under equal accuracy {@code b ~ Binomial(b + c, 1/2)}, and the p-value is the two-sided binomial
 * test {@code min(1, 2 P(X <= min(b, c)))} ({@code scipy.stats.binomtest(b, b + c, 0.5).pvalue}).
 * It is 1 when no row is discordant.
 *
 * <p><b>Paired t-test for NLL</b> (Student 1908; {@code scipy.stats.ttest_rel}): on the per-row
 * differences {@code d_i = nll_B(i) - nll_A(i)} (each with {@code p_gold} clipped to {@code [1e-15,
 * 1]}), {@code t = mean(d) / (sd(d) / sqrt(n))} with {@code sd} the sample standard deviation and
 * {@code n - 1} degrees of freedom, two-sided. It is absent when it is undefined: fewer than two
 * rows, or every row's difference the same (zero variance).
 *
 * <p>Immutable and thread-safe; {@link #compute} resamples in parallel and the result does not
 * depend on the number of threads.
 *
 * @param rows the number of rows compared
 * @param bins the equal-width bins of the ECE
 * @param resamples the number of bootstrap resamples
 * @param seed the seed of the resamples
 * @param confidence the confidence level of the intervals, in (0, 1)
 * @param differences each metric of {@link #METRICS} by its key, in that order
 * @param mcNemar McNemar's exact test on accuracy
 * @param nllTest the paired t-test on per-row NLL, or empty when undefined
 */
public record PairedComparison(
    int rows,
    int bins,
    int resamples,
    long seed,
    double confidence,
    Map<String, Difference> differences,
    McNemar mcNemar,
    Optional<PairedT> nllTest) {

  /** The compared metrics by their keys (as {@link CalibrationMetrics#byKey()}), in order. */
  public static final List<String> METRICS = List.of("accuracy", "macro_f1", "nll", "brier", "ece");

  /** Copies the map; checks that it has the keys of {@link #METRICS}. */
  public PairedComparison {
    Objects.requireNonNull(mcNemar, "mcNemar");
    Objects.requireNonNull(nllTest, "nllTest");
    differences = Collections.unmodifiableMap(new LinkedHashMap<>(differences));
    if (!List.copyOf(differences.keySet()).equals(METRICS)) {
      throw new IllegalArgumentException(
          "differences for " + differences.keySet() + "; expected " + METRICS);
    }
  }

  /**
   * One metric of A and of B and the interval of {@code B - A}.
   *
   * @param a the metric of A on all rows
   * @param b the metric of B on all rows
   * @param interval the paired percentile bootstrap interval of {@code b - a}
   */
  public record Difference(double a, double b, Bootstrap.Interval interval) {
    /** Checks that both values are finite. */
    public Difference {
      Objects.requireNonNull(interval, "interval");
      if (!Double.isFinite(a) || !Double.isFinite(b)) {
        throw new IllegalArgumentException(
            "metric values " + a + " and " + b + "; expected finite");
      }
    }

    /** {@code b - a}. */
    public double difference() {
      return b - a;
    }
  }

  /**
   * McNemar's exact test.
   *
   * @param onlyA rows right under A and wrong under B
   * @param onlyB rows right under B and wrong under A
   * @param pValue the two-sided exact p-value, in (0, 1]
   */
  public record McNemar(int onlyA, int onlyB, double pValue) {
    /** Checks the counts and the p-value. */
    public McNemar {
      if (onlyA < 0 || onlyB < 0 || !(pValue >= 0 && pValue <= 1)) {
        throw new IllegalArgumentException(
            "McNemar counts "
                + onlyA
                + ", "
                + onlyB
                + " and p "
                + pValue
                + "; expected counts >= 0 and p in [0, 1]");
      }
    }

    /**
     * The test on these counts.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public static McNemar of(int onlyA, int onlyB) {
      if (onlyA < 0 || onlyB < 0) {
        throw new IllegalArgumentException(
            "McNemar counts " + onlyA + " and " + onlyB + "; expected counts >= 0");
      }
      return new McNemar(onlyA, onlyB, exactPValue(onlyA, onlyB));
    }
  }

  /**
   * A paired t-test.
   *
   * @param meanDifference the mean of the per-row differences {@code B - A}
   * @param t the t statistic
   * @param degreesOfFreedom {@code n - 1}
   * @param pValue the two-sided p-value
   */
  public record PairedT(double meanDifference, double t, int degreesOfFreedom, double pValue) {
    /** Checks that the values are finite and the p-value is in [0, 1]. */
    public PairedT {
      if (!Double.isFinite(meanDifference)
          || !Double.isFinite(t)
          || degreesOfFreedom < 1
          || !(pValue >= 0 && pValue <= 1)) {
        throw new IllegalArgumentException(
            "paired t-test mean "
                + meanDifference
                + ", t "
                + t
                + ", df "
                + degreesOfFreedom
                + ", p "
                + pValue
                + "; expected finite values, df >= 1 and p in [0, 1]");
      }
    }

    /**
     * The test on these differences, or empty when it is undefined (fewer than two values, or all
     * the same).
     *
     * @throws IllegalArgumentException if a difference is NaN or infinite
     */
    public static Optional<PairedT> of(double[] differences) {
      int n = differences.length;
      double sum = 0;
      for (double d : differences) {
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException("a paired difference is " + d + "; expected finite");
        }
        sum += d;
      }
      if (n < 2) {
        return Optional.empty();
      }
      double mean = sum / n;
      double squares = 0;
      for (double d : differences) {
        squares += (d - mean) * (d - mean);
      }
      double sd = Math.sqrt(squares / (n - 1));
      if (!(sd > 0)) {
        return Optional.empty();
      }
      double t = mean / (sd / Math.sqrt(n));
      double p = 2 * new TDistribution(null, n - 1).cumulativeProbability(-Math.abs(t));
      return Optional.of(new PairedT(mean, t, n - 1, Math.min(1, p)));
    }
  }

  /**
   * Compares B with A over the same rows.
   *
   * @param a the baseline's predictions
   * @param b the predictions compared with it
   * @param bins the equal-width bins of the ECE, at least 1
   * @param resamples bootstrap resamples, at least 1
   * @param seed the seed of the resamples
   * @param confidence the intervals' confidence level, in (0, 1)
   * @throws IllegalArgumentException if the sets have other labels, sizes or gold labels (naming
   *     the first row that differs and both values), or a setting is out of range
   */
  public static PairedComparison compute(
      LabelledSet a, LabelledSet b, int bins, int resamples, long seed, double confidence) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    requireSameRows(a, b);
    if (bins < 1 || resamples < 1 || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException(
          "bins "
              + bins
              + ", resamples "
              + resamples
              + ", confidence "
              + confidence
              + "; expected bins >= 1, resamples >= 1 and confidence in (0, 1)");
    }
    int n = a.size();
    LabelSet labels = a.labels();
    int k = labels.size();
    double[] pa = flatten(a);
    double[] pb = flatten(b);
    int[] gold = a.goldArray();
    double[][] values = new double[resamples][];
    IntStream.range(0, resamples)
        .parallel()
        .forEach(
            r -> {
              int[] idx = Bootstrap.resampleIndices(seed, r, n);
              double[] ra = new double[n * k];
              double[] rb = new double[n * k];
              int[] rg = new int[n];
              for (int j = 0; j < n; j++) {
                System.arraycopy(pa, idx[j] * k, ra, j * k, k);
                System.arraycopy(pb, idx[j] * k, rb, j * k, k);
                rg[j] = gold[idx[j]];
              }
              values[r] = differences(labels, ra, rb, rg, bins);
            });
    CalibrationMetrics ma = Metrics.evaluate(labels, pa, gold, bins);
    CalibrationMetrics mb = Metrics.evaluate(labels, pb, gold, bins);
    Map<String, Double> va = ma.byKey();
    Map<String, Double> vb = mb.byKey();
    Map<String, Difference> out = new LinkedHashMap<>();
    for (int m = 0; m < METRICS.size(); m++) {
      double[] v = new double[resamples];
      for (int r = 0; r < resamples; r++) {
        v[r] = values[r][m];
      }
      Arrays.sort(v);
      String key = METRICS.get(m);
      out.put(
          key,
          new Difference(
              va.get(key),
              vb.get(key),
              new Bootstrap.Interval(
                  Bootstrap.percentile(v, (1 - confidence) / 2),
                  Bootstrap.percentile(v, (1 + confidence) / 2))));
    }
    int onlyA = 0;
    int onlyB = 0;
    double[] nll = new double[n];
    for (int i = 0; i < n; i++) {
      boolean rightA = a.distribution(i).argmax() == gold[i];
      boolean rightB = b.distribution(i).argmax() == gold[i];
      onlyA += rightA && !rightB ? 1 : 0;
      onlyB += rightB && !rightA ? 1 : 0;
      nll[i] = rowNll(pb[i * k + gold[i]]) - rowNll(pa[i * k + gold[i]]);
    }
    return new PairedComparison(
        n, bins, resamples, seed, confidence, out, McNemar.of(onlyA, onlyB), PairedT.of(nll));
  }

  /**
   * Checks that {@code a} and {@code b} are predictions for the same rows: the same labels, the
   * same number of rows and the same gold label in every row.
   *
   * @throws IllegalArgumentException naming the first row whose gold labels differ, and both
   */
  public static void requireSameRows(LabelledSet a, LabelledSet b) {
    if (!a.labels().equals(b.labels())) {
      throw new IllegalArgumentException(
          "labels "
              + a.labels().names()
              + " and "
              + b.labels().names()
              + "; expected the same labels");
    }
    if (a.size() != b.size()) {
      throw new IllegalArgumentException(
          a.size() + " rows and " + b.size() + " rows; a paired comparison needs the same rows");
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.gold(i) != b.gold(i)) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has gold '"
                + a.goldName(i)
                + "' in A and '"
                + b.goldName(i)
                + "' in B; a paired comparison needs the same rows");
      }
    }
  }

  /**
   * The two-sided exact binomial test of {@code min(b, c)} successes in {@code b + c} trials with
   * probability 1/2: {@code min(1, 2 P(X <= min(b, c)))}, summed in log space so that small
   * p-values keep their relative precision; 1 when {@code b + c = 0}.
   */
  static double exactPValue(int b, int c) {
    int n = b + c;
    int low = Math.min(b, c);
    if (n == 0 || 2 * low == n) {
      return 1.0;
    }
    double logHalf = n * Math.log(0.5);
    double[] logTerms = new double[low + 1];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= low; i++) {
      logTerms[i] = CombinatoricsUtils.binomialCoefficientLog(n, i) + logHalf;
      max = Math.max(max, logTerms[i]);
    }
    double sum = 0;
    for (double t : logTerms) {
      sum += Math.exp(t - max);
    }
    return Math.min(1.0, 2 * Math.exp(max + Math.log(sum)));
  }

  private static double rowNll(double pGold) {
    return -Math.log(Math.min(1.0, Math.max(1e-15, pGold)));
  }

  private static double[] flatten(LabelledSet set) {
    int k = set.labels().size();
    double[] out = new double[set.size() * k];
    for (int i = 0; i < set.size(); i++) {
      set.distribution(i).copyInto(out, i * k);
    }
    return out;
  }

  /**
   * The metrics of B minus those of A, in the order of {@link #METRICS}, accumulated in row order
   * on this thread (the resamples run in parallel) without the equal-mass ECE, which is not
   * compared.
   */
  private static double[] differences(
      LabelSet labels, double[] pa, double[] pb, int[] gold, int bins) {
    MetricsAccumulator a = new MetricsAccumulator(labels, bins, false);
    MetricsAccumulator b = new MetricsAccumulator(labels, bins, false);
    int k = labels.size();
    for (int i = 0; i < gold.length; i++) {
      a.add(pa, i * k, gold[i]);
      b.add(pb, i * k, gold[i]);
    }
    Map<String, Double> va = a.result().byKey();
    Map<String, Double> vb = b.result().byKey();
    double[] out = new double[METRICS.size()];
    for (int m = 0; m < out.length; m++) {
      out[m] = vb.get(METRICS.get(m)) - va.get(METRICS.get(m));
    }
    return out;
  }
}
