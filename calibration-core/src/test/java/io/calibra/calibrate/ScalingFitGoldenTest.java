package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vector and matrix scaling against an independent scipy reference (golden/fits/make_fits.py: the
 * same objective minimised by L-BFGS-B with gtol 1e-12, then Newton steps to a gradient below
 * 1e-11), on synthetic miscalibrated scores for K = 3, 4, 6, 14 and on real AG News MiniLM scores,
 * with and without regularisation: calibrated probabilities to 1e-6, NLL and objective to 1e-9, and
 * the objective and gradient at a probe point to 1e-12 (which pins every gradient slot).
 */
class ScalingFitGoldenTest {
  private static final JsonNode ROOT = GoldenFits.fits();

  record Case(String name, JsonNode expected) {
    @Override
    public String toString() {
      return name;
    }

    boolean diagonal() {
      return expected.get("method").asText().equals("vector");
    }

    double lambda() {
      return expected.get("lambda").asDouble();
    }

    LabelledSet data() {
      return GoldenFits.source(expected.get("source").asText());
    }
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    ROOT.get("cases").forEach(c -> out.add(new Case(c.get("name").asText(), c)));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fitReachesTheReferenceOptimum(Case c) {
    LabelledSet data = c.data();
    ScalingFit fit =
        c.diagonal()
            ? VectorScaling.fitWithDiagnostics(data, c.lambda())
            : MatrixScaling.fitWithDiagnostics(data, c.lambda());
    assertThat(fit.converged()).as("converged: %s", fit).isTrue();
    assertThat(fit.warning()).isEmpty();
    assertThat(fit.maxAbsGradient()).isLessThanOrEqualTo(1e-8);
    assertThat(fit.calibrator().method()).isEqualTo(c.diagonal() ? "vector" : "matrix");
    assertThat(fit.objective())
        .as("objective")
        .isCloseTo(c.expected.get("objective").asDouble(), within(1e-9));

    List<LabelDistribution> calibrated = fit.calibrator().applyAll(data.distributions());
    double nll = 0;
    for (int r = 0; r < data.size(); r++) {
      nll -= Math.log(calibrated.get(r).probability(data.gold(r)));
    }
    nll /= data.size();
    assertThat(nll).as("mean NLL").isCloseTo(c.expected.get("nll").asDouble(), within(1e-9));
    JsonNode rows = c.expected.get("probabilities");
    for (int r = 0; r < rows.size(); r++) {
      assertThat(calibrated.get(r).toArray())
          .as("row %d", r)
          .containsExactly(GoldenCase.doubles(rows.get(r)), within(1e-6));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void objectiveAndGradientMatchTheReferenceAndFiniteDifferences(Case c) {
    FitData data = FitData.of(c.data(), "test");
    double w0 = 1.0 / TemperatureScaling.fitTemperature(data);
    assertThat(w0).as("1/T").isCloseTo(c.expected.get("w0").asDouble(), within(1e-9));
    int k = data.k;
    int nw = c.diagonal() ? k : k * k;
    double[] probe = new double[nw + k];
    for (int i = 0; i < probe.length; i++) {
      boolean onDiagonal = c.diagonal() ? i < k : i < nw && i / k == i % k;
      probe[i] = (onDiagonal ? w0 : 0.0) + 0.01;
    }
    double[] grad = new double[probe.length];
    double value = AffineObjective.objective(data, c.diagonal(), c.lambda(), w0, probe, grad);
    assertThat(value).isCloseTo(c.expected.get("probe_objective").asDouble(), within(1e-12));
    assertThat(grad)
        .containsExactly(GoldenCase.doubles(c.expected.get("probe_gradient")), within(1e-12));

    // Central differences of the value, and of the gradient against the Hessian of the polish.
    double h = 1e-6;
    double[] hessian = AffineObjective.hessian(data, c.diagonal(), c.lambda(), probe);
    double[] gPlus = new double[probe.length];
    double[] gMinus = new double[probe.length];
    int dim = probe.length;
    for (int i = 0; i < dim; i++) {
      double[] plus = probe.clone();
      double[] minus = probe.clone();
      plus[i] += h;
      minus[i] -= h;
      double fd =
          (AffineObjective.objective(data, c.diagonal(), c.lambda(), w0, plus, gPlus)
                  - AffineObjective.objective(data, c.diagonal(), c.lambda(), w0, minus, gMinus))
              / (2 * h);
      assertThat(grad[i]).as("gradient %d", i).isCloseTo(fd, within(1e-7));
      for (int j = 0; j < dim; j++) {
        double second = (gPlus[j] - gMinus[j]) / (2 * h);
        assertThat(hessian[j * dim + i]).as("Hessian %d,%d", j, i).isCloseTo(second, within(1e-6));
      }
    }
  }
}
