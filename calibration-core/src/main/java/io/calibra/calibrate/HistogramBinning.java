package io.calibra.calibrate;

import io.calibra.internal.Bins;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classwise histogram binning (Zadrozny and Elkan 2001): for each label k, [0, 1] is cut into B
 * equal-width bins, the bin of a value {@code c} being {@code clamp(ceil(c * B) - 1, 0, B - 1)} (as
 * for ECE, {@code clamp(ceil(c * B) - 1, 0, B - 1)}), and {@code p_k} is replaced by its bin's
 * value: the fraction of the fitting rows in that bin whose gold label is k, or the bin's centre
 * {@code (b + 1/2) / B} for a bin no fitting row falls in. The K values are then divided by their
 * sum; a row of zeros becomes uniform.
 *
 * <p>Fitting needs at least one labelled row (a single gold class is allowed).
 */
public final class HistogramBinning {

  /** Histogram binning's fitting: on labelled rows, with a number of bins. */
  static final MethodFit.LabelledRows FIT =
      new MethodFit.LabelledRows(
          CalibrationMethod.HISTOGRAM_BINNING,
          (data, options) ->
              options.bins().isPresent() ? fit(data, options.bins().getAsInt()) : fit(data));

  /** Its saved stage: {@code values} (K x B, label-major: B follows from the length). */
  static final StageFormat FORMAT =
      new StageFormat((labels, p) -> fromFlat(labels, p.required("values")), "values");

  /** The default number of bins B. */
  public static final int DEFAULT_BINS = 15;

  /** The largest number of bins accepted. */
  public static final int MAX_BINS = 1_000_000;

  private HistogramBinning() {}

  /**
   * Fits with {@link #DEFAULT_BINS} bins.
   *
   * <p>(A {@link LabelledSet} has at least one row.)
   */
  public static Calibrator fit(LabelledSet data) {
    return fit(data, DEFAULT_BINS);
  }

  /**
   * Fits with {@code bins} equal-width bins per label.
   *
   * @throws IllegalArgumentException if {@code bins} is not in [1, {@value #MAX_BINS}]
   */
  public static Calibrator fit(LabelledSet data, int bins) {
    java.util.Objects.requireNonNull(data, "data");
    checkBins(bins);
    int k = data.labels().size();
    int[] gold = data.goldArray();
    double[][] values = new double[k][];
    for (int label = 0; label < k; label++) {
      double[] x = Classwise.column(data, label);
      long[] count = new long[bins];
      long[] hits = new long[bins];
      for (int i = 0; i < x.length; i++) {
        int b = Bins.equalWidth(x[i], bins);
        count[b]++;
        hits[b] += gold[i] == label ? 1 : 0;
      }
      values[label] = new double[bins];
      for (int b = 0; b < bins; b++) {
        values[label][b] = count[b] == 0 ? (b + 0.5) / bins : (double) hits[b] / count[b];
      }
    }
    return new Binned(data.labels(), values);
  }

  /**
   * The calibrator with these bin values: one array of B values in [0, 1] per label (as {@link
   * Calibrator.HistogramBinning#values} returns them), copied.
   *
   * @throws IllegalArgumentException unless every label has the same number B of values, B in [1,
   *     {@value #MAX_BINS}], each in [0, 1]
   */
  public static Calibrator of(LabelSet labels, double[][] values) {
    return new Binned(labels, values);
  }

  private static void checkBins(int bins) {
    if (bins < 1 || bins > MAX_BINS) {
      throw new IllegalArgumentException(
          "histogram binning bins is " + bins + "; expected a value in [1, " + MAX_BINS + "]");
    }
  }

  /** Rebuilds from a file's flat {@code values} (K * B, label-major). */
  static Calibrator fromFlat(LabelSet labels, double[] flat) {
    int k = labels.size();
    if (flat.length == 0 || flat.length % k != 0) {
      throw new IllegalArgumentException(
          "histogram binning has "
              + flat.length
              + " values; expected a positive multiple of "
              + k
              + " (B bins per label)");
    }
    int bins = flat.length / k;
    double[][] values = new double[k][];
    for (int label = 0; label < k; label++) {
      values[label] = java.util.Arrays.copyOfRange(flat, label * bins, (label + 1) * bins);
    }
    return new Binned(labels, values);
  }

  /** The fitted bin values. */
  static final class Binned extends AbstractCalibrator implements Calibrator.HistogramBinning {
    private final double[][] values;
    private final int bins;

    Binned(LabelSet labels, double[][] values) {
      super(labels);
      java.util.Objects.requireNonNull(values, "values");
      Classwise.requireWidth(labels, values, "histogram binning", "values");
      this.values = Classwise.copy(values);
      this.bins = this.values[0].length;
      for (int label = 0; label < k; label++) {
        if (this.values[label].length != bins) {
          throw new IllegalArgumentException(
              "histogram binning has "
                  + this.values[label].length
                  + " bins for label '"
                  + labels.name(label)
                  + "' and "
                  + bins
                  + " for '"
                  + labels.name(0)
                  + "'; expected the same number for every label");
        }
      }
      checkBins(bins);
      Classwise.requireProbabilities(labels, this.values, "histogram binning");
    }

    @Override
    void transform(double[] in, int inOffset, double[] out, int outOffset) {
      for (int i = 0; i < k; i++) {
        out[outOffset + i] = values[i][Bins.equalWidth(in[inOffset + i], bins)];
      }
      Classwise.normalise(out, outOffset, k);
    }

    @Override
    public int bins() {
      return bins;
    }

    @Override
    public double[] values(int label) {
      return values[io.calibra.internal.Checks.index(label, k, "label")].clone();
    }

    @Override
    public CalibrationMethod kind() {
      return CalibrationMethod.HISTOGRAM_BINNING;
    }

    @Override
    Map<String, double[]> parameterMap() {
      Map<String, double[]> p = new LinkedHashMap<>();
      p.put("values", Classwise.concat(values));
      return p;
    }
  }
}
