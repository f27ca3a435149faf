package io.calibra.metrics;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Percentile bootstrap confidence intervals (Efron and Tibshirani 1993, "An Introduction to the
 * Bootstrap", ch. 13) for any statistics of a labelled set, by default every metric of {@link
 * CalibrationMetrics}. Stateless and thread-safe.
 *
 * <p>Each of the {@code B} resamples draws {@code n} rows with replacement; every statistic is
 * computed on the same resamples (paired). The interval at confidence {@code c} is the {@code (1 -
 * c)/2} and {@code (1 + c)/2} quantiles of the {@code B} values, with linear interpolation between
 * order statistics ({@code numpy.percentile}'s default: at position {@code h = (B - 1) q}, {@code
 * x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h])}).
 *
 * <p>Reproducible and independent of the number of threads: resample {@code b} draws its rows from
 * its own SplitMix64 stream (Steele, Lea and Flood 2014, the generator of {@link
 * java.util.SplittableRandom}), written out here so that other languages can reproduce it: {@code
 * s_b = mix64(seed + G (b + 1))} and draw {@code j} is row {@code ((x >>> 32) * n) >>> 32} with
 * {@code x = mix64(s_b + G (j + 1))}, {@code G = 0x9E3779B97F4A7C15}, {@code mix64} the SplitMix64
 * finaliser; the mapping to {@code [0, n)} is biased by less than {@code n / 2^32} (below 1e-3 for
 * a million rows). Resamples are computed in parallel and collected by index.
 */
public final class Bootstrap {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Bootstrap() {}

  /**
   * A confidence interval.
   *
   * @param lower the lower end
   * @param upper the upper end, at least {@code lower}
   */
  public record Interval(double lower, double upper) {
    /** Checks that both ends are finite and ordered. */
    public Interval {
      if (!(lower <= upper) || Double.isInfinite(lower) || Double.isInfinite(upper)) {
        throw new IllegalArgumentException(
            "interval [" + lower + ", " + upper + "]; expected finite lower <= upper");
      }
    }

    /** Whether {@code value} is in {@code [lower, upper]}. */
    public boolean contains(double value) {
      return value >= lower && value <= upper;
    }
  }

  /**
   * Intervals for every metric of {@link Metrics#evaluate(LabelledSet, int)}, keyed as {@link
   * #metricValues}.
   *
   * @throws IllegalArgumentException if {@code resamples < 1}, {@code bins < 1} or {@code
   *     confidence} is not in (0, 1)
   */
  public static Map<String, Interval> metricIntervals(
      LabelledSet data, int bins, int resamples, long seed, double confidence) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins is " + bins + "; expected at least 1");
    }
    return percentileIntervals(
        data, d -> metricValues(Metrics.evaluate(d, bins)), resamples, seed, confidence);
  }

  /**
   * The metrics by the keys of {@code calibra metrics --json}: accuracy, macro_f1, ece,
   * ece_equal_mass, mce, classwise_ece, brier, nll.
   */
  public static Map<String, Double> metricValues(CalibrationMetrics m) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("accuracy", m.accuracy());
    out.put("macro_f1", m.macroF1());
    out.put("ece", m.ece());
    m.eceEqualMass().ifPresent(v -> out.put("ece_equal_mass", v));
    out.put("mce", m.mce());
    out.put("classwise_ece", m.classwiseEce());
    out.put("brier", m.brier());
    out.put("nll", m.nll());
    return out;
  }

  /**
   * Percentile intervals of each value {@code statistic} returns, over {@code resamples} bootstrap
   * resamples of {@code data}, in the order of the statistic's keys.
   *
   * @param statistic computes named finite values of a labelled set; called once per resample, from
   *     several threads at once, with the same keys each time
   * @throws IllegalArgumentException if {@code resamples < 1} or {@code confidence} is not in (0,
   *     1)
   * @throws IllegalStateException naming the resample and key if the statistic returns another key
   *     set or a value that is NaN or infinite
   */
  public static Map<String, Interval> percentileIntervals(
      LabelledSet data,
      Function<? super LabelledSet, Map<String, Double>> statistic,
      int resamples,
      long seed,
      double confidence) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(statistic, "statistic");
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples is " + resamples + "; expected at least 1");
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException(
          "confidence is " + confidence + "; expected a value in (0, 1)");
    }
    int n = data.size();
    List<LabelDistribution> rows = data.distributions();
    @SuppressWarnings("unchecked")
    Map<String, Double>[] values = new Map[resamples];
    IntStream.range(0, resamples)
        .parallel()
        .forEach(
            b -> {
              int[] idx = resampleIndices(seed, b, n);
              List<LabelDistribution> d = new ArrayList<>(n);
              int[] gold = new int[n];
              for (int j = 0; j < n; j++) {
                d.add(rows.get(idx[j]));
                gold[j] = data.gold(idx[j]);
              }
              values[b] = statistic.apply(LabelledSet.of(d, gold));
            });
    List<String> keys = new ArrayList<>(values[0].keySet());
    Map<String, Interval> out = new LinkedHashMap<>();
    for (String key : keys) {
      double[] v = new double[resamples];
      for (int b = 0; b < resamples; b++) {
        Double x = values[b].get(key);
        if (values[b].size() != keys.size() || x == null || !Double.isFinite(x)) {
          throw new IllegalStateException(
              "bootstrap resample "
                  + b
                  + " gave "
                  + (x == null ? "no value" : x)
                  + " for '"
                  + key
                  + "' (keys "
                  + values[b].keySet()
                  + "); expected a finite value for each of "
                  + keys);
        }
        v[b] = x;
      }
      Arrays.sort(v);
      out.put(
          key,
          new Interval(percentile(v, (1 - confidence) / 2), percentile(v, (1 + confidence) / 2)));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The rows of resample {@code resample}: {@code n} indices in {@code [0, n)} drawn with
   * replacement from the SplitMix64 stream described in the class documentation.
   *
   * @throws IllegalArgumentException if {@code n < 1} or {@code resample < 0}
   */
  public static int[] resampleIndices(long seed, int resample, int n) {
    if (n < 1 || resample < 0) {
      throw new IllegalArgumentException(
          "resample " + resample + " of " + n + " rows; expected n >= 1 and resample >= 0");
    }
    long s = mix64(seed + GOLDEN * (resample + 1L));
    int[] idx = new int[n];
    for (int j = 0; j < n; j++) {
      long x = mix64(s + GOLDEN * (j + 1L));
      idx[j] = (int) (((x >>> 32) * n) >>> 32);
    }
    return idx;
  }

  /**
   * The SplitMix64 finaliser (Stafford's variant 13), the mixing function of the documented streams
   * (bootstrap resamples, prompt draws).
   */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The {@code q} quantile of sorted values, by linear interpolation between order statistics
   * ({@code numpy.percentile(values, 100 q)}).
   *
   * @throws IllegalArgumentException if {@code sorted} is empty or {@code q} is not in [0, 1]
   */
  public static double percentile(double[] sorted, double q) {
    if (sorted.length == 0 || !(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException(
          "percentile " + q + " of " + sorted.length + " values; expected q in [0, 1] and values");
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    if (lo >= sorted.length - 1) {
      return sorted[sorted.length - 1];
    }
    return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
  }
}
