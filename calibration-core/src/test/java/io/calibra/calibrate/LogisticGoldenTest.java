package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.RandomData;
import io.calibra.golden.GoldenCase;
import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Platt scaling, beta calibration and scaling-binning against an independent numpy/scipy reference
 * (golden/fits/make_logistic.py: L-BFGS-B, then Newton steps to a gradient below 1e-13; beta with
 * its bounds a, b >= 0 and the KKT conditions checked): over- and under-confident synthetic scores,
 * the real SST-2 MiniLM scores and a case where beta's bound a >= 0 is active; scaling-binning for
 * K = 2, 3, 4, with ties, fewer rows than bins and repeated edges.
 */
class LogisticGoldenTest {
  private static final JsonNode ROOT = GoldenFits.load("/golden/fits/logistic.json");

  record Case(String name, JsonNode json) {
    @Override
    public String toString() {
      return name;
    }

    LabelSet labels() {
      return RandomData.labels(json.get("rows").get(0).size());
    }

    LabelledSet data() {
      return GoldenFits.labelled(rows("rows"), json.get("gold"));
    }

    List<LabelDistribution> rows(String field) {
      return GoldenFits.exactRows(labels(), json.get(field));
    }
  }

  static Stream<Case> logistic() {
    return cases("logistic", 4);
  }

  static Stream<Case> scalingBinning() {
    return cases("scaling_binning", 5);
  }

  private static Stream<Case> cases(String field, int count) {
    List<Case> out = new ArrayList<>();
    ROOT.get(field).forEach(c -> out.add(new Case(c.get("name").asText(), c)));
    assertThat(out).hasSize(count);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logistic")
  void plattReachesTheReferenceOptimum(Case c) {
    check(c, CalibrationMethod.PLATT, c.json.get("platt"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logistic")
  void betaReachesTheReferenceOptimumWithinItsBounds(Case c) {
    check(c, CalibrationMethod.BETA, c.json.get("beta"));
  }

  private static void check(Case c, CalibrationMethod method, JsonNode expected) {
    LabelledSet data = c.data();
    Calibrator fitted = MethodFits.labelled(method).fit(data);
    Calibrator.Logistic l = (Calibrator.Logistic) fitted;
    assertThat(l.kind()).isEqualTo(method);
    assertThat(l.a()).as("a").isCloseTo(expected.get("a").asDouble(), within(1e-9));
    assertThat(l.b()).as("b").isCloseTo(expected.get("b").asDouble(), within(1e-9));
    assertThat(l.c()).as("c").isCloseTo(expected.get("c").asDouble(), within(1e-9));
    for (int j = 0; j < 2; j++) {
      if (expected.get("at_bound").get(j).asBoolean()) {
        assertThat(j == 0 ? l.a() : l.b()).as("bound parameter %d", j).isEqualTo(0.0);
      }
    }
    // the mean NLL of the fitting rows, computed here from the calibrated probabilities
    double nll = 0;
    for (int i = 0; i < data.size(); i++) {
      double[] row = data.distribution(i).toArray();
      fitted.applyInto(row, 0, row, 0);
      nll -= Math.log(row[data.gold(i)]);
    }
    assertThat(nll / data.size())
        .as("NLL")
        .isCloseTo(expected.get("nll").asDouble(), within(1e-12));
    // the gradient of the free parameters at the Java optimum is tiny
    double[][] x = new double[data.size()][];
    for (int i = 0; i < x.length; i++) {
      double l0 = Probabilities.flooredLog(data.distribution(i).probability(0));
      double l1 = Probabilities.flooredLog(data.distribution(i).probability(1));
      x[i] =
          method == CalibrationMethod.PLATT ? new double[] {l1 - l0, 1} : new double[] {l1, -l0, 1};
    }
    double[] theta =
        method == CalibrationMethod.PLATT
            ? new double[] {l.a(), l.c()}
            : new double[] {l.a(), l.b(), l.c()};
    double[] g = LogisticCalibration.gradient(x, data.goldArray(), theta);
    for (int j = 0; j < g.length; j++) {
      boolean bound = method == CalibrationMethod.BETA && j < 2 && theta[j] == 0;
      if (bound) {
        assertThat(g[j]).as("KKT: gradient of a parameter at its bound").isGreaterThanOrEqualTo(0);
      } else {
        assertThat(Math.abs(g[j])).as("gradient %d", j).isLessThanOrEqualTo(1e-12);
      }
    }
    List<LabelDistribution> test = c.rows("test_rows");
    for (int r = 0; r < test.size(); r++) {
      double[] row = test.get(r).toArray();
      fitted.applyInto(row, 0, row, 0);
      assertThat(row)
          .as("calibrated row %d", r)
          .containsExactly(GoldenCase.doubles(expected.get("calibrated").get(r)), within(1e-9));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalingBinning")
  void scalingBinningIsTheReference(Case c) {
    LabelledSet data = c.data();
    int bins = c.json.get("bins").asInt();
    double t = c.json.get("temperature").asDouble();
    Calibrator fitted =
        MethodFits.labelled(CalibrationMethod.SCALING_BINNING)
            .fit(data, FitOptions.defaults().withBins(bins));
    Calibrator.ScalingBinning sb = (Calibrator.ScalingBinning) fitted;
    assertThat(sb.temperature()).as("T").isCloseTo(t, within(1e-9 * t));
    // the binning step with the reference's T: edges and values to rounding
    Calibrator.ScalingBinning atT = (Calibrator.ScalingBinning) ScalingBinning.fit(data, t, bins);
    for (Calibrator.ScalingBinning s : List.of(sb, atT)) {
      double tol = s == sb ? 1e-9 : 1e-14;
      for (int label = 0; label < c.labels().size(); label++) {
        assertThat(s.edges(label))
            .as("edges of label %d", label)
            .containsExactly(GoldenCase.doubles(c.json.get("edges").get(label)), within(tol));
        assertThat(s.values(label))
            .as("values of label %d", label)
            .containsExactly(GoldenCase.doubles(c.json.get("values").get(label)), within(tol));
      }
      List<LabelDistribution> test = c.rows("test_rows");
      for (int r = 0; r < test.size(); r++) {
        double[] row = test.get(r).toArray();
        s.applyInto(row, 0, row, 0);
        assertThat(row)
            .as("calibrated row %d", r)
            .containsExactly(GoldenCase.doubles(c.json.get("calibrated").get(r)), within(tol));
      }
    }
  }
}
