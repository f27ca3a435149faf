package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dirichlet calibration against an independent scipy reference
 * (golden/calibrators-b/make_dirichlet.py: the ODIR objective minimised by L-BFGS-B, then Newton
 * steps to a gradient below 1e-12) on synthetic scores for K = 3, 4, 6 and real SST-2 and AG News
 * MiniLM scores: W and b to 1e-7 (the optimum is unique with lambda, mu > 0), probabilities to
 * 1e-8, the objective to 1e-10, the objective and gradient at a probe point to 1e-12, and the
 * cross-validated choice of lambda and mu with its pooled out-of-fold NLL (the same folds, drawn by
 * a Python port of java.util.Random) to 1e-8.
 */
class DirichletGoldenTest {
  private static final JsonNode ROOT = GoldenFits.load("/golden/calibrators-b/dirichlet.json");

  static Stream<GoldenFits.Case> cases() {
    return GoldenFits.cases(ROOT, "cases", "name");
  }

  static Stream<GoldenFits.Case> crossValidations() {
    return GoldenFits.cases(ROOT, "cv", "source");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fitReachesTheReferenceOptimum(GoldenFits.Case c) {
    JsonNode e = c.json();
    LabelledSet data = GoldenFits.source(e.get("source").asText());
    ScalingFit fit =
        DirichletCalibration.fitWithDiagnostics(
            data, e.get("lambda").asDouble(), e.get("mu").asDouble());
    assertThat(fit.converged()).as("converged: %s", fit).isTrue();
    assertThat(fit.maxAbsGradient()).isLessThanOrEqualTo(ScalingFit.GRADIENT_TOLERANCE);
    assertThat(fit.objective()).isCloseTo(e.get("objective").asDouble(), within(1e-10));
    Calibrator.Scaling s = (Calibrator.Scaling) fit.calibrator();
    assertThat(s.kind()).isEqualTo(CalibrationMethod.DIRICHLET);
    assertThat(s.diagonal()).isFalse();
    assertThat(s.weights()).containsExactly(GoldenCase.doubles(e.get("weights")), within(1e-7));
    assertThat(s.biases()).containsExactly(GoldenCase.doubles(e.get("bias")), within(1e-7));
    List<LabelDistribution> q = s.applyAll(data.distributions());
    double nll = 0;
    for (int r = 0; r < data.size(); r++) {
      nll -= Math.log(q.get(r).probability(data.gold(r)));
    }
    assertThat(nll / data.size()).isCloseTo(e.get("nll").asDouble(), within(1e-10));
    JsonNode rows = e.get("probabilities");
    for (int r = 0; r < rows.size(); r++) {
      assertThat(q.get(r).toArray())
          .as("row %d", r)
          .containsExactly(GoldenCase.doubles(rows.get(r)), within(1e-8));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void objectiveGradientAndHessianMatchTheReferenceAndFiniteDifferences(GoldenFits.Case c) {
    JsonNode e = c.json();
    FitData data = FitData.of(GoldenFits.source(e.get("source").asText()), "test");
    double lambda = e.get("lambda").asDouble();
    double mu = e.get("mu").asDouble();
    int k = data.k;
    int dim = k * k + k;
    double[] probe = new double[dim];
    for (int i = 0; i < dim; i++) {
      probe[i] = (i < k * k && i / k == i % k ? 1.0 : 0.0) + 0.01;
    }
    double[] grad = new double[dim];
    double value = AffineObjective.odirObjective(data, lambda, mu, probe, grad);
    assertThat(value).isCloseTo(e.get("probe_objective").asDouble(), within(1e-12));
    assertThat(grad).containsExactly(GoldenCase.doubles(e.get("probe_gradient")), within(1e-12));
    double h = 1e-6;
    double[] hessian = AffineObjective.odirHessianOf(data, lambda, mu, probe);
    double[] gPlus = new double[dim];
    double[] gMinus = new double[dim];
    for (int i = 0; i < dim; i++) {
      double[] plus = probe.clone();
      double[] minus = probe.clone();
      plus[i] += h;
      minus[i] -= h;
      AffineObjective.odirObjective(data, lambda, mu, plus, gPlus);
      AffineObjective.odirObjective(data, lambda, mu, minus, gMinus);
      for (int j = 0; j < dim; j++) {
        assertThat(hessian[j * dim + i])
            .as("Hessian %d,%d", j, i)
            .isCloseTo((gPlus[j] - gMinus[j]) / (2 * h), within(1e-6));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crossValidations")
  void crossValidationChoosesTheReferencePair(GoldenFits.Case c) {
    JsonNode e = c.json();
    LabelledSet data = GoldenFits.source(c.name());
    DirichletCalibration.Odir odir =
        DirichletCalibration.chooseOdir(data, e.get("folds").asInt(), e.get("seed").asLong());
    JsonNode best = e.get("best");
    assertThat(odir.lambda()).isEqualTo(best.get("lambda").asDouble());
    assertThat(odir.mu()).isEqualTo(best.get("mu").asDouble());
    assertThat(odir.nll()).isCloseTo(best.get("nll").asDouble(), within(1e-8));
    // fit(data) is the fit with the chosen pair (3 folds, seed 0, as the reference)
    assertThat(DirichletCalibration.fit(data))
        .isEqualTo(DirichletCalibration.fit(data, odir.lambda(), odir.mu()));
  }
}
