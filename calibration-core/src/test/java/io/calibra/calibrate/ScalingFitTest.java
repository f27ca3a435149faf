package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A fit that stops short says so; the diagnostics are checked for consistency. */
class ScalingFitTest {
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  private static LabelledSet noisy(long seed) {
    return noisy(seed, 300);
  }

  /** Seeded rows over a, b, c: gold logit +1.5, label a +0.8 (a bias to fit), unit noise. */
  static LabelledSet noisy(long seed, int n) {
    Random random = new Random(seed);
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < gold.length; i++) {
      gold[i] = random.nextInt(3);
      double[] z = new double[3];
      for (int j = 0; j < 3; j++) {
        z[j] = random.nextGaussian() + (j == gold[i] ? 1.5 : 0) + (j == 0 ? 0.8 : 0);
      }
      rows.add(LabelDistribution.ofLogits(ABC, z));
    }
    return LabelledSet.of(rows, gold);
  }

  @Test
  void anEarlyStopIsReportedWithAWarning() {
    LabelledSet data = noisy(1);
    ScalingFit cut = AffineFit.fit(FitData.of(data, "matrix scaling"), ABC, false, 0.0, 1, false);
    assertThat(cut.iterations()).isEqualTo(1);
    assertThat(cut.newtonSteps()).isZero();
    assertThat(cut.converged()).isFalse();
    assertThat(cut.maxAbsGradient()).isGreaterThan(ScalingFit.GRADIENT_TOLERANCE);
    assertThat(cut.warning())
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .startsWith(
                        "matrix scaling did not converge: the largest gradient component is ")
                    .contains("after 1 L-BFGS iterations and 0 Newton steps")
                    .contains("expected at most 1.0E-8"));

    ScalingFit full = MatrixScaling.fitWithDiagnostics(data, 0.0);
    assertThat(full.converged()).isTrue();
    assertThat(full.newtonSteps()).isPositive();
    assertThat(full.warning()).isEmpty();
    assertThat(full.objective()).isLessThan(cut.objective());
    assertThat(MatrixScaling.fit(data, 0.0)).isEqualTo(full.calibrator());
  }

  @Test
  void vectorScalingAlsoConvergesAndMatchesItsPlainFit() {
    LabelledSet data = noisy(2);
    ScalingFit fit = VectorScaling.fitWithDiagnostics(data, VectorScaling.DEFAULT_LAMBDA);
    assertThat(fit.converged()).isTrue();
    assertThat(fit.maxAbsGradient()).isLessThanOrEqualTo(ScalingFit.GRADIENT_TOLERANCE);
    assertThat(VectorScaling.fit(data)).isEqualTo(fit.calibrator());
    assertThat(fit.calibrator().method()).isEqualTo("vector");
  }

  @Test
  void inconsistentDiagnosticsAreRejected() {
    Calibrator c = TemperatureScaling.of(ABC, 1.0);
    assertThatThrownBy(() -> new ScalingFit(c, true, 3, 1, 0.5, 1e-6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("converged is true but the largest gradient component is 1.0E-6");
    assertThatThrownBy(() -> new ScalingFit(c, true, 3, 1, 0.5, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScalingFit(c, false, -1, 0, 0.5, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected values >= 0");
    assertThatThrownBy(() -> new ScalingFit(c, false, 0, -1, 0.5, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScalingFit(null, false, 0, 0, 0.5, 1.0))
        .isInstanceOf(NullPointerException.class);
    assertThat(new ScalingFit(c, true, 0, 0, 0.5, ScalingFit.GRADIENT_TOLERANCE).warning())
        .isEmpty();
  }
}
