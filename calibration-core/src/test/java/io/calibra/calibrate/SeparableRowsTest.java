package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fitted methods on rows where their maximum-likelihood fit does not exist refuse with a {@link
 * NoFitException} instead of returning an overconfident map (such as temperature scaling's T =
 * 0.0132 on 16 dev rows all classified right, which raised the NLL of 400 test rows from 0.47 to
 * 6.69). Expected outcomes are hand derived: the scores of these families are linear in their
 * parameters, so rows whose gold label some map puts strictly on top have no finite fit.
 */
class SeparableRowsTest {
  /** n rows over k labels, each row's gold label on top by a margin (a separable dev set). */
  static LabelledSet separable(int k, int n, long seed) {
    LabelSet labels = LabelSet.of(names(k));
    Random random = new Random(seed);
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      gold[i] = i % k;
      double[] p = new double[k];
      double rest = 0.05 + 0.3 * random.nextDouble();
      for (int j = 0; j < k; j++) {
        p[j] = j == gold[i] ? 1 - rest : rest / (k - 1);
      }
      rows.add(LabelDistribution.ofProbabilities(labels, p));
    }
    return LabelledSet.of(rows, gold);
  }

  private static List<String> names(int k) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("l" + i);
    }
    return names;
  }

  private static void assertRefuses(
      String what, Function<LabelledSet, Calibrator> fit, LabelledSet data) {
    assertThatThrownBy(() -> fit.apply(data))
        .as(what)
        .isInstanceOf(NoFitException.class)
        .hasMessageContaining("maximum-likelihood fit")
        .hasMessageEndingWith(NoFitException.REMEDY)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @ParameterizedTest(name = "{0} labels")
  @ValueSource(ints = {2, 4})
  void everyScalingMethodRefusesSixteenSeparableRows(int k) {
    LabelledSet data = separable(k, 16, 1);
    for (CalibrationMethod m :
        List.of(
            CalibrationMethod.TEMPERATURE,
            CalibrationMethod.VECTOR,
            CalibrationMethod.MATRIX,
            CalibrationMethod.DIRICHLET,
            CalibrationMethod.SCALING_BINNING)) {
      assertRefuses(m.methodName(), MethodFits.labelled(m)::fit, data);
    }
    assertRefuses("dirichlet with given strengths", d -> DirichletCalibration.fit(d, 1, 1), data);
    assertRefuses("vector with a strong prior", d -> VectorScaling.fit(d, 10), data);
    assertThatThrownBy(() -> TemperatureScaling.fit(data))
        .hasMessageStartingWith(
            "temperature scaling has no maximum-likelihood fit: all 16 labelled rows have their"
                + " gold label on top (separable)");
  }

  @Test
  void plattAndBetaRefuseWithTheSameType() {
    LabelledSet data = separable(2, 16, 2);
    assertRefuses("platt", MethodFits.labelled(CalibrationMethod.PLATT)::fit, data);
    assertRefuses("beta", MethodFits.labelled(CalibrationMethod.BETA)::fit, data);
  }

  @Test
  void theSameRefusalOnRowsKeptInParts() {
    LabelledSet data = separable(3, 12, 3);
    double[] z = new double[12 * 3];
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 3; j++) {
        z[i * 3 + j] = Math.log(data.distribution(i).probability(j));
      }
    }
    PartitionedRows parts = new PartitionedRowsTest.Parts(List.of(z), List.of(data.goldArray()));
    assertThatThrownBy(() -> TemperatureScaling.fit(parts)).isInstanceOf(NoFitException.class);
  }

  @Test
  void scoresPointingAwayFromTheGoldLabelsHaveNoFit() {
    // every gold label is the less likely one: the NLL is lowest as T grows without bound
    LabelledSet data = separable(2, 10, 4);
    int[] flipped = data.goldArray();
    for (int i = 0; i < flipped.length; i++) {
      flipped[i] = 1 - flipped[i];
    }
    assertThatThrownBy(() -> TemperatureScaling.fit(LabelledSet.of(data.distributions(), flipped)))
        .isInstanceOf(NoFitException.class)
        .hasMessageContaining("carry no information about the labels");
  }

  @Test
  void vectorScalingRefusesRowsItsBiasSeparatesThoughTheRawScoresDoNot() {
    // p(a) = 0.9, 0.8 (gold a), 0.55, 0.3, 0.2 (gold b): the third row is wrong, so temperature
    // scaling has a fit; a bias towards b moves the boundary between 0.8 and 0.55, which puts
    // every gold label on top: vector scaling's likelihood keeps rising as its weights grow
    LabelSet ab = LabelSet.of("a", "b");
    List<LabelDistribution> rows = new ArrayList<>();
    for (double p : new double[] {0.9, 0.8, 0.55, 0.3, 0.2}) {
      rows.add(LabelDistribution.ofProbabilities(ab, p, 1 - p));
    }
    LabelledSet data = LabelledSet.of(rows, new int[] {0, 0, 1, 1, 1});
    assertThat(((Calibrator.Temperature) TemperatureScaling.fit(data)).temperature())
        .isBetween(0.01, 100.0);
    assertThatThrownBy(() -> VectorScaling.fit(data))
        .isInstanceOf(NoFitException.class)
        .hasMessageStartingWith(
            "vector scaling has no maximum-likelihood fit: the fitted map puts the gold label"
                + " strictly on top in all 5 labelled rows");
    assertThatThrownBy(() -> MatrixScaling.fit(data)).isInstanceOf(NoFitException.class);
  }

  @Test
  void oneWrongRowAmongOverlappingOnesStillFits() {
    // the gold labels overlap along p: no map of these families separates them, so each fits
    LabelSet ab = LabelSet.of("a", "b");
    List<LabelDistribution> rows = new ArrayList<>();
    double[] p = {0.9, 0.8, 0.7, 0.6, 0.55, 0.45, 0.4, 0.3, 0.2, 0.1};
    int[] gold = {0, 0, 1, 0, 1, 0, 1, 1, 0, 1};
    for (double v : p) {
      rows.add(LabelDistribution.ofProbabilities(ab, v, 1 - v));
    }
    LabelledSet data = LabelledSet.of(rows, gold);
    for (CalibrationMethod m :
        List.of(
            CalibrationMethod.TEMPERATURE,
            CalibrationMethod.VECTOR,
            CalibrationMethod.MATRIX,
            CalibrationMethod.PLATT,
            CalibrationMethod.SCALING_BINNING)) {
      assertThat(MethodFits.labelled(m).fit(data).kind()).as(m.methodName()).isEqualTo(m);
    }
  }
}
