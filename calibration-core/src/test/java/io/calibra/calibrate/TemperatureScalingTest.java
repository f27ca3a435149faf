package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TemperatureScaling}: the fitted optimum, the temperature range and the rows that have no
 * fit. Expected values are hand computed unless stated.
 */
class TemperatureScalingTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /**
   * Brent alone lands within about 1e-8 of the optimum; only the Newton polish reaches it. The
   * derivative is computed here independently: d/d(beta) of mean NLL(softmax(beta z)) = mean over
   * rows of (E_q[z] - z_gold), with z = log softmax(logits), beta = 1/T. The reference optimum
   * 1.0851874864912598 is the extended-precision root quoted in GoldenTest.
   */
  @Test
  void temperatureFitSitsAtTheRootOfTheNllDerivative() {
    GoldenCase g = GoldenCase.load("sst2-zeroshot-minilm");
    LabelledSet raw = LabelledSet.of(g.rawDistributions(), g.gold);
    double t = TemperatureScaling.fit(raw).parameters().get("temperature")[0];
    assertThat(Math.abs(t - 1.0851874864912598) / t).isLessThan(1e-13);
    assertThat(Math.abs(derivative(g, 1.0 / t))).isLessThan(1e-10);
    // The golden (scipy) temperature is 1e-8 off: its derivative is visibly non-zero, so the
    // check above can fail.
    double golden = g.expected.get("temperature").get("temperature").asDouble();
    assertThat(Math.abs(derivative(g, 1.0 / golden))).isGreaterThan(1e-10);
  }

  private static double derivative(GoldenCase g, double beta) {
    double sum = 0;
    for (int r = 0; r < g.gold.length; r++) {
      double[] logits = g.logits.get(r);
      int k = logits.length;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : logits) {
        max = Math.max(max, v);
      }
      double norm = 0;
      for (double v : logits) {
        norm += Math.exp(v - max);
      }
      double[] z = new double[k];
      for (int j = 0; j < k; j++) {
        z[j] = logits[j] - max - Math.log(norm);
      }
      double zmax = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        zmax = Math.max(zmax, beta * v);
      }
      double qNorm = 0;
      double weighted = 0;
      for (int j = 0; j < k; j++) {
        double w = Math.exp(beta * z[j] - zmax);
        qNorm += w;
        weighted += w * z[j];
      }
      sum += weighted / qNorm - z[g.gold[r]];
    }
    return sum / g.gold.length;
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

  private static LabelDistribution d(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  @Test
  void temperatureBoundaries() {
    assertThatThrownBy(() -> TemperatureScaling.of(AB, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature is Infinity; expected a finite value > 0");
    assertThatThrownBy(() -> TemperatureScaling.of(AB, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature is 0.0; expected a finite value > 0");
    // the smallest accepted temperature (its inverse is just under 1e300: no double T has 1/T equal
    // to 1e300 exactly) is accepted, the next smaller one is not
    double t = 1.0 / Calibrator.MAX_PARAMETER_MAGNITUDE;
    while (1.0 / t > Calibrator.MAX_PARAMETER_MAGNITUDE) {
      t = Math.nextUp(t);
    }
    while (1.0 / Math.nextDown(t) <= Calibrator.MAX_PARAMETER_MAGNITUDE) {
      t = Math.nextDown(t);
    }
    double smallest = t;
    // 1/T is monotone in T: the smallest accepted T's inverse is below 1e300 and the next smaller
    // T's above it, so no T has 1/T == 1e300 exactly
    assertThat(1.0 / smallest).isLessThan(Calibrator.MAX_PARAMETER_MAGNITUDE);
    assertThat(1.0 / Math.nextDown(smallest)).isGreaterThan(Calibrator.MAX_PARAMETER_MAGNITUDE);
    assertThat(((Calibrator.Temperature) TemperatureScaling.of(AB, smallest)).temperature())
        .isEqualTo(smallest);
    assertThatThrownBy(() -> TemperatureScaling.of(AB, Math.nextDown(smallest)))
        .hasMessageContaining("expected a value >= 1e-300");
  }

  @Test
  void twoRowsOfTwoClassesAreEnoughToFit() {
    // the second row's gold is below the other label: a finite T > 0 is the optimum
    LabelledSet two = LabelledSet.of(List.of(d(AB, 0.7, 0.3), d(AB, 0.6, 0.4)), new int[] {0, 1});
    Calibrator t = TemperatureScaling.fit(two);
    assertThat(((Calibrator.Temperature) t).temperature()).isBetween(0.01, 100.0);
    // both rows' gold is the argmax: the NLL falls for ever as T falls, so there is no fit
    LabelledSet separable =
        LabelledSet.of(List.of(d(AB, 0.7, 0.3), d(AB, 0.4, 0.6)), new int[] {0, 1});
    assertThatThrownBy(() -> TemperatureScaling.fit(separable))
        .isInstanceOf(NoFitException.class)
        .hasMessageContaining("all 2 labelled rows have their gold label on top");
    assertThatThrownBy(
            () -> TemperatureScaling.fit(LabelledSet.of(List.of(d(AB, 0.7, 0.3)), new int[] {0})))
        .hasMessageContaining("needs at least 2 labelled rows to fit; found 1");
  }

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }
}
