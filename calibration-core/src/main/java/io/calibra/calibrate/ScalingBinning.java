package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scaling-binning calibrator (Kumar, Liang and Ma 2019, "Verified Uncertainty Calibration",
 * NeurIPS), classwise (their marginal calibrator), with temperature scaling as the scaling step:
 *
 * <ol>
 *   <li>a temperature T is fitted on the labelled rows ({@link TemperatureScaling#fit}), and each
 *       row becomes {@code s = softmax(log p / T)};
 *   <li>for each label k, the values {@code s_k} of the n fitting rows are sorted and cut into
 *       {@code B' = min(B, n)} consecutive groups of sizes as numpy's {@code array_split} (the
 *       first {@code n mod B'} groups have {@code floor(n / B') + 1} values, the others {@code
 *       floor(n / B')}); the bin edges are the midpoints {@code (last of group i + first of group
 *       i+1) / 2} for {@code i < B'-1}, then 1.0, with repeated edges removed (so equal values
 *       never straddle an edge, and there can be fewer than B' bins). Bin j holds the values in
 *       {@code (e_{j-1}, e_j]} ({@code [0, e_0]} for bin 0): the bin of {@code c} is the number of
 *       edges below {@code c}, as their {@code bisect_left};
 *   <li>each bin's value is the mean of the fitting rows' {@code s_k} in it (summed in row order),
 *       not of their labels: the step that gives the method its lower variance; a bin no fitting
 *       row falls in takes the midpoint of its edges ({@code e_0 / 2} for bin 0), as their code.
 * </ol>
 *
 * <p>A row is mapped to {@code s}, then each {@code s_k} to its bin's value; the K values are
 * divided by their sum (a row of zeros becomes uniform). The same rows fit the temperature and the
 * bins (as the authors' {@code PlattBinnerMarginalCalibrator}; the paper's analysis splits them).
 * Fitting needs at least 2 rows of 2 gold classes (for the temperature).
 */
public final class ScalingBinning {

  /** Scaling-binning's fitting: on labelled rows, with a number of bins. */
  static final MethodFit.LabelledRows FIT =
      new MethodFit.LabelledRows(
          CalibrationMethod.SCALING_BINNING,
          (data, options) ->
              options.bins().isPresent() ? fit(data, options.bins().getAsInt()) : fit(data));

  /**
   * Its saved stage: {@code temperature} (one value), {@code counts} (K: bins per label), {@code
   * edges} and {@code values} (each label's bins one label after another).
   */
  static final StageFormat FORMAT =
      new StageFormat(
          (labels, p) ->
              of(
                  labels,
                  p.single("temperature"),
                  p.perLabel(labels, "edges"),
                  p.perLabel(labels, "values")),
          "temperature",
          "counts",
          "edges",
          "values");

  /** The default number of bins B. */
  public static final int DEFAULT_BINS = 15;

  private ScalingBinning() {}

  /**
   * Fits with {@link #DEFAULT_BINS} bins.
   *
   * @throws IllegalArgumentException on fewer than 2 rows or a single gold class
   */
  public static Calibrator fit(LabelledSet data) {
    return fit(data, DEFAULT_BINS);
  }

  /**
   * Fits the temperature, then {@code bins} equal-mass bins per label.
   *
   * @throws IllegalArgumentException on fewer than 2 rows or a single gold class, or {@code bins}
   *     not in [1, {@value HistogramBinning#MAX_BINS}]
   * @throws NoFitException if its temperature step has no fit (separable or uninformative rows)
   */
  public static Calibrator fit(LabelledSet data, int bins) {
    java.util.Objects.requireNonNull(data, "data");
    checkBins(bins);
    double t =
        TemperatureScaling.fitTemperature(FitData.of(data, "scaling-binning"), "scaling-binning");
    return fit(data, t, bins);
  }

  /** The binning step with a given temperature. */
  static Calibrator fit(LabelledSet data, double temperature, int bins) {
    Calibrator scaling = TemperatureScaling.of(data.labels(), temperature);
    int k = data.labels().size();
    int n = data.size();
    double[][] s = new double[k][n];
    for (int i = 0; i < n; i++) {
      // applyInto, as the calibrator maps a row (apply() would renormalise, moving values by an
      // ulp, and a fitting row could then fall into another bin than it was fitted in)
      double[] row = data.distribution(i).toArray();
      scaling.applyInto(row, 0, row, 0);
      for (int label = 0; label < k; label++) {
        s[label][i] = row[label];
      }
    }
    double[][] edges = new double[k][];
    double[][] values = new double[k][];
    for (int label = 0; label < k; label++) {
      edges[label] = equalMassEdges(s[label], bins);
      values[label] = binMeans(s[label], edges[label]);
    }
    return new Binned(data.labels(), temperature, edges, values);
  }

  private static void checkBins(int bins) {
    if (bins < 1 || bins > HistogramBinning.MAX_BINS) {
      throw new IllegalArgumentException(
          "scaling-binning bins is "
              + bins
              + "; expected a value in [1, "
              + HistogramBinning.MAX_BINS
              + "]");
    }
  }

  /** The equal-mass edges of {@code values} (see the class comment), ending with 1.0. */
  static double[] equalMassEdges(double[] values, int bins) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    int parts = Math.min(bins, n);
    int base = n / parts;
    int extra = n % parts;
    double[] edges = new double[parts];
    int end = 0; // exclusive end of the current group
    for (int i = 0; i < parts - 1; i++) {
      end += base + (i < extra ? 1 : 0);
      edges[i] = (sorted[end - 1] + sorted[end]) / 2.0;
    }
    edges[parts - 1] = 1.0;
    return Arrays.stream(edges).sorted().distinct().toArray();
  }

  /** The number of edges below {@code c}: Python's {@code bisect_left(edges, c)}. */
  static int binOf(double c, double[] edges) {
    int lo = 0;
    int hi = edges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (edges[mid] < c) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return Math.min(lo, edges.length - 1);
  }

  private static double[] binMeans(double[] values, double[] edges) {
    double[] sum = new double[edges.length];
    long[] count = new long[edges.length];
    for (double v : values) {
      int b = binOf(v, edges);
      sum[b] += v;
      count[b]++;
    }
    double[] out = new double[edges.length];
    for (int b = 0; b < out.length; b++) {
      if (count[b] > 0) {
        out[b] = sum[b] / count[b];
      } else {
        out[b] = b == 0 ? edges[0] / 2.0 : (edges[b] + edges[b - 1]) / 2.0;
      }
    }
    return out;
  }

  /**
   * The calibrator with this temperature and these per-label bin edges and values (as {@link
   * Calibrator.ScalingBinning} returns them); copied.
   *
   * @throws IllegalArgumentException if the temperature is not valid for {@link
   *     TemperatureScaling#of}, or unless every label has equal, non-zero numbers of edges and
   *     values, the edges strictly increasing in [0, 1] and ending with 1, the values in [0, 1]
   */
  public static Calibrator of(
      LabelSet labels, double temperature, double[][] edges, double[][] values) {
    return new Binned(labels, temperature, edges, values);
  }

  /** The fitted calibrator. */
  static final class Binned extends AbstractCalibrator implements Calibrator.ScalingBinning {
    private final Calibrator scaling;
    private final double temperature;
    private final double[][] edges;
    private final double[][] values;

    Binned(LabelSet labels, double temperature, double[][] edges, double[][] values) {
      super(labels);
      this.scaling = TemperatureScaling.of(labels, temperature);
      this.temperature = temperature;
      java.util.Objects.requireNonNull(edges, "edges");
      java.util.Objects.requireNonNull(values, "values");
      Classwise.requireWidth(labels, edges, "scaling-binning", "edges");
      Classwise.requireWidth(labels, values, "scaling-binning", "values");
      this.edges = Classwise.copy(edges);
      this.values = Classwise.copy(values);
      for (int label = 0; label < k; label++) {
        check(label);
      }
      Classwise.requireProbabilities(labels, this.values, "scaling-binning");
    }

    private void check(int label) {
      double[] e = edges[label];
      String name = "scaling-binning label '" + labels.name(label) + "'";
      if (e.length == 0 || e.length != values[label].length) {
        throw new IllegalArgumentException(
            name
                + " has "
                + e.length
                + " edges and "
                + values[label].length
                + " values; expected equal, non-zero counts");
      }
      for (int j = 0; j < e.length; j++) {
        boolean increasing = j == 0 ? e[j] >= 0 : e[j] > e[j - 1];
        if (!(increasing && e[j] <= 1)) {
          throw new IllegalArgumentException(
              name
                  + " edge "
                  + j
                  + " is "
                  + e[j]
                  + "; expected strictly increasing edges in [0, 1]");
        }
      }
      if (e[e.length - 1] != 1.0) {
        throw new IllegalArgumentException(
            name + " last edge is " + e[e.length - 1] + "; expected 1.0");
      }
    }

    @Override
    void transform(double[] in, int inOffset, double[] out, int outOffset) {
      scaling.applyInto(in, inOffset, out, outOffset);
      for (int i = 0; i < k; i++) {
        out[outOffset + i] = values[i][binOf(out[outOffset + i], edges[i])];
      }
      Classwise.normalise(out, outOffset, k);
    }

    @Override
    public double temperature() {
      return temperature;
    }

    @Override
    public double[] edges(int label) {
      return edges[io.calibra.internal.Checks.index(label, k, "label")].clone();
    }

    @Override
    public double[] values(int label) {
      return values[io.calibra.internal.Checks.index(label, k, "label")].clone();
    }

    @Override
    public CalibrationMethod kind() {
      return CalibrationMethod.SCALING_BINNING;
    }

    @Override
    Map<String, double[]> parameterMap() {
      Map<String, double[]> p = new LinkedHashMap<>();
      p.put("temperature", new double[] {temperature});
      p.put("counts", Classwise.counts(edges));
      p.put("edges", Classwise.concat(edges));
      p.put("values", Classwise.concat(values));
      return p;
    }
  }
}
