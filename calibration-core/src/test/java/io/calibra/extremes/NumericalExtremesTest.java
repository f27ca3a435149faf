package io.calibra.extremes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.RandomData;
import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import io.calibra.metrics.MetricsAccumulator;
import io.calibra.selective.SelectivePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Logits of +-1e300 and -Infinity, probabilities of 1e-320, 1000 labels, 10^6 rows: never NaN. */
class NumericalExtremesTest {
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  private static void assertValid(double[] q, String what) {
    double sum = 0;
    for (double v : q) {
      assertThat(v).as(what).isBetween(0.0, 1.0);
      sum += v;
    }
    assertThat(Math.abs(sum - 1)).as("%s sums to %s", what, sum).isLessThanOrEqualTo(1e-9);
  }

  private static void assertFinite(CalibrationMetrics m) {
    for (double v :
        new double[] {
          m.accuracy(),
          m.macroF1(),
          m.ece(),
          m.eceEqualMass().orElseThrow(),
          m.mce(),
          m.classwiseEce(),
          m.brier(),
          m.nll()
        }) {
      assertThat(Double.isFinite(v)).as("metric %s", v).isTrue();
    }
  }

  private static List<LabelDistribution> extremeRows() {
    double inf = Double.NEGATIVE_INFINITY;
    return List.of(
        LabelDistribution.ofLogits(ABC, 1e300, -1e300, 0),
        LabelDistribution.ofLogits(ABC, -1e300, -1e300, -1e300),
        LabelDistribution.ofLogits(ABC, inf, 5, inf),
        LabelDistribution.ofLogits(ABC, inf, -1e300, 1e300),
        LabelDistribution.ofLogProbabilities(ABC, -1e300, inf, -700),
        LabelDistribution.ofProbabilities(ABC, 1e-320, 1 - 1e-320, 0),
        LabelDistribution.ofProbabilities(ABC, Double.MIN_VALUE, 0.5, 0.5),
        LabelDistribution.ofProbabilities(ABC, 1, 0, 0));
  }

  @Test
  void extremeInputsGiveValidDistributionsThroughEveryCalibrator() {
    List<LabelDistribution> rows = extremeRows();
    int[] gold = {0, 1, 1, 2, 0, 1, 1, 0};
    LabelledSet data = LabelledSet.of(rows, gold);
    List<Calibrator> calibrators =
        List.of(
            ContextualCalibration.fit(
                List.of(LabelDistribution.ofProbabilities(ABC, 1e-320, 0.5, 0.5))),
            ContextualCalibration.fit(List.of(LabelDistribution.ofLogits(ABC, 300, -300, 0))),
            ContextualCalibration.fit(rows.subList(0, 2), ContextualCalibration.Form.SUBTRACTIVE),
            BatchCalibration.fit(rows),
            TemperatureScaling.of(ABC, 1e-3),
            TemperatureScaling.of(ABC, 1e3),
            TemperatureScaling.fit(data),
            VectorScaling.fit(data),
            MatrixScaling.fit(data));
    // a content-free probability that underflows to 0 cannot be divided by: a clear error
    assertThatThrownBy(
            () -> ContextualCalibration.fit(List.of(LabelDistribution.ofLogits(ABC, 700, -700, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'b'");
    for (Calibrator c : calibrators) {
      for (LabelDistribution p : rows) {
        assertValid(c.apply(p).toArray(), c.method() + " on " + p);
      }
      assertFinite(Metrics.evaluate(LabelledSet.of(c.applyAll(rows), gold)));
    }
  }

  @Test
  void aThousandLabels() {
    LabelSet labels = RandomData.labels(1000);
    Random random = new Random(1);
    LabelledSet data = RandomData.labelledSet(labels, 300, random);
    Calibrator contextual = ContextualCalibration.fit(data.distributions().subList(0, 3));
    Calibrator temperature = TemperatureScaling.fit(data);
    Calibrator vector = VectorScaling.fit(data);
    for (Calibrator c : List.of(contextual, temperature, vector, contextual.andThen(temperature))) {
      double[] out = new double[data.size() * 1000];
      double[] in = new double[data.size() * 1000];
      for (int i = 0; i < data.size(); i++) {
        data.distribution(i).copyInto(in, i * 1000);
      }
      c.applyBatch(in, out, data.size());
      for (int i = 0; i < data.size(); i++) {
        assertValid(
            java.util.Arrays.copyOfRange(out, i * 1000, (i + 1) * 1000), c.method() + " row " + i);
      }
    }
    assertFinite(Metrics.evaluate(data));
  }

  @Test
  void aMillionRows() {
    LabelSet labels = RandomData.labels(4);
    int n = 1_000_000;
    Random random = new Random(2);
    double[] p = new double[n * 4];
    int[] gold = new int[n];
    double[] z = new double[4];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        z[j] = random.nextGaussian() * (i % 1000 == 0 ? 400 : 2);
      }
      io.calibra.internal.Probabilities.softmaxInto(z, 0, 4, p, i * 4);
      gold[i] = random.nextInt(4);
    }
    Calibrator c =
        ContextualCalibration.fromBias(
                LabelDistribution.ofProbabilities(labels, 0.1, 0.2, 0.3, 0.4),
                ContextualCalibration.Form.DIAGONAL)
            .andThen(TemperatureScaling.of(labels, 0.7));
    double[] out = new double[p.length];
    c.applyBatch(p, out, n);
    for (double v : out) {
      if (!(v >= 0 && v <= 1)) {
        throw new AssertionError("calibrated value " + v);
      }
    }
    CalibrationMetrics m = Metrics.evaluate(labels, out, gold, 15);
    assertFinite(m);
    assertThat(m.rows()).isEqualTo(n);
  }

  @Test
  void nanIsRejectedEverywhereItCouldEnter() {
    double nan = Double.NaN;
    assertThatThrownBy(() -> LabelDistribution.ofLogits(ABC, 0, nan, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LabelDistribution.normalise(ABC, 1, nan, 1))
        .isInstanceOf(IllegalArgumentException.class);
    Calibrator t = TemperatureScaling.of(ABC, 2);
    assertThatThrownBy(() -> t.applyInto(new double[] {nan, 0.5, 0.5}, 0, new double[3], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MetricsAccumulator(ABC).add(new double[] {0.5, nan, 0.5}, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TemperatureScaling.of(ABC, nan))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VectorScaling.of(ABC, new double[] {1, nan, 1}, new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weights[1] is NaN");
    assertThatThrownBy(() -> MatrixScaling.of(ABC, new double[9], new double[] {0, 0, nan}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ContextualCalibration.fromBias(
                    ABC, new double[] {nan, 0.5, 0.5}, ContextualCalibration.Form.DIAGONAL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SelectivePolicy.threshold(nan))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BatchCalibration.online(ABC, nan))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                VectorScaling.fit(
                    LabelledSet.of(extremeRows(), new int[] {0, 1, 1, 2, 0, 1, 1, 0}), nan))
        .isInstanceOf(IllegalArgumentException.class);
    List<LabelDistribution> none = new ArrayList<>();
    assertThatThrownBy(() -> BatchCalibration.fit(none))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
