package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.RandomData;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties over seeded random inputs; expected values follow from the definitions. */
class CalibratorPropertiesTest {

  static IntStream labelCounts() {
    return IntStream.rangeClosed(2, 50);
  }

  static IntStream seeds() {
    return IntStream.range(0, 200);
  }

  static Stream<Integer> fitSeeds() {
    return IntStream.range(0, 100).boxed();
  }

  /**
   * Zhao et al.: the diagonal correction maps p_cf itself to uniform. 10 cases per K, 490 in all.
   */
  @ParameterizedTest(name = "K={0}")
  @MethodSource("labelCounts")
  void contextualMapsContentFreeDistributionToUniform(int k) {
    Random random = new Random(1000L + k);
    LabelSet labels = RandomData.labels(k);
    for (int trial = 0; trial < 10; trial++) {
      List<LabelDistribution> contentFree = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        contentFree.add(RandomData.distribution(labels, random, 0.5 + 4 * random.nextDouble()));
      }
      Calibrator c = ContextualCalibration.fit(contentFree);
      LabelDistribution pcf = ContextualCalibration.estimateBias(contentFree);
      double[] q = c.apply(pcf).toArray();
      for (int j = 0; j < k; j++) {
        assertThat(q[j])
            .as("K=%d trial %d label %d", k, trial, j)
            .isCloseTo(1.0 / k, within(1e-12));
      }
    }
  }

  /**
   * The fitted calibrator, or, when the rows are separable in its family and the fit refuses, a
   * vector-scaling map with random weights in [0.5, 3) (its outputs are checked all the same).
   */
  private static Calibrator fittedOr(
      java.util.function.Supplier<Calibrator> fit, LabelSet labels, Random random) {
    try {
      return fit.get();
    } catch (NoFitException e) {
      double[] w = new double[labels.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = 0.5 + 2.5 * random.nextDouble();
      }
      return VectorScaling.of(labels, w, new double[labels.size()]);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyCalibratorOutputsAValidDistribution(int seed) {
    Random random = new Random(seed);
    int k = 2 + random.nextInt(12);
    LabelSet labels = RandomData.labels(k);
    LabelledSet fitSet = RandomData.labelledSet(labels, 40, random);
    List<LabelDistribution> unlabelled = RandomData.labelledSet(labels, 30, random).distributions();
    List<Calibrator> calibrators =
        List.of(
            ContextualCalibration.fit(unlabelled.subList(0, 3)),
            ContextualCalibration.fit(
                unlabelled.subList(0, 3), ContextualCalibration.Form.SUBTRACTIVE),
            DomainContextCalibration.fit(unlabelled.subList(3, 23)),
            BatchCalibration.fit(unlabelled),
            TemperatureScaling.of(labels, 0.05 + 5 * random.nextDouble()),
            fittedOr(() -> VectorScaling.fit(fitSet), labels, random),
            fittedOr(() -> MatrixScaling.fit(fitSet), labels, random),
            ContextualCalibration.fit(unlabelled.subList(0, 3))
                .andThen(fittedOr(() -> TemperatureScaling.fit(fitSet), labels, random)));
    // Inputs include peaked rows with probabilities near 0 and exact zeros.
    List<LabelDistribution> inputs = new ArrayList<>(unlabelled);
    double[] peaked = new double[k];
    peaked[random.nextInt(k)] = 1.0;
    inputs.add(LabelDistribution.ofProbabilities(labels, peaked));
    inputs.add(RandomData.distribution(labels, random, 300));
    for (Calibrator c : calibrators) {
      for (LabelDistribution p : inputs) {
        double[] q = c.apply(p).toArray();
        double sum = 0;
        for (double v : q) {
          assertThat(v).as("%s on %s", c.method(), p).isBetween(0.0, 1.0);
          sum += v;
        }
        assertThat(sum).as("%s on %s", c.method(), p).isCloseTo(1.0, within(1e-12));
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("fitSeeds")
  void temperatureFitNeverRaisesNllOnItsFittingSet(int seed) {
    Random random = new Random(seed);
    LabelSet labels = RandomData.labels(2 + random.nextInt(8));
    LabelledSet data = RandomData.labelledSet(labels, 10 + random.nextInt(200), random);
    Calibrator t = TemperatureScaling.fit(data);
    double before = RandomData.exactNll(data);
    double after =
        RandomData.exactNll(LabelledSet.of(t.applyAll(data.distributions()), data.goldArray()));
    assertThat(after).isLessThanOrEqualTo(before + 1e-12);
  }

  /**
   * The returned parameters are a stationary point of the regularised objective: its gradient,
   * evaluated afresh at the parameters the calibrator reports (the gradient itself is checked
   * against scipy and finite differences in ScalingFitGoldenTest), is at most 1e-8. This fails on
   * an optimiser that stops early, which the comparison with temperature scaling (the fit starts
   * there) cannot notice.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("fitSeeds")
  void vectorAndMatrixFitsAreStationaryPointsOfTheirObjective(int seed) {
    Random random = new Random(seed);
    LabelSet labels = RandomData.labels(2 + random.nextInt(8));
    LabelledSet data = RandomData.labelledSet(labels, 20 + random.nextInt(200), random);
    FitData fitData = FitData.of(data, "test");
    double w0;
    try {
      w0 = 1.0 / TemperatureScaling.fitTemperature(fitData);
    } catch (NoFitException e) {
      // separable or uninformative random rows: the start does not exist, nor do the fits
      assertThatThrownBy(() -> VectorScaling.fit(data)).isInstanceOf(NoFitException.class);
      assertThatThrownBy(() -> MatrixScaling.fit(data)).isInstanceOf(NoFitException.class);
      return;
    }
    for (boolean diagonal : new boolean[] {true, false}) {
      // the optimiser's result on the penalised objective (whether the map separates the rows,
      // and is then refused, is checked elsewhere)
      ScalingFit fit =
          AffineFit.fitPenalised(
              fitData,
              labels,
              diagonal,
              VectorScaling.DEFAULT_LAMBDA,
              AffineFit.MAX_ITERATIONS,
              true);
      double[] w = fit.calibrator().parameters().get("weights");
      double[] b = fit.calibrator().parameters().get("bias");
      double[] x = new double[w.length + b.length];
      System.arraycopy(w, 0, x, 0, w.length);
      System.arraycopy(b, 0, x, w.length, b.length);
      double[] grad = new double[x.length];
      double value =
          AffineObjective.objective(fitData, diagonal, VectorScaling.DEFAULT_LAMBDA, w0, x, grad);
      double largest = 0;
      for (double g : grad) {
        largest = Math.max(largest, Math.abs(g));
      }
      assertThat(largest).as("%s gradient", fit.calibrator().method()).isLessThanOrEqualTo(1e-8);
      assertThat(fit.converged()).isTrue();
      assertThat(fit.maxAbsGradient()).isEqualTo(largest);
      assertThat(fit.objective()).isEqualTo(value);
    }
  }

  /** A value of random sign and magnitude 10^u, u uniform in [-330, 310]: from 0 to infinity. */
  private static double extreme(Random random) {
    double magnitude = Math.pow(10, -330 + 640 * random.nextDouble());
    return random.nextBoolean() ? magnitude : -magnitude;
  }

  private static double[] extremes(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      // Half plain values, so that some calibrators are accepted and their outputs checked.
      v[i] = random.nextInt(4) == 0 ? extreme(random) : random.nextGaussian() * 3;
    }
    return v;
  }

  /** Valid inputs that stress the maps: one-hot, subnormal, uniform and peaked rows. */
  private static List<LabelDistribution> stressInputs(LabelSet labels, Random random) {
    int k = labels.size();
    List<LabelDistribution> inputs = new ArrayList<>();
    double[] oneHot = new double[k];
    oneHot[random.nextInt(k)] = 1.0;
    inputs.add(LabelDistribution.ofProbabilities(labels, oneHot));
    double[] subnormal = new double[k];
    java.util.Arrays.fill(subnormal, Double.MIN_VALUE);
    subnormal[0] = 1.0 - (k - 1) * Double.MIN_VALUE;
    inputs.add(LabelDistribution.ofProbabilities(labels, subnormal));
    double[] uniform = new double[k];
    java.util.Arrays.fill(uniform, 1.0 / k);
    inputs.add(LabelDistribution.ofProbabilities(labels, uniform));
    inputs.add(RandomData.distribution(labels, random, 300));
    inputs.add(RandomData.distribution(labels, random, 1));
    return inputs;
  }

  private static void assertValidOutputs(Calibrator c, List<LabelDistribution> inputs) {
    for (LabelDistribution p : inputs) {
      double[] out = new double[p.size()];
      c.applyInto(p.toArray(), 0, out, 0);
      double sum = 0;
      for (double v : out) {
        assertThat(v).as("%s on %s", c, p).isBetween(0.0, 1.0);
        sum += v;
      }
      assertThat(sum).as("%s on %s", c, p).isCloseTo(1.0, within(1e-12));
    }
  }

  /**
   * Random extreme parameters (magnitudes 1e-330 to 1e310, either sign) are either rejected where
   * the calibrator is built, naming the parameter, or give finite normalised outputs on every valid
   * input. Seeded; 1,200 parameter draws of each method.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void extremeParametersAreRejectedOrGiveValidDistributions(int seed) {
    Random random = new Random(7000L + seed);
    int k = 2 + random.nextInt(6);
    LabelSet labels = RandomData.labels(k);
    List<LabelDistribution> inputs = stressInputs(labels, random);
    int accepted = 0;
    for (int trial = 0; trial < 6; trial++) {
      double t = Math.abs(extreme(random));
      double[] vw = extremes(random, k);
      double[] vb = extremes(random, k);
      double[] mw = extremes(random, k * k);
      double[] mb = extremes(random, k);
      // A bias (content-free estimate) with entries from 1e-330 (zero after normalising) to 1.
      double[] bias = new double[k];
      double sum = 0;
      for (int i = 0; i < k; i++) {
        bias[i] = Math.pow(10, -330 * random.nextDouble() * random.nextDouble());
        sum += bias[i];
      }
      boolean positive = true;
      for (int i = 0; i < k; i++) {
        bias[i] /= sum;
        positive &= bias[i] > 0;
      }
      List<java.util.function.Supplier<Calibrator>> builds =
          List.of(
              () -> TemperatureScaling.of(labels, t),
              () -> VectorScaling.of(labels, vw, vb),
              () -> MatrixScaling.of(labels, mw, mb),
              () ->
                  ContextualCalibration.fromBias(labels, bias, ContextualCalibration.Form.DIAGONAL),
              () -> BatchCalibration.fromBias(labels, bias),
              () ->
                  ContextualCalibration.fromBias(
                      labels, bias, ContextualCalibration.Form.SUBTRACTIVE));
      // Rejected exactly when a parameter is outside the documented range.
      boolean[] inRange = {
        t < Double.POSITIVE_INFINITY && 1 / t <= Calibrator.MAX_PARAMETER_MAGNITUDE,
        inRange(vw) && inRange(vb),
        inRange(mw) && inRange(mb),
        positive,
        positive,
        true
      };
      for (int i = 0; i < builds.size(); i++) {
        Calibrator c;
        try {
          c = builds.get(i).get();
        } catch (IllegalArgumentException e) {
          assertThat(inRange[i]).as("rejected %s", e.getMessage()).isFalse();
          assertThat(e.getMessage())
              .containsAnyOf("temperature is", "weights[", "bias[", "bias for label");
          continue;
        }
        assertThat(inRange[i]).as("accepted %s", c).isTrue();
        accepted++;
        assertValidOutputs(c, inputs);
        assertValidOutputs(c.andThen(c), inputs);
      }
    }
    assertThat(accepted).as("accepted").isPositive();
  }

  private static boolean inRange(double[] v) {
    for (double x : v) {
      if (!(Math.abs(x) <= Calibrator.MAX_PARAMETER_MAGNITUDE)) {
        return false;
      }
    }
    return true;
  }

  /** The bounds themselves: parameters exactly at the limit work, one step beyond is rejected. */
  @Test
  void parametersAtTheBoundWorkAndBeyondItAreRejectedNamingTheParameter() {
    Random random = new Random(42);
    for (int k : new int[] {2, 3, 10, 200}) {
      LabelSet labels = RandomData.labels(k);
      List<LabelDistribution> inputs = stressInputs(labels, random);
      double max = Calibrator.MAX_PARAMETER_MAGNITUDE;
      assertValidOutputs(TemperatureScaling.of(labels, 1e-300), inputs);
      assertValidOutputs(TemperatureScaling.of(labels, Double.MAX_VALUE), inputs);
      double[] w = new double[k];
      double[] b = new double[k];
      for (int i = 0; i < k; i++) {
        w[i] = i % 2 == 0 ? max : -max;
        b[i] = i % 3 == 0 ? -max : max;
      }
      assertValidOutputs(VectorScaling.of(labels, w, b), inputs);
      double[] m = new double[k * k];
      for (int i = 0; i < m.length; i++) {
        m[i] = i % 2 == 0 ? max : -max;
      }
      assertValidOutputs(MatrixScaling.of(labels, m, b), inputs);
    }
    LabelSet abc = RandomData.labels(3);
    // The cases: temperature 1e-320, vector weights -1e308, matrix weights 1e308.
    assertThatThrownBy(() -> TemperatureScaling.of(abc, 1e-320))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature is 1.0E-320; expected a value >= 1e-300");
    assertThatThrownBy(() -> TemperatureScaling.of(abc, Math.nextDown(1e-300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature is");
    assertThatThrownBy(() -> VectorScaling.of(abc, new double[] {1, -1e308, 1}, new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vector scaling weights[1] is -1.0E308")
        .hasMessageContaining("magnitude at most 1.0E300");
    double[] big = new double[9];
    java.util.Arrays.fill(big, 1e308);
    assertThatThrownBy(() -> MatrixScaling.of(abc, big, new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matrix scaling weights[0] is 1.0E308");
    assertThatThrownBy(
            () -> VectorScaling.of(abc, new double[3], new double[] {0, 0, Math.nextUp(1e300)}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vector scaling bias[2] is");
  }
}
