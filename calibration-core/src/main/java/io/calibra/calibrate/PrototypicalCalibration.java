package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Prototypical calibration (Han et al. 2022, "Prototypical Calibration for Few-shot Learning of
 * Language Models", ICLR 2023): a K-component Gaussian mixture is fitted by EM to the {@code log p}
 * of an unlabelled batch, its components are matched to the labels by the Hungarian method on their
 * means (the matching maximises the sum over labels of the matched component's mean {@code log
 * p_k}), and a row is calibrated to the mixture posterior: {@code q_k} is the posterior probability
 * of the component matched to label k.
 *
 * <p>The fit, with a seed:
 *
 * <ul>
 *   <li>Features: {@code x = log p}, each entry floored at {@link Probabilities#LOG_FLOOR}.
 *   <li>Start: K means chosen by k-means++ seeding (the first row uniformly at random with {@code
 *       new java.util.Random(seed)}, each next with probability proportional to its squared
 *       distance to the nearest mean chosen so far: {@code nextDouble() * total}, walking the rows
 *       in order), every covariance the covariance of all rows plus the regularisation below, equal
 *       mixing weights.
 *   <li>EM: an E-step (responsibilities and the mean log-likelihood {@code L}), then an M-step
 *       (weights {@code N_k / n}, means, covariances {@code sum r (x - mu)(x - mu)^T / N_k +
 *       }{@value #COVARIANCE_REGULARISATION}{@code I}, with {@code N_k} the responsibilities' sum
 *       plus {@code 10 * 2^-52}, as scikit-learn's {@code GaussianMixture}), until {@code L}
 *       changes by less than {@value #TOLERANCE} or after {@value #MAX_ITERATIONS} iterations.
 * </ul>
 *
 * <p>The covariance regularisation: EM covariances are singular whenever a component's rows lie in
 * a lower-dimensional set (duplicated rows, a component collapsing on one point, or two labels
 * whose log-probabilities move together), and Commons Math's {@code
 * MultivariateNormalMixtureExpectationMaximization} then fails (it has no way to regularise, and no
 * seeded start), hence this implementation. Adding {@value #COVARIANCE_REGULARISATION} to every
 * diagonal entry (scikit-learn's default {@code reg_covar}) keeps each covariance positive
 * definite.
 *
 * <p>It needs only unlabelled rows: at least K distinct ones. Stateless and thread-safe; the
 * calibrators are immutable.
 */
public final class PrototypicalCalibration {

  /** Prototypical calibration's fitting: on unlabelled rows, with a seed. */
  static final MethodFit.UnlabelledRows FIT =
      new MethodFit.UnlabelledRows(
          CalibrationMethod.PROTOTYPICAL,
          (rows, options) ->
              fit(rows, options.seed().orElse(PrototypicalCalibration.DEFAULT_SEED)));

  /**
   * Its saved stage: {@code mixing} (K), {@code means} (K x K, component k's mean in row k) and
   * {@code covariances} (K x K x K, component k's matrix k-th).
   */
  static final StageFormat FORMAT =
      new StageFormat(
          (labels, p) ->
              of(labels, p.required("mixing"), p.required("means"), p.required("covariances")),
          "mixing",
          "means",
          "covariances");

  /** The seed of prototypical fitting ({@link CalibrationMethod#fitting()}). */
  public static final long DEFAULT_SEED = 0;

  /** Added to the diagonal of every fitted covariance. */
  public static final double COVARIANCE_REGULARISATION = 1e-6;

  /** EM stops when the mean log-likelihood changes by less than this. */
  public static final double TOLERANCE = 1e-10;

  /** EM stops after this many iterations. */
  public static final int MAX_ITERATIONS = 1000;

  private PrototypicalCalibration() {}

  /**
   * Fits the mixture on {@code rows} with seed {@code seed}, as the class comment says.
   *
   * @throws IllegalArgumentException if the rows are fewer than K distinct ones, or mix label sets
   */
  public static Calibrator fit(List<LabelDistribution> rows, long seed) {
    double[][] x = features(rows);
    int k = rows.get(0).labels().size();
    return fitFrom(rows.get(0).labels(), x, initialMeans(x, k, seed));
  }

  /**
   * A prototypical calibrator with known parameters, kept exactly: component k is label k's.
   *
   * @param mixing the K mixing weights, each in (0, 1], summing to one within 1e-6
   * @param means K x K, component k's mean in row k; each entry in [{@link
   *     Probabilities#LOG_FLOOR}, 0]
   * @param covariances K x K x K, component k's row-major covariance k-th; each symmetric and
   *     positive definite
   * @throws IllegalArgumentException naming the first bad parameter
   */
  public static Calibrator of(
      LabelSet labels, double[] mixing, double[] means, double[] covariances) {
    java.util.Objects.requireNonNull(labels, "labels");
    java.util.Objects.requireNonNull(mixing, "mixing");
    java.util.Objects.requireNonNull(means, "means");
    java.util.Objects.requireNonNull(covariances, "covariances");
    return new Fitted(labels, mixing, means, covariances);
  }

  static double[][] features(List<LabelDistribution> rows) {
    java.util.Objects.requireNonNull(rows, "rows");
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "prototypical calibration needs unlabelled rows to fit; found none");
    }
    LabelSet labels = rows.get(0).labels();
    int k = labels.size();
    double[][] x = new double[rows.size()][k];
    for (int i = 0; i < rows.size(); i++) {
      labels.requireSame(rows.get(i).labels(), "prototypical calibration row " + i);
      for (int j = 0; j < k; j++) {
        x[i][j] = Probabilities.flooredLog(rows.get(i).probability(j));
      }
    }
    return x;
  }

  /** k-means++ seeding, as the class comment says. */
  static double[][] initialMeans(double[][] x, int k, long seed) {
    int n = x.length;
    Random random = new Random(seed);
    double[][] means = new double[k][];
    means[0] = x[random.nextInt(n)].clone();
    double[] nearest = new double[n];
    for (int i = 0; i < n; i++) {
      nearest[i] = squaredDistance(x[i], means[0]);
    }
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (double d : nearest) {
        total += d;
      }
      if (!(total > 0)) {
        throw new IllegalArgumentException(
            "prototypical calibration needs at least "
                + k
                + " distinct rows (one per label) to fit; found "
                + c);
      }
      double target = random.nextDouble() * total;
      int chosen = -1;
      double cumulative = 0;
      for (int i = 0; i < n; i++) {
        if (nearest[i] > 0) {
          chosen = i;
          cumulative += nearest[i];
          if (cumulative > target) {
            break;
          }
        }
      }
      means[c] = x[chosen].clone();
      for (int i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i], squaredDistance(x[i], means[c]));
      }
    }
    return means;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double d = a[j] - b[j];
      s += d * d;
    }
    return s;
  }

  /** The EM fit from given initial means, then the Hungarian matching (golden tests). */
  static Fitted fitFrom(LabelSet labels, double[][] x, double[][] initialMeans) {
    Em em = em(x, initialMeans);
    int k = labels.size();
    double[][] cost = new double[k][k];
    for (int c = 0; c < k; c++) {
      for (int label = 0; label < k; label++) {
        cost[c][label] = -em.means[c][label];
      }
    }
    int[] labelOf = Hungarian.minimise(cost);
    double[] mixing = new double[k];
    double[] means = new double[k * k];
    double[] covariances = new double[k * k * k];
    for (int c = 0; c < k; c++) {
      int label = labelOf[c];
      mixing[label] = em.weights[c];
      System.arraycopy(em.means[c], 0, means, label * k, k);
      System.arraycopy(em.covariances[c], 0, covariances, label * k * k, k * k);
    }
    return new Fitted(labels, mixing, means, covariances);
  }

  /**
   * The EM result, components in EM order; {@code logLikelihood} is the mean log-likelihood per row
   * at the last E-step (scikit-learn's {@code lower_bound_}).
   */
  record Em(
      double[] weights,
      double[][] means,
      double[][] covariances,
      int iterations,
      double logLikelihood) {}

  static Em em(double[][] x, double[][] initialMeans) {
    return em(x, initialMeans, MAX_ITERATIONS, TOLERANCE);
  }

  /** {@link #em(double[][], double[][])} with an iteration budget and tolerance (tests). */
  static Em em(double[][] x, double[][] initialMeans, int maxIterations, double tolerance) {
    int n = x.length;
    int k = initialMeans.length;
    double[] weights = new double[k];
    double[][] means = new double[k][];
    double[][] covariances = new double[k][];
    double[] overall = covariance(x, null, mean(x, null));
    for (int c = 0; c < k; c++) {
      weights[c] = 1.0 / k;
      means[c] = initialMeans[c].clone();
      covariances[c] = overall.clone();
    }
    double[][] resp = new double[n][k];
    double previous = Double.NaN;
    double ll = Double.NaN;
    int iteration = 0;
    while (iteration < maxIterations) {
      iteration++;
      ll = eStep(x, weights, means, covariances, resp);
      for (int c = 0; c < k; c++) {
        double[] r = new double[n];
        double nk = 10 * Math.ulp(1.0);
        for (int i = 0; i < n; i++) {
          r[i] = resp[i][c];
          nk += r[i];
        }
        weights[c] = nk / n;
        means[c] = mean(x, r);
        covariances[c] = covariance(x, r, means[c]);
      }
      if (Math.abs(ll - previous) < tolerance) {
        break;
      }
      previous = ll;
    }
    // the weights sum to 1 + 10 k 2^-52 / n: renormalise so they are a distribution
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    for (int c = 0; c < k; c++) {
      weights[c] /= sum;
    }
    return new Em(weights, means, covariances, iteration, ll);
  }

  /** The weighted mean of the rows (weights r, or all one when null), with N_k as the M-step. */
  private static double[] mean(double[][] x, double[] r) {
    int k = x[0].length;
    double[] m = new double[k];
    double total = r == null ? x.length : 10 * Math.ulp(1.0);
    if (r != null) {
      for (double v : r) {
        total += v;
      }
    }
    for (int i = 0; i < x.length; i++) {
      double w = r == null ? 1.0 : r[i];
      for (int j = 0; j < k; j++) {
        m[j] += w * x[i][j];
      }
    }
    for (int j = 0; j < k; j++) {
      m[j] /= total;
    }
    return m;
  }

  /** The weighted covariance about {@code m}, plus the regularisation on the diagonal. */
  private static double[] covariance(double[][] x, double[] r, double[] m) {
    int k = m.length;
    double[] s = new double[k * k];
    double total = r == null ? x.length : 10 * Math.ulp(1.0);
    if (r != null) {
      for (double v : r) {
        total += v;
      }
    }
    double[] d = new double[k];
    for (int i = 0; i < x.length; i++) {
      double w = r == null ? 1.0 : r[i];
      for (int j = 0; j < k; j++) {
        d[j] = x[i][j] - m[j];
      }
      for (int a = 0; a < k; a++) {
        double wa = w * d[a];
        for (int b = a; b < k; b++) {
          s[a * k + b] += wa * d[b];
        }
      }
    }
    for (int a = 0; a < k; a++) {
      for (int b = a; b < k; b++) {
        s[a * k + b] /= total;
        s[b * k + a] = s[a * k + b]; // symmetric exactly
      }
    }
    for (int a = 0; a < k; a++) {
      s[a * k + a] += COVARIANCE_REGULARISATION;
    }
    return s;
  }

  /** Writes the responsibilities into {@code resp}; returns the mean log-likelihood. */
  private static double eStep(
      double[][] x, double[] weights, double[][] means, double[][] covariances, double[][] resp) {
    int k = weights.length;
    double[][] chol = new double[k][];
    double[] logNorm = new double[k];
    for (int c = 0; c < k; c++) {
      chol[c] = Cholesky.lower(covariances[c], k, 0.0);
      if (chol[c] == null) {
        throw new IllegalArgumentException(
            "prototypical calibration: EM component "
                + c
                + "'s covariance is not positive definite (or not finite); expected rows whose"
                + " log-probabilities are finite and spread");
      }
      logNorm[c] = Math.log(weights[c]) + logNormaliser(chol[c], k);
    }
    double[] y = new double[k];
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      for (int c = 0; c < k; c++) {
        resp[i][c] = logNorm[c] - 0.5 * mahalanobis(chol[c], k, x[i], 0, means[c], 0, y);
      }
      double lse = Probabilities.logSumExp(resp[i], 0, k);
      total += lse;
      for (int c = 0; c < k; c++) {
        resp[i][c] = Math.exp(resp[i][c] - lse);
      }
    }
    return total / x.length;
  }

  /** {@code -0.5 K log(2 pi) - sum log L_jj}: the log-density's constant. */
  static double logNormaliser(double[] chol, int k) {
    double s = -0.5 * k * Math.log(2 * Math.PI);
    for (int j = 0; j < k; j++) {
      s -= Math.log(chol[j * k + j]);
    }
    return s;
  }

  /** {@code |L^-1 (x - mu)|^2} by forward substitution, using {@code y} as scratch. */
  static double mahalanobis(
      double[] chol, int k, double[] x, int xOff, double[] mu, int muOff, double[] y) {
    return mahalanobis(chol, 0, k, x, xOff, mu, muOff, y, 0);
  }

  /** As above, with the factor at {@code cOff} in {@code chol} and scratch at {@code yOff}. */
  static double mahalanobis(
      double[] chol,
      int cOff,
      int k,
      double[] x,
      int xOff,
      double[] mu,
      int muOff,
      double[] y,
      int yOff) {
    double s = 0;
    for (int a = 0; a < k; a++) {
      double v = x[xOff + a] - mu[muOff + a];
      for (int b = 0; b < a; b++) {
        v -= chol[cOff + a * k + b] * y[yOff + b];
      }
      double ya = v / chol[cOff + a * k + a];
      y[yOff + a] = ya;
      s += ya * ya;
    }
    return s;
  }

  /** A fitted (or loaded) prototypical calibrator: component k is label k's. */
  static final class Fitted extends AbstractCalibrator implements Calibrator.Mixture {
    private final double[] mixing;
    private final double[] means;
    private final double[] covariances;
    private final double[] chol; // K factors of K x K
    private final double[] logNorm; // log mixing + log-density constant, per component

    Fitted(LabelSet labels, double[] mixing, double[] means, double[] covariances) {
      super(labels);
      if (mixing.length != k || means.length != k * k || covariances.length != k * k * k) {
        throw new IllegalArgumentException(
            "prototypical calibration for "
                + k
                + " labels expects "
                + k
                + " mixing weights, "
                + (k * k)
                + " means and "
                + (k * k * k)
                + " covariance entries; found "
                + mixing.length
                + ", "
                + means.length
                + " and "
                + covariances.length);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        if (!(mixing[c] > 0 && mixing[c] <= 1)) {
          throw new IllegalArgumentException(
              "prototypical mixing weight for label '"
                  + labels.name(c)
                  + "' is "
                  + mixing[c]
                  + "; expected a value in (0, 1]");
        }
        sum += mixing[c];
      }
      if (!(Math.abs(sum - 1) <= Probabilities.SUM_TOLERANCE)) {
        throw new IllegalArgumentException(
            "prototypical mixing weights sum to " + sum + "; expected 1 within 1e-6");
      }
      for (int i = 0; i < means.length; i++) {
        if (!(means[i] >= Probabilities.LOG_FLOOR && means[i] <= 0)) {
          throw new IllegalArgumentException(
              "prototypical means["
                  + i
                  + "] is "
                  + means[i]
                  + "; expected a log-probability in ["
                  + Probabilities.LOG_FLOOR
                  + ", 0]");
        }
      }
      this.mixing = mixing.clone();
      this.means = means.clone();
      this.covariances = covariances.clone();
      this.chol = new double[k * k * k];
      this.logNorm = new double[k];
      for (int c = 0; c < k; c++) {
        double[] m = java.util.Arrays.copyOfRange(this.covariances, c * k * k, (c + 1) * k * k);
        for (int a = 0; a < k; a++) {
          for (int b = 0; b < a; b++) {
            if (m[a * k + b] != m[b * k + a]) {
              throw new IllegalArgumentException(
                  "prototypical covariance of label '"
                      + labels.name(c)
                      + "' is not symmetric at ("
                      + a
                      + ", "
                      + b
                      + "): "
                      + m[a * k + b]
                      + " and "
                      + m[b * k + a]);
            }
          }
        }
        double[] l = Cholesky.lower(m, k, 0.0);
        if (l == null) {
          throw new IllegalArgumentException(
              "prototypical covariance of label '"
                  + labels.name(c)
                  + "' is not positive definite (or not finite)");
        }
        System.arraycopy(l, 0, chol, c * k * k, k * k);
        logNorm[c] = Math.log(this.mixing[c]) + logNormaliser(l, k);
      }
    }

    @Override
    void transform(double[] in, int inOffset, double[] out, int outOffset) {
      double[] scratch = SCRATCH.get();
      if (scratch == null || scratch.length < 3 * k) {
        scratch = new double[3 * k];
        SCRATCH.set(scratch);
      }
      for (int j = 0; j < k; j++) {
        scratch[j] = Probabilities.flooredLog(in[inOffset + j]);
      }
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double score =
            logNorm[c]
                - 0.5 * mahalanobis(chol, c * k * k, k, scratch, 0, means, c * k, scratch, 2 * k);
        scratch[k + c] = score;
        best = Math.max(best, score);
      }
      if (!(best > Double.NEGATIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "prototypical calibration: the row is too far from every component (its log-densities"
                + " overflow); expected a row near the fitted mixture");
      }
      System.arraycopy(scratch, k, out, outOffset, k);
      Probabilities.softmaxInto(out, outOffset, k, out, outOffset);
    }

    private static final ThreadLocal<double[]> SCRATCH = new ThreadLocal<>();

    @Override
    public CalibrationMethod kind() {
      return CalibrationMethod.PROTOTYPICAL;
    }

    @Override
    public double[] mixingWeights() {
      return mixing.clone();
    }

    @Override
    public double[] mean(int c) {
      java.util.Objects.checkIndex(c, k);
      return java.util.Arrays.copyOfRange(means, c * k, (c + 1) * k);
    }

    @Override
    public double[] covariance(int c) {
      java.util.Objects.checkIndex(c, k);
      return java.util.Arrays.copyOfRange(covariances, c * k * k, (c + 1) * k * k);
    }

    @Override
    Map<String, double[]> parameterMap() {
      Map<String, double[]> p = new LinkedHashMap<>();
      p.put("mixing", mixing.clone());
      p.put("means", means.clone());
      p.put("covariances", covariances.clone());
      return p;
    }
  }
}
