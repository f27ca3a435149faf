package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.RandomData;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch calibration's strength gamma, Dirichlet calibration and prototypical calibration as values
 * (validation, equality, text, files) with hand-computed outputs.
 */
class BatchDirichletPrototypicalValuesTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  private static LabelDistribution p(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  // ---- batch calibration with a strength ----

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 7})
  void strengthOneIsTodaysBatchCalibrationBitForBit(int k) {
    Random random = new Random(k);
    LabelledSet data = RandomData.labelledSet(RandomData.labels(k), 300, random);
    List<LabelDistribution> rows = data.distributions();
    Calibrator today = BatchCalibration.fit(rows);
    Calibrator one = BatchCalibration.fit(rows, 1.0);
    assertThat(one).isEqualTo(today);
    assertThat(one.hashCode()).isEqualTo(today.hashCode());
    assertThat(one.toString()).isEqualTo(today.toString());
    assertThat(((Calibrator.BiasCorrection) one).strength()).isEqualTo(1.0);
    double[] in = new double[rows.size() * k];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).toArray(), 0, in, i * k, k);
    }
    double[] a = new double[in.length];
    double[] b = new double[in.length];
    today.applyBatch(in, a, rows.size());
    one.applyBatch(in, b, rows.size());
    assertThat(b).containsExactly(a);
    // and equal to the golden batch reference's formula at gamma = 1 (normalise(p / bias))
    assertThat(CalibrationMethod.BATCH.write(one).keySet()).containsExactly("bias");
  }

  @Test
  void strengthScalesTheCorrectionInLogSpace() {
    // bias (0.8, 0.2); p = (0.6, 0.4). Hand computed: gamma = 0.5 gives 0.6/sqrt(0.8) :
    // 0.4/sqrt(0.2) = 0.3 : 0.4, so (3/7, 4/7); gamma = 2 gives 0.6/0.64 : 0.4/0.04 = 0.9375 : 10.
    double[] bias = {0.8, 0.2};
    assertThat(BatchCalibration.fromBias(AB, bias, 0.5).apply(p(0.6)).toArray())
        .containsExactly(new double[] {3.0 / 7, 4.0 / 7}, within(1e-15));
    assertThat(BatchCalibration.fromBias(AB, bias, 2).apply(p(0.6)).toArray())
        .containsExactly(new double[] {0.9375 / 10.9375, 10 / 10.9375}, within(1e-15));
    assertThat(BatchCalibration.fromBias(AB, bias, 0).apply(p(0.6)).toArray())
        .containsExactly(0.6, 0.4);
    // a product that underflows goes through log space: p = (1e-300, 1 - 1e-300), bias^-100
    Calibrator strong = BatchCalibration.fromBias(AB, new double[] {1e-3, 1 - 1e-3}, 100);
    double[] q = strong.apply(LabelDistribution.ofProbabilities(AB, 0, 1)).toArray();
    assertThat(q).containsExactly(0, 1);
  }

  @Test
  void strengthIsChosenByTheNllOfLabelledRows() {
    List<LabelDistribution> batch = List.of(p(0.8));
    // gold 0 on p = (0.8, 0.2): any correction hurts, gamma = 0 (hand reasoning: q_0 falls in
    // gamma)
    Calibrator none =
        BatchCalibration.fit(batch, LabelledSet.of(List.of(p(0.8), p(0.8)), new int[] {0, 0}));
    assertThat(((Calibrator.BiasCorrection) none).strength()).isEqualTo(0.0);
    // gold 1: q_1 rises in gamma, the largest of the grid
    Calibrator most =
        BatchCalibration.fit(batch, LabelledSet.of(List.of(p(0.8), p(0.8)), new int[] {1, 1}));
    assertThat(((Calibrator.BiasCorrection) most).strength()).isEqualTo(2.0);
    // one of each: the NLL -log q_0 q_1 is least at q_0 = q_1 = 1/2, i.e. gamma = 1
    Calibrator full =
        BatchCalibration.fit(batch, LabelledSet.of(List.of(p(0.8), p(0.8)), new int[] {0, 1}));
    assertThat(((Calibrator.BiasCorrection) full).strength()).isEqualTo(1.0);
    assertThat(full).isEqualTo(BatchCalibration.fit(batch));
    assertThat(BatchCalibration.STRENGTH_GRID).hasSize(41).startsWith(0.0, 0.05).endsWith(2.0);
    assertThatThrownBy(
            () ->
                BatchCalibration.fit(
                    batch,
                    LabelledSet.of(
                        List.of(LabelDistribution.uniform(ABC), LabelDistribution.uniform(ABC)),
                        new int[] {0, 1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch calibration labelled rows");
  }

  @Test
  void badStrengthsAreRejected() {
    double[] bias = {0.5, 0.5};
    for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY, 2e300}) {
      assertThatThrownBy(() -> BatchCalibration.fromBias(AB, bias, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "batch strength (gamma) is "
                  + bad
                  + "; expected a finite value >= 0 and at most 1.0E300");
    }
    assertThatThrownBy(
            () ->
                CalibrationMethod.BATCH.read(
                    AB, Map.of("bias", bias, "strength", new double[] {1, 2})))
        .hasMessage("stage 'batch' has 2 strengths; expected 1");
  }

  @Test
  void strengthIsPartOfEqualityTextAndFiles(@TempDir Path tmp) throws java.io.IOException {
    double[] bias = {0.8, 0.2};
    Calibrator half = BatchCalibration.fromBias(AB, bias, 0.5);
    Calibrator one = BatchCalibration.fromBias(AB, bias);
    assertThat(half).isNotEqualTo(one).isEqualTo(BatchCalibration.fromBias(AB, bias, 0.5));
    assertThat(half.hashCode()).isEqualTo(BatchCalibration.fromBias(AB, bias, 0.5).hashCode());
    assertThat(half.toString()).contains("strength=[0.5]");
    assertThat(one.toString()).doesNotContain("strength");
    Path file = tmp.resolve("half.json");
    CalibratorFiles.save(half, Provenance.now("batch", null, null, null), file);
    assertThat(CalibratorFiles.load(file).calibrator()).isEqualTo(half);
    // gamma = 1 writes the file of before (no strength), which loads as gamma = 1
    Path old = tmp.resolve("one.json");
    CalibratorFiles.save(one, Provenance.now("batch", null, null, null), old);
    assertThat(Files.readString(old, StandardCharsets.UTF_8)).doesNotContain("strength");
    assertThat(CalibratorFiles.load(old).calibrator()).isEqualTo(one);
  }

  // ---- Dirichlet calibration ----

  @Test
  void dirichletIsAFullAffineMapOfLogProbabilities() {
    // W = [[2, 0], [1, 1]], b = (0, ln 2): p = (0.5, 0.5) gives scores (2 ln .5, 2 ln .5 + ln 2),
    // so q = (1/3, 2/3) (hand computed).
    Calibrator d =
        DirichletCalibration.of(AB, new double[] {2, 0, 1, 1}, new double[] {0, Math.log(2)});
    assertThat(d.apply(p(0.5)).toArray())
        .containsExactly(new double[] {1.0 / 3, 2.0 / 3}, within(1e-15));
    assertThat(d.kind()).isEqualTo(CalibrationMethod.DIRICHLET);
    assertThat(d).isInstanceOf(Calibrator.Scaling.class);
    Calibrator m = MatrixScaling.of(AB, new double[] {2, 0, 1, 1}, new double[] {0, Math.log(2)});
    assertThat(d).isNotEqualTo(m); // same map, another method
    assertThat(d.apply(p(0.3))).isEqualTo(m.apply(p(0.3)));
    assertThat(d)
        .isEqualTo(
            DirichletCalibration.of(AB, new double[] {2, 0, 1, 1}, new double[] {0, Math.log(2)}));
    assertThat(d.toString())
        .startsWith("AffineScaling{method=dirichlet, labels=[a, b], weights=[2.0, 0.0, 1.0, 1.0]");
    assertThatThrownBy(() -> DirichletCalibration.of(AB, new double[] {1, 0, 0}, new double[2]))
        .hasMessage("expected 4 weights and 2 biases for 2 labels, found 3 and 2");
    assertThatThrownBy(
            () -> DirichletCalibration.of(AB, new double[] {1, 0, 0, Double.NaN}, new double[2]))
        .hasMessage("dirichlet scaling weights[3] is NaN; expected a finite value");
  }

  @Test
  void dirichletRejectsBadStrengthsAndData() {
    LabelledSet data = RandomData.labelledSet(ABC, 30, new Random(5));
    assertThatThrownBy(() -> DirichletCalibration.fit(data, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ODIR lambda is -1.0; expected a finite value >= 0");
    assertThatThrownBy(() -> DirichletCalibration.fit(data, 0, Double.NaN))
        .hasMessage("ODIR mu is NaN; expected a finite value >= 0");
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(data, 1, 0))
        .hasMessage(
            "dirichlet cross-validation with 1 folds on 30 rows; expected 2 <= folds <= rows");
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(data, 31, 0))
        .hasMessage(
            "dirichlet cross-validation with 31 folds on 30 rows; expected 2 <= folds <= rows");
    // rows 0..3 gold a, b, a, a: with 4 folds, some training set may lose b: named by fold
    LabelledSet tiny =
        LabelledSet.of(List.of(p(0.9), p(0.2), p(0.8), p(0.7)), new int[] {0, 1, 0, 0});
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(tiny, 4, 0))
        .hasMessageStartingWith("dirichlet cross-validation fold ")
        .hasMessageContaining("needs rows of at least 2 gold classes");
    assertThatThrownBy(
            () -> DirichletCalibration.fit(LabelledSet.of(List.of(p(0.9)), new int[] {0}), 1, 1))
        .hasMessage("dirichlet calibration needs at least 2 labelled rows to fit; found 1");
  }

  @Test
  void odirLeavesTheDiagonalFreeAndShrinksTheRest() {
    LabelledSet data = RandomData.labelledSet(ABC, 400, new Random(6));
    Calibrator.Scaling loose = (Calibrator.Scaling) DirichletCalibration.fit(data, 1e-4, 1e-4);
    Calibrator.Scaling tight = (Calibrator.Scaling) DirichletCalibration.fit(data, 1e4, 1e4);
    // a huge penalty drives the off-diagonal and the intercepts to (nearly) zero, not the diagonal
    double[] w = tight.weights();
    for (int i = 0; i < 9; i++) {
      if (i / 3 != i % 3) {
        assertThat(Math.abs(w[i])).as("W[%d]", i).isLessThan(1e-3);
      } else {
        assertThat(w[i]).as("W[%d]", i).isGreaterThan(0.1);
      }
    }
    for (double b : tight.biases()) {
      assertThat(Math.abs(b)).isLessThan(1e-3);
    }
    double offLoose = 0;
    for (int i = 0; i < 9; i++) {
      offLoose += i / 3 != i % 3 ? Math.abs(loose.weights()[i]) : 0;
    }
    assertThat(offLoose).isGreaterThan(1e-3);
  }

  // ---- prototypical calibration ----

  private static final double L9 = Math.log(0.9);
  private static final double L1 = Math.log(0.1);

  private static Calibrator twoPrototypes() {
    return PrototypicalCalibration.of(
        AB, new double[] {0.5, 0.5}, new double[] {L9, L1, L1, L9}, identity(2, 2));
  }

  private static double[] identity(int k, int copies) {
    double[] out = new double[k * k * copies];
    for (int c = 0; c < copies; c++) {
      for (int i = 0; i < k; i++) {
        out[c * k * k + i * k + i] = 1;
      }
    }
    return out;
  }

  @Test
  void theMixturePosteriorIsHandComputable() {
    Calibrator c = twoPrototypes();
    // equidistant from both means: (1/2, 1/2)
    assertThat(c.apply(p(0.5)).toArray()).containsExactly(new double[] {0.5, 0.5}, within(1e-15));
    // at the first mean: |m0 - m1|^2 = 2 (ln 9)^2, so q_1 = 1 / (1 + exp((ln 9)^2))
    double q1 = 1 / (1 + Math.exp(Math.log(9) * Math.log(9)));
    assertThat(c.apply(p(0.9)).toArray()).containsExactly(new double[] {1 - q1, q1}, within(1e-15));
    // unequal weights add log(w0 / w1) to the log-odds
    Calibrator skewed =
        PrototypicalCalibration.of(
            AB, new double[] {0.75, 0.25}, new double[] {L9, L1, L1, L9}, identity(2, 2));
    assertThat(skewed.apply(p(0.5)).toArray())
        .containsExactly(new double[] {0.75, 0.25}, within(1e-15));
    Calibrator.Mixture m = (Calibrator.Mixture) skewed;
    assertThat(m.mixingWeights()).containsExactly(0.75, 0.25);
    assertThat(m.mean(1)).containsExactly(L1, L9);
    assertThat(m.covariance(0)).containsExactly(1, 0, 0, 1);
    m.mixingWeights()[0] = 9; // copies
    assertThat(m.mixingWeights()[0]).isEqualTo(0.75);
    assertThatThrownBy(() -> m.mean(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(skewed)
        .isNotEqualTo(c)
        .isEqualTo(
            PrototypicalCalibration.of(
                AB, new double[] {0.75, 0.25}, new double[] {L9, L1, L1, L9}, identity(2, 2)));
    assertThat(skewed.toString())
        .startsWith(
            "GaussianMixture{method=prototypical, labels=[a, b], mixing=[0.75, 0.25], means=[");
  }

  @Test
  void badPrototypicalParametersAreRejected() {
    double[] means = {L9, L1, L1, L9};
    assertThatThrownBy(
            () -> PrototypicalCalibration.of(AB, new double[] {0.5}, means, identity(2, 2)))
        .hasMessage(
            "prototypical calibration for 2 labels expects 2 mixing weights, 4 means and 8 covariance entries; found 1, 4 and 8");
    assertThatThrownBy(
            () -> PrototypicalCalibration.of(AB, new double[] {0, 1}, means, identity(2, 2)))
        .hasMessage("prototypical mixing weight for label 'a' is 0.0; expected a value in (0, 1]");
    assertThatThrownBy(
            () -> PrototypicalCalibration.of(AB, new double[] {0.5, 0.6}, means, identity(2, 2)))
        .hasMessage("prototypical mixing weights sum to 1.1; expected 1 within 1e-6");
    assertThatThrownBy(
            () ->
                PrototypicalCalibration.of(
                    AB, new double[] {0.5, 0.5}, new double[] {0.1, L1, L1, L9}, identity(2, 2)))
        .hasMessage("prototypical means[0] is 0.1; expected a log-probability in [-745.0, 0]");
    double[] asym = identity(2, 2);
    asym[1] = 0.5;
    assertThatThrownBy(() -> PrototypicalCalibration.of(AB, new double[] {0.5, 0.5}, means, asym))
        .hasMessage("prototypical covariance of label 'a' is not symmetric at (1, 0): 0.0 and 0.5");
    double[] singular = {1, 1, 1, 1, 1, 0, 0, 1};
    assertThatThrownBy(
            () -> PrototypicalCalibration.of(AB, new double[] {0.5, 0.5}, means, singular))
        .hasMessage(
            "prototypical covariance of label 'a' is not positive definite (or not finite)");
    assertThatThrownBy(
            () ->
                CalibrationMethod.PROTOTYPICAL.read(AB, Map.of("mixing", new double[] {0.5, 0.5})))
        .hasMessage("stage 'prototypical' has no 'means' array");
  }

  @Test
  void prototypicalFitNeedsDistinctRowsAndOneLabelSet() {
    List<LabelDistribution> same =
        List.of(
            LabelDistribution.uniform(ABC),
            LabelDistribution.uniform(ABC),
            LabelDistribution.uniform(ABC));
    assertThatThrownBy(() -> PrototypicalCalibration.fit(same, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "prototypical calibration needs at least 3 distinct rows (one per label) to fit; found 1");
    assertThatThrownBy(() -> PrototypicalCalibration.fit(List.of(), 0))
        .hasMessage("prototypical calibration needs unlabelled rows to fit; found none");
    assertThatThrownBy(
            () -> PrototypicalCalibration.fit(List.of(p(0.5), LabelDistribution.uniform(ABC)), 0))
        .hasMessageContaining("prototypical calibration row 1");
  }

  @Test
  void prototypicalFitsTwoClustersAndMatchesThemToTheirLabels() {
    Random random = new Random(11);
    List<LabelDistribution> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // a model biased to 'a': class-b rows still put most mass on a, but less
      double centre = i % 2 == 0 ? 0.95 : 0.7;
      rows.add(p(Math.min(0.999, Math.max(0.001, centre + 0.03 * random.nextGaussian()))));
    }
    Calibrator.Mixture fit = (Calibrator.Mixture) PrototypicalCalibration.fit(rows, 3);
    // label a's component is the one with the higher mean log p_a
    assertThat(fit.mean(0)[0]).isGreaterThan(fit.mean(1)[0]);
    assertThat(fit.mixingWeights()[0]).isCloseTo(0.5, within(0.05));
    // the bias is removed: a row of the b cluster is now called b
    assertThat(fit.apply(p(0.7)).probability(1)).isGreaterThan(0.9);
    assertThat(fit.apply(p(0.95)).probability(0)).isGreaterThan(0.9);
    // reproducible for a seed, and saved and loaded exactly
    assertThat(PrototypicalCalibration.fit(rows, 3)).isEqualTo(fit);
    Calibrator loaded =
        CalibrationMethod.PROTOTYPICAL.read(AB, CalibrationMethod.PROTOTYPICAL.write(fit));
    assertThat(loaded).isEqualTo(fit);
    assertThat(loaded.apply(p(0.8))).isEqualTo(fit.apply(p(0.8)));
  }

  @Test
  void prototypicalIsThreadSafe() throws Exception {
    List<LabelDistribution> rows = RandomData.labelledSet(ABC, 300, new Random(12)).distributions();
    Calibrator fit = PrototypicalCalibration.fit(rows, 1);
    List<LabelDistribution> expected = fit.applyAll(rows);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<LabelDistribution>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> fit.applyAll(rows)));
      }
      for (Future<List<LabelDistribution>> f : futures) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
