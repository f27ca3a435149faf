package io.calibra.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every expected value of the golden cases (numpy/scipy reference in shared golden): probabilities
 * and metrics to 1e-9 absolute, temperatures to 1e-6 relative.
 */
class GoldenTest {
  private static final double ABS = 1e-9;

  static Stream<GoldenCase> cases() {
    return GoldenCase.NAMES.stream().map(GoldenCase::load);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rawMetricsMatch(GoldenCase g) {
    assertMetrics(Metrics.evaluate(g.raw()), g.expected.get("raw").get("metrics"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void contextualBiasProbabilitiesAndMetricsMatch(GoldenCase g) {
    JsonNode expected = g.expected.get("contextual");
    LabelDistribution pcf = ContextualCalibration.estimateBias(g.contentFreeDistributions());
    assertThat(pcf.toArray())
        .containsExactly(GoldenCase.doubles(expected.get("p_cf")), within(ABS));

    Calibrator contextual = ContextualCalibration.fit(g.contentFreeDistributions());
    List<LabelDistribution> calibrated = contextual.applyAll(g.rawDistributions());
    JsonNode rows = expected.get("probabilities");
    assertThat(calibrated).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertThat(calibrated.get(i).toArray())
          .as("row %d", i)
          .containsExactly(GoldenCase.doubles(rows.get(i)), within(ABS));
    }
    CalibrationMetrics metrics = Metrics.evaluate(LabelledSet.of(calibrated, g.gold));
    assertMetrics(metrics, expected.get("metrics"));
    List<Long> counts = new ArrayList<>();
    expected.get("prediction_counts").forEach(n -> counts.add(n.asLong()));
    assertThat(metrics.predictionCounts()).isEqualTo(counts);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void temperatureAndItsMetricsMatch(GoldenCase g) {
    JsonNode expected = g.expected.get("temperature");
    Calibrator t = TemperatureScaling.fit(g.raw());
    double goldenT = expected.get("temperature").asDouble();
    assertTemperature(t, goldenT);
    assertMetricsAtGoldenAndFittedTemperature(g.raw(), t, goldenT, expected.get("metrics"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void contextualThenTemperatureMatches(GoldenCase g) {
    JsonNode expected = g.expected.get("contextual_then_temperature");
    Calibrator contextual = ContextualCalibration.fit(g.contentFreeDistributions());
    LabelledSet calibrated = LabelledSet.of(contextual.applyAll(g.rawDistributions()), g.gold);
    Calibrator t = TemperatureScaling.fit(calibrated);
    double goldenT = expected.get("temperature").asDouble();
    assertTemperature(t, goldenT);
    Calibrator pipeline = contextual.andThen(t);
    assertThat(pipeline.stages()).containsExactly(contextual, t);
    List<LabelDistribution> viaPipeline = pipeline.applyAll(g.rawDistributions());
    List<LabelDistribution> stepByStep = t.applyAll(calibrated.distributions());
    for (int i = 0; i < viaPipeline.size(); i++) {
      assertThat(viaPipeline.get(i).toArray())
          .containsExactly(stepByStep.get(i).toArray(), within(1e-15));
    }
    assertMetricsAtGoldenAndFittedTemperature(calibrated, t, goldenT, expected.get("metrics"));
  }

  /**
   * The golden temperatures sit about 1e-8 (relative) from the exact NLL optimum, which ours
   * reaches (checked against an extended-precision root of the NLL's derivative: 1.0851874864912598
   * for sst2-zeroshot against the golden 1.0851874966711805), and the golden metrics were computed
   * at the golden temperature. So the metrics are checked to 1e-9 at the golden temperature, which
   * tests the scaling and the metrics, and to 1e-7 at ours, which a 1e-8 shift of T stays well
   * within.
   */
  private static void assertMetricsAtGoldenAndFittedTemperature(
      LabelledSet input, Calibrator fitted, double goldenT, JsonNode expected) {
    Calibrator atGolden = TemperatureScaling.of(input.labels(), goldenT);
    assertMetrics(
        Metrics.evaluate(
            LabelledSet.of(atGolden.applyAll(input.distributions()), input.goldArray())),
        expected,
        ABS);
    assertMetrics(
        Metrics.evaluate(LabelledSet.of(fitted.applyAll(input.distributions()), input.goldArray())),
        expected,
        1e-7);
  }

  private static void assertTemperature(Calibrator t, double expected) {
    double fitted = t.parameters().get("temperature")[0];
    assertThat(Math.abs(fitted - expected) / expected)
        .as("relative error of T=%s against %s", fitted, expected)
        .isLessThanOrEqualTo(1e-6);
  }

  private static void assertMetrics(CalibrationMetrics m, JsonNode e) {
    assertMetrics(m, e, ABS);
  }

  private static void assertMetrics(CalibrationMetrics m, JsonNode e, double tolerance) {
    assertThat(m.accuracy())
        .as("accuracy")
        .isCloseTo(e.get("accuracy").asDouble(), within(tolerance));
    assertThat(m.macroF1())
        .as("macro_f1")
        .isCloseTo(e.get("macro_f1").asDouble(), within(tolerance));
    assertThat(m.ece()).as("ece").isCloseTo(e.get("ece").asDouble(), within(tolerance));
    assertThat(m.eceEqualMass().orElseThrow())
        .as("ece_equal_mass")
        .isCloseTo(e.get("ece_equal_mass").asDouble(), within(tolerance));
    assertThat(m.mce()).as("mce").isCloseTo(e.get("mce").asDouble(), within(tolerance));
    assertThat(m.classwiseEce())
        .as("classwise_ece")
        .isCloseTo(e.get("classwise_ece").asDouble(), within(tolerance));
    assertThat(m.brier()).as("brier").isCloseTo(e.get("brier").asDouble(), within(tolerance));
    assertThat(m.nll()).as("nll").isCloseTo(e.get("nll").asDouble(), within(tolerance));
    assertThat(e.size()).as("metrics in the golden file").isEqualTo(8);
  }
}
