package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
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
            VectorScaling.fit(fitSet),
            MatrixScaling.fit(fitSet),
            ContextualCalibration.fit(unlabelled.subList(0, 3))
                .andThen(TemperatureScaling.fit(fitSet)));
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
    double w0 = 1.0 / TemperatureScaling.fitTemperature(fitData);
    for (boolean diagonal : new boolean[] {true, false}) {
      ScalingFit fit =
          diagonal
              ? VectorScaling.fitWithDiagnostics(data, VectorScaling.DEFAULT_LAMBDA)
              : MatrixScaling.fitWithDiagnostics(data, MatrixScaling.DEFAULT_LAMBDA);
      double[] w = fit.calibrator().parameters().get("weights");
      double[] b = fit.calibrator().parameters().get("bias");
      double[] x = new double[w.length + b.length];
      System.arraycopy(w, 0, x, 0, w.length);
      System.arraycopy(b, 0, x, w.length, b.length);
      double[] grad = new double[x.length];
      double value =
          AffineScaling.objective(fitData, diagonal, VectorScaling.DEFAULT_LAMBDA, w0, x, grad);
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
}
