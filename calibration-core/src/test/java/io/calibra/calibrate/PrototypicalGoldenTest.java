package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prototypical calibration against an independent numpy reference
 * (golden/calibrators-b/make_prototypical.py: the same seeded k-means++ start drawn by a Python
 * port of java.util.Random, the same EM and stopping rule, scipy's linear_sum_assignment for the
 * matching) on synthetic K = 3 and real SST-2 (K = 2) and AG News (K = 4) MiniLM scores, two seeds
 * each: the initial rows exactly, the iteration count within one, the last E-step's mean
 * log-likelihood to 1e-8, mixing weights, means and covariances to 1e-7 relative, posteriors to
 * 1e-7.
 */
class PrototypicalGoldenTest {
  private static final JsonNode ROOT = GoldenFits.load("/golden/calibrators-b/prototypical.json");

  static Stream<GoldenFits.Case> cases() {
    return GoldenFits.cases(ROOT, "cases", "name");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fitMatchesTheReference(GoldenFits.Case c) {
    JsonNode e = c.json();
    List<LabelDistribution> rows = GoldenFits.source(e.get("source").asText()).distributions();
    long seed = e.get("seed").asLong();
    double[][] x = PrototypicalCalibration.features(rows);
    int k = x[0].length;
    double[][] init = PrototypicalCalibration.initialMeans(x, k, seed);
    JsonNode initialRows = e.get("initial_rows");
    for (int c2 = 0; c2 < k; c2++) {
      assertThat(init[c2]).as("initial mean %d", c2).isEqualTo(x[initialRows.get(c2).asInt()]);
    }
    PrototypicalCalibration.Em em = PrototypicalCalibration.em(x, init);
    assertThat(em.iterations()).isCloseTo(e.get("iterations").asInt(), within(1));
    // an empirical margin: one EM iteration more or less moves the log-likelihood by about 1e-10
    assertThat(em.logLikelihood()).isCloseTo(e.get("log_likelihood").asDouble(), within(1e-8));

    Calibrator.Mixture fit = (Calibrator.Mixture) PrototypicalCalibration.fit(rows, seed);
    assertThat(fit.kind()).isEqualTo(CalibrationMethod.PROTOTYPICAL);
    assertThat(fit.mixingWeights())
        .containsExactly(GoldenCase.doubles(e.get("mixing")), within(1e-9));
    double[] means = GoldenCase.doubles(e.get("means"));
    double[] covariances = GoldenCase.doubles(e.get("covariances"));
    for (int label = 0; label < k; label++) {
      double[] mean = fit.mean(label);
      double[] cov = fit.covariance(label);
      for (int j = 0; j < k; j++) {
        double expected = means[label * k + j];
        assertThat(mean[j]).isCloseTo(expected, within(1e-7 * Math.max(1, Math.abs(expected))));
      }
      for (int j = 0; j < k * k; j++) {
        double expected = covariances[label * k * k + j];
        assertThat(cov[j])
            .as("covariance %d [%d]", label, j)
            .isCloseTo(expected, within(1e-7 * Math.max(1, Math.abs(expected))));
      }
    }
    JsonNode posteriors = e.get("posteriors");
    for (int r = 0; r < posteriors.size(); r++) {
      assertThat(fit.apply(rows.get(r)).toArray())
          .as("row %d", r)
          .containsExactly(GoldenCase.doubles(posteriors.get(r)), within(1e-7));
    }
  }
}
