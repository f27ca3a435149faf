package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classwise isotonic regression (Zadrozny and Elkan 2002): for each label k, the non-decreasing map
 * of {@code p_k} that best fits {@code 1[y = k]} in least squares, then the row normalised.
 *
 * <p>Each label's map is exactly scikit-learn 1.2's {@code IsotonicRegression(increasing=True,
 * out_of_bounds="clip", y_min=0, y_max=1)} fitted on {@code (p_k, 1[y = k])} with unit weights:
 *
 * <ol>
 *   <li>the pairs are sorted by {@code p_k} (then target); runs of values that differ from the
 *       run's first value by less than {@value #MERGE_EPS} (numpy's {@code
 *       finfo(float64).resolution}, as its {@code _make_unique}) are pooled into one point, their
 *       target the weighted mean;
 *   <li>pool-adjacent-violators on the pooled points, merging a block into the next when its value
 *       is not below the next's (ties pooled), exactly as its {@code
 *       _inplace_contiguous_isotonic_regression}; the values are then clipped to [0, 1];
 *   <li>of a run of equal fitted values only the first and last points are kept (the {@link
 *       Calibrator.Isotonic#thresholds thresholds}).
 * </ol>
 *
 * <p>A value is mapped as numpy's {@code interp}: clipped to the first and last thresholds, then
 * linear between the two thresholds around it ({@code slope * (x - x_j) + y_j}, and {@code y_j}
 * itself at {@code x = x_j}); one threshold gives a constant. The K mapped values are divided by
 * their sum; a row of zeros becomes uniform.
 *
 * <p>Fitting needs at least one labelled row; a label that is never (or always) gold maps every
 * value to 0 (or 1).
 */
public final class IsotonicCalibration {

  /** Isotonic regression's fitting: on labelled rows. */
  static final MethodFit.LabelledRows FIT =
      new MethodFit.LabelledRows(CalibrationMethod.ISOTONIC, (data, options) -> fit(data));

  /**
   * Its saved stage: {@code counts} (K: thresholds per label), {@code thresholds} and {@code
   * values} (each label's points one label after another).
   */
  static final StageFormat FORMAT =
      new StageFormat(
          (labels, p) -> of(labels, p.perLabel(labels, "thresholds"), p.perLabel(labels, "values")),
          "counts",
          "thresholds",
          "values");

  /** Values closer than this to the first of their run are pooled (numpy float64 resolution). */
  public static final double MERGE_EPS = 1e-15;

  private IsotonicCalibration() {}

  /**
   * Fits the classwise isotonic maps on a labelled set.
   *
   * <p>(A {@link LabelledSet} has at least one row.)
   */
  public static Calibrator fit(LabelledSet data) {
    java.util.Objects.requireNonNull(data, "data");
    int k = data.labels().size();
    int[] gold = data.goldArray();
    double[][] thresholds = new double[k][];
    double[][] values = new double[k][];
    for (int label = 0; label < k; label++) {
      double[] y = new double[gold.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = gold[i] == label ? 1.0 : 0.0;
      }
      double[][] fitted = regression(Classwise.column(data, label), y);
      thresholds[label] = fitted[0];
      values[label] = fitted[1];
    }
    return new Isotonic(data.labels(), thresholds, values);
  }

  /**
   * The calibrator with these per-label thresholds and values (as {@link
   * Calibrator.Isotonic#thresholds} and {@link Calibrator.Isotonic#values} return them); copied.
   *
   * @throws IllegalArgumentException unless there is one non-empty array of each per label, of
   *     equal lengths, the thresholds finite and each at least {@value #MERGE_EPS} above the one
   *     before, the values in [0, 1] and non-decreasing
   */
  public static Calibrator of(LabelSet labels, double[][] thresholds, double[][] values) {
    return new Isotonic(labels, thresholds, values);
  }

  /**
   * scikit-learn 1.2's {@code IsotonicRegression(increasing=True, y_min=0, y_max=1)} fit on {@code
   * (x, y)} with unit weights: returns its {@code X_thresholds_} and {@code y_thresholds_}.
   */
  static double[][] regression(double[] x, double[] y) {
    int n = x.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // np.lexsort((y, X)): by X, then y; stable
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Double.compare(x[a], x[b]);
          return c != 0 ? c : Double.compare(y[a], y[b]);
        });
    // _make_unique: pool values within MERGE_EPS of the first of their run
    double[] ux = new double[n];
    double[] uy = new double[n];
    double[] uw = new double[n];
    int m = 0;
    double currentX = x[order[0]];
    double currentY = 0;
    double currentW = 0;
    for (int j = 0; j < n; j++) {
      double xj = x[order[j]];
      double yj = y[order[j]];
      if (xj - currentX >= MERGE_EPS) {
        ux[m] = currentX;
        uw[m] = currentW;
        uy[m] = currentY / currentW;
        m++;
        currentX = xj;
        currentW = 1.0;
        currentY = yj;
      } else {
        currentW += 1.0;
        currentY += yj;
      }
    }
    ux[m] = currentX;
    uw[m] = currentW;
    uy[m] = currentY / currentW;
    m++;
    pava(uy, uw, m);
    for (int i = 0; i < m; i++) {
      uy[i] = Math.min(Math.max(uy[i], 0.0), 1.0);
    }
    // keep the first and last point and every point whose value differs from a neighbour's
    double[] tx = new double[m];
    double[] ty = new double[m];
    int t = 0;
    for (int i = 0; i < m; i++) {
      boolean keep = i == 0 || i == m - 1 || uy[i - 1] != uy[i] || uy[i] != uy[i + 1];
      if (keep) {
        tx[t] = ux[i];
        ty[t] = uy[i];
        t++;
      }
    }
    return new double[][] {Arrays.copyOf(tx, t), Arrays.copyOf(ty, t)};
  }

  /**
   * scikit-learn's {@code _inplace_contiguous_isotonic_regression} on the first {@code n} values:
   * single-pass pool-adjacent-violators with backtracking; {@code y} becomes the fit.
   */
  private static void pava(double[] y, double[] w, int n) {
    int[] target = new int[n];
    for (int i = 0; i < n; i++) {
      target[i] = i;
    }
    int i = 0;
    while (i < n) {
      int k = target[i] + 1;
      if (k == n) {
        break;
      }
      if (y[i] < y[k]) {
        i = k;
        continue;
      }
      double sumWy = w[i] * y[i];
      double sumW = w[i];
      while (true) {
        double prevY = y[k];
        sumWy += w[k] * y[k];
        sumW += w[k];
        k = target[k] + 1;
        if (k == n || prevY < y[k]) {
          y[i] = sumWy / sumW;
          w[i] = sumW;
          target[i] = k - 1;
          target[k - 1] = i;
          if (i > 0) {
            i = target[i - 1];
          }
          break;
        }
      }
    }
    i = 0;
    while (i < n) {
      int k = target[i] + 1;
      Arrays.fill(y, i + 1, k, y[i]);
      i = k;
    }
  }

  /** numpy's {@code interp(v, xp, fp)} for strictly increasing {@code xp} (finite slopes). */
  static double interpolate(double v, double[] xp, double[] fp) {
    int last = xp.length - 1;
    if (v <= xp[0]) {
      return fp[0];
    }
    if (v >= xp[last]) {
      return fp[last];
    }
    // the largest j with xp[j] <= v; here 0 <= j < last
    int lo = 0;
    int hi = last;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (xp[mid] <= v) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    if (xp[lo] == v) {
      return fp[lo];
    }
    double slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
    return slope * (v - xp[lo]) + fp[lo];
  }

  /** The fitted maps. */
  static final class Isotonic extends AbstractCalibrator implements Calibrator.Isotonic {
    private final double[][] thresholds;
    private final double[][] values;

    Isotonic(LabelSet labels, double[][] thresholds, double[][] values) {
      super(labels);
      java.util.Objects.requireNonNull(thresholds, "thresholds");
      java.util.Objects.requireNonNull(values, "values");
      Classwise.requireWidth(labels, thresholds, "isotonic calibration", "thresholds");
      Classwise.requireWidth(labels, values, "isotonic calibration", "values");
      this.thresholds = Classwise.copy(thresholds);
      this.values = Classwise.copy(values);
      for (int label = 0; label < k; label++) {
        check(label);
      }
    }

    private void check(int label) {
      double[] x = thresholds[label];
      double[] y = values[label];
      String name = "isotonic calibration label '" + labels.name(label) + "'";
      if (x.length == 0 || x.length != y.length) {
        throw new IllegalArgumentException(
            name
                + " has "
                + x.length
                + " thresholds and "
                + y.length
                + " values; expected equal, non-zero counts");
      }
      for (int j = 0; j < x.length; j++) {
        if (!Double.isFinite(x[j])) {
          throw new IllegalArgumentException(
              name + " threshold " + j + " is " + x[j] + "; expected a finite value");
        }
        if (j > 0 && !(x[j] - x[j - 1] >= MERGE_EPS)) {
          throw new IllegalArgumentException(
              name
                  + " threshold "
                  + j
                  + " is "
                  + x[j]
                  + " after "
                  + x[j - 1]
                  + "; expected thresholds increasing by at least "
                  + MERGE_EPS);
        }
        if (!(y[j] >= 0 && y[j] <= 1)) {
          throw new IllegalArgumentException(
              name + " value " + j + " is " + y[j] + "; expected a value in [0, 1]");
        }
        if (j > 0 && y[j] < y[j - 1]) {
          throw new IllegalArgumentException(
              name
                  + " value "
                  + j
                  + " is "
                  + y[j]
                  + " after "
                  + y[j - 1]
                  + "; expected non-decreasing values");
        }
      }
    }

    @Override
    void transform(double[] in, int inOffset, double[] out, int outOffset) {
      for (int i = 0; i < k; i++) {
        out[outOffset + i] = interpolate(in[inOffset + i], thresholds[i], values[i]);
      }
      Classwise.normalise(out, outOffset, k);
    }

    @Override
    public double[] thresholds(int label) {
      return thresholds[io.calibra.internal.Checks.index(label, k, "label")].clone();
    }

    @Override
    public double[] values(int label) {
      return values[io.calibra.internal.Checks.index(label, k, "label")].clone();
    }

    @Override
    public CalibrationMethod kind() {
      return CalibrationMethod.ISOTONIC;
    }

    @Override
    Map<String, double[]> parameterMap() {
      Map<String, double[]> p = new LinkedHashMap<>();
      p.put("counts", Classwise.counts(thresholds));
      p.put("thresholds", Classwise.concat(thresholds));
      p.put("values", Classwise.concat(values));
      return p;
    }
  }
}
