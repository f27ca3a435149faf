package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inputs exactly at a boundary of the calibrate package (a threshold hit exactly, parameters at the
 * edge of their range, thresholds exactly {@link IsotonicCalibration#MERGE_EPS} apart), where an
 * off-by-one comparison gives another result. Expected values are hand computed unless stated.
 */
class CalibrateBoundariesTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  private static LabelDistribution d(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  // ---- dirichlet grid ties ----

  /**
   * An ODIR grid pair wins only when its NLL is lower by more than 1e-12 of the best one's: at a
   * best NLL of 2 the margin is 2e-12, and a value exactly that far below is still a tie; at 0.5
   * the margin is 5e-13 (hand computed).
   */
  @Test
  void odirGridTiesAreRelativeToTheBestNll() {
    double edge = 2.0 - DirichletCalibration.TIE * 2.0;
    assertThat(DirichletCalibration.lowerBeyondRounding(edge, 2.0)).isFalse();
    assertThat(DirichletCalibration.lowerBeyondRounding(Math.nextDown(edge), 2.0)).isTrue();
    assertThat(DirichletCalibration.lowerBeyondRounding(2.0 - 1e-12, 2.0)).isFalse();
    assertThat(DirichletCalibration.lowerBeyondRounding(0.5 - 1e-12, 0.5)).isTrue();
    assertThat(DirichletCalibration.lowerBeyondRounding(0.5 - 4e-13, 0.5)).isFalse();
  }

  // ---- diagonal bias correction ----

  /**
   * Bias (2^-1023, .5, .5), row (0, .125, .875): the products p_i * min / bias_i are (0, 2^-1025, 7
   * 2^-1025), whose sum is exactly Double.MIN_NORMAL, the smallest sum still taken directly. b and
   * c have the same bias, so their ratio 1 : 7 is kept: (0, .125, .875) exactly. The log-space path
   * would round it (softmax of log .25 and log 1.75 gives 0.12500000000000006 in Python).
   */
  @Test
  void aProductSumOfExactlyMinNormalIsTakenDirectly() {
    Calibrator c = BatchCalibration.fromBias(ABC, new double[] {0x1p-1023, 0.5, 0.5});
    double[] out = new double[3];
    c.applyInto(new double[] {0, 0.125, 0.875}, 0, out, 0);
    assertThat(out).containsExactly(0, 0.125, 0.875);
  }

  // ---- isotonic ----

  /**
   * PAVA pools a block with an equal neighbour: rows at x = 0.1 (i + 1) with counts {@code count}
   * and positives {@code positive} are one block, whose value is positives / rows (7/12 and 7/13,
   * correctly rounded), as scikit-learn 1.2.1's IsotonicRegression gives bit for bit (checked with
   * /usr/bin/python3). Pooling equal values in another order rounds the last bit differently.
   */
  @Test
  void isotonicPoolsEqualNeighboursAsScikitLearn() {
    assertPooled(new int[] {1, 9, 6, 8}, new int[] {1, 9, 3, 1}, 7.0 / 12);
    assertPooled(new int[] {12, 3, 10, 1}, new int[] {12, 2, 0, 0}, 7.0 / 13);
  }

  private static void assertPooled(int[] count, int[] positive, double expected) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i < count.length; i++) {
      for (int r = 0; r < count[i]; r++) {
        x.add(0.1 * (i + 1));
        y.add(r < positive[i] ? 1.0 : 0.0);
      }
    }
    double[][] fit =
        IsotonicCalibration.regression(
            x.stream().mapToDouble(Double::doubleValue).toArray(),
            y.stream().mapToDouble(Double::doubleValue).toArray());
    assertThat(fit[0]).containsExactly(0.1, 0.4);
    assertThat(fit[1]).containsExactly(expected, expected);
  }

  /**
   * numpy's interp returns fp[j] exactly at a knot xp[j]. Interpolating from the neighbouring
   * segment instead rounds: with knots (0.1, 0.1) and (0.2, 0.45), 3.5 * 0.1 + 0.1 =
   * 0.44999999999999996 (checked in Python), not 0.45.
   */
  @Test
  void interpolationAtAKnotReturnsItsValueExactly() {
    // an inner knot
    assertThat(
            IsotonicCalibration.interpolate(
                0.2, new double[] {0.1, 0.2, 0.3}, new double[] {0.1, 0.45, 0.5}))
        .isEqualTo(0.45);
    // the last knot
    assertThat(
            IsotonicCalibration.interpolate(
                0.2, new double[] {0.05, 0.1, 0.2}, new double[] {0.0, 0.1, 0.45}))
        .isEqualTo(0.45);
    // the first knot and beyond either end
    assertThat(
            IsotonicCalibration.interpolate(
                0.05, new double[] {0.05, 0.1, 0.2}, new double[] {0.0, 0.1, 0.45}))
        .isEqualTo(0.0);
    assertThat(
            IsotonicCalibration.interpolate(
                0.9, new double[] {0.05, 0.1, 0.2}, new double[] {0.0, 0.1, 0.45}))
        .isEqualTo(0.45);
  }

  /**
   * scikit-learn's _make_unique pools x values while {@code x - current_x < eps}: two values
   * exactly eps apart (0 and 1e-15; 1e-15 - 0 is exact) stay two thresholds.
   */
  @Test
  void isotonicThresholdsExactlyMergeEpsApartAreKept() {
    double eps = IsotonicCalibration.MERGE_EPS;
    double[][] fit = IsotonicCalibration.regression(new double[] {eps, 0.0}, new double[] {1, 0});
    assertThat(fit[0]).containsExactly(0.0, eps);
    assertThat(fit[1]).containsExactly(0.0, 1.0);
    // and a calibrator with such thresholds is valid
    Calibrator c =
        IsotonicCalibration.of(
            AB, new double[][] {{0.0, eps}, {0.0, eps}}, new double[][] {{0, 1}, {0, 1}});
    assertThat(((Calibrator.Isotonic) c).thresholds(0)).containsExactly(0.0, eps);
    assertThatThrownBy(
            () ->
                IsotonicCalibration.of(
                    AB,
                    new double[][] {{0.0, eps / 2}, {0.0, eps}},
                    new double[][] {{0, 1}, {0, 1}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold 1 is");
  }

  // ---- prototypical ----

  private static double[] identity(int k, double scale) {
    double[] m = new double[k * k];
    for (int i = 0; i < k; i++) {
      m[i * k + i] = scale;
    }
    return m;
  }

  private static double[] covariances(int k, double scale) {
    double[] out = new double[k * k * k];
    for (int c = 0; c < k; c++) {
      System.arraycopy(identity(k, scale), 0, out, c * k * k, k * k);
    }
    return out;
  }

  @Test
  void prototypicalParameterRanges() {
    double[] means = {-0.1, -2.0, -2.0, -0.1};
    // a mixing weight of exactly 1 is in (0, 1]; 1 + 1e-7 sums to one within 1e-6
    assertThat(PrototypicalCalibration.of(AB, new double[] {1.0, 1e-7}, means, covariances(2, 1)))
        .isNotNull();
    assertThatThrownBy(
            () -> PrototypicalCalibration.of(AB, new double[] {0.0, 1.0}, means, covariances(2, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixing weight for label 'a' is 0.0; expected a value in (0, 1]");
    // means exactly 0 and exactly LOG_FLOOR are log-probabilities in [LOG_FLOOR, 0]
    Calibrator edges =
        PrototypicalCalibration.of(
            AB,
            new double[] {0.5, 0.5},
            new double[] {0.0, Probabilities.LOG_FLOOR, Probabilities.LOG_FLOOR, 0.0},
            covariances(2, 1));
    assertThat(edges.parameters().get("means"))
        .containsExactly(0.0, Probabilities.LOG_FLOOR, Probabilities.LOG_FLOOR, 0.0);
    assertThatThrownBy(
            () ->
                PrototypicalCalibration.of(
                    AB,
                    new double[] {0.5, 0.5},
                    new double[] {Math.ulp(0.0), -1, -1, 0},
                    covariances(2, 1)))
        .hasMessageContaining("prototypical means[0] is");
  }

  @Test
  void prototypicalCovarianceChecksNameTheFault() {
    double[] mixing = {0.5, 0.5};
    double[] means = {-0.1, -2.0, -2.0, -0.1};
    double[] nanDiagonal = covariances(2, 1);
    nanDiagonal[3] = Double.NaN; // label a's (1, 1) entry
    assertThatThrownBy(() -> PrototypicalCalibration.of(AB, mixing, means, nanDiagonal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "prototypical covariance of label 'a' is not positive definite (or not finite)");
    // K = 3, label a's matrix symmetric except at (2, 1): m[7] = 0.07, m[5] = 0.05; the other
    // off-diagonal entries (0.01, 0.02) differ from both, so the message shows the right pair
    double[] cov = covariances(3, 1);
    cov[1] = 0.01;
    cov[3] = 0.01;
    cov[2] = 0.02;
    cov[6] = 0.02;
    cov[5] = 0.05;
    cov[7] = 0.07;
    double[] means3 = {-0.1, -2, -2, -2, -0.1, -2, -2, -2, -0.1};
    assertThatThrownBy(
            () -> PrototypicalCalibration.of(ABC, new double[] {0.3, 0.3, 0.4}, means3, cov))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "prototypical covariance of label 'a' is not symmetric at (2, 1): 0.07 and 0.05");
  }

  /**
   * Applying a K = 2 then a K = 3 prototypical calibrator on one fresh thread: the per-thread
   * buffer the first allocates is too small for the second and must be replaced. The output is
   * compared with another fresh thread's that applies only the K = 3 calibrator.
   */
  @Test
  void prototypicalBufferGrowsWithTheLabelCount() throws Exception {
    Calibrator two =
        PrototypicalCalibration.of(
            AB, new double[] {0.5, 0.5}, new double[] {-0.1, -2.0, -2.0, -0.1}, covariances(2, 1));
    Calibrator three =
        PrototypicalCalibration.of(
            ABC,
            new double[] {0.3, 0.3, 0.4},
            new double[] {-0.1, -2, -2, -2, -0.1, -2, -2, -2, -0.1},
            covariances(3, 1));
    LabelDistribution row3 = LabelDistribution.ofProbabilities(ABC, 0.2, 0.3, 0.5);
    LabelDistribution alone = onAFreshThread(() -> three.apply(row3));
    LabelDistribution after =
        onAFreshThread(
            () -> {
              two.apply(d(0.3));
              return three.apply(row3);
            });
    assertThat(after).isEqualTo(alone);
  }

  private static <T> T onAFreshThread(java.util.function.Supplier<T> task) throws Exception {
    Object[] result = new Object[1];
    Throwable[] error = new Throwable[1];
    Thread t =
        new Thread(
            () -> {
              try {
                result[0] = task.get();
              } catch (Throwable e) {
                error[0] = e;
              }
            });
    t.start();
    t.join();
    if (error[0] != null) {
      throw new AssertionError("the task failed", error[0]);
    }
    @SuppressWarnings("unchecked")
    T r = (T) result[0];
    return r;
  }

  /**
   * Covariance 1e-305 I: a row with log p(a) = log 1e-300 = -690.8 is (690.8)^2 / 1e-305 = 4.8e310
   * away in squared Mahalanobis distance from both means (0, 0): both log-densities overflow to
   * -infinity, which must be an error, not a NaN row.
   */
  @Test
  void prototypicalRowTooFarFromEveryComponentIsAnError() {
    Calibrator c =
        PrototypicalCalibration.of(
            AB, new double[] {0.5, 0.5}, new double[] {0, 0, 0, 0}, covariances(2, 1e-305));
    assertThatThrownBy(() -> c.apply(LabelDistribution.ofProbabilities(AB, 1e-300, 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the row is too far from every component");
  }

  // ---- scaling ----

  @Test
  void scalingKindsReportWhetherTheyAreDiagonal() {
    Calibrator vector = VectorScaling.of(AB, new double[] {1, 1}, new double[] {0, 0});
    Calibrator matrix = MatrixScaling.of(AB, new double[] {1, 0, 0, 1}, new double[] {0, 0});
    assertThat(((Calibrator.Scaling) vector).diagonal()).isTrue();
    assertThat(((Calibrator.Scaling) matrix).diagonal()).isFalse();
  }

  /** Overlapping classes (gold not a function of p), so even unregularised fits are bounded. */
  static LabelledSet overlapping() {
    List<LabelDistribution> ds = new ArrayList<>();
    int[] gold = {0, 1, 0, 1, 1, 0, 0, 1};
    double[] pa = {0.8, 0.7, 0.6, 0.55, 0.4, 0.35, 0.3, 0.2};
    for (double p : pa) {
      ds.add(d(p));
    }
    return LabelledSet.of(ds, gold);
  }

  @Test
  void odirStrengthsZeroAcceptedInfinityRefused() {
    LabelledSet data = overlapping();
    assertThat(DirichletCalibration.fit(data, 0.0, 0.0).kind())
        .isEqualTo(CalibrationMethod.DIRICHLET);
    assertThatThrownBy(() -> DirichletCalibration.fit(data, Double.POSITIVE_INFINITY, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ODIR lambda is Infinity; expected a finite value >= 0");
    assertThatThrownBy(() -> DirichletCalibration.fit(data, 0.0, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ODIR mu is Infinity; expected a finite value >= 0");
  }

  /**
   * Uniform rows: softmax(log p / T) is uniform for every T, so the NLL is log 2 for every
   * temperature and no temperature improves on 1: the fit keeps exactly 1.
   */
  @Test
  void temperatureRefusesRowsOnWhichEveryTemperatureIsAlike() {
    // every row uniform: the NLL is log 2 whatever T, so T is not identified
    LabelledSet uniform =
        LabelledSet.of(List.of(d(0.5), d(0.5), d(0.5), d(0.5)), new int[] {0, 1, 0, 1});
    assertThatThrownBy(() -> TemperatureScaling.fit(uniform))
        .isInstanceOf(NoFitException.class)
        .hasMessageContaining("carry no information about the labels");
  }

  @Test
  void scalingBinningAcceptsTheMostBins() {
    LabelledSet data = overlapping();
    Calibrator c = ScalingBinning.fit(data, HistogramBinning.MAX_BINS);
    // 8 rows: at most 8 equal-mass bins per label whatever the requested count
    assertThat(((Calibrator.ScalingBinning) c).edges(0).length).isLessThanOrEqualTo(8);
  }
}
