package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.RandomData;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Isotonic, histogram-binning, scaling-binning, Platt and beta on small hand-computed cases
 * (expected values worked out by hand in the comments), their checks and messages, value semantics
 * and thread safety.
 */
class ClasswiseCalibratorsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  private static LabelledSet set(LabelSet labels, double[][] rows, int... gold) {
    List<LabelDistribution> d = new ArrayList<>();
    for (double[] r : rows) {
      d.add(LabelDistribution.ofProbabilities(labels, r));
    }
    return LabelledSet.of(d, gold);
  }

  private static double[] map(Calibrator c, double... row) {
    double[] out = row.clone();
    c.applyInto(out, 0, out, 0);
    return out;
  }

  @Test
  void isotonicRegressionPoolsTiesThenViolatorsThenTrims() {
    // sorted (x, y): (.1,0) (.2,0) (.2,1) (.4,1) (.9,1); x = .2 pooled to 1/2: 0, .5, 1, 1 is
    // already monotone; every point kept (.4's value differs from .2's, .9 is last)
    double[][] fit =
        IsotonicCalibration.regression(
            new double[] {0.9, 0.2, 0.4, 0.1, 0.2}, new double[] {1, 1, 1, 0, 0});
    assertThat(fit[0]).containsExactly(0.1, 0.2, 0.4, 0.9);
    assertThat(fit[1]).containsExactly(0, 0.5, 1, 1);
    // y = 1, 0, 0, 1: the first three pooled to 1/3 (ties pooled too); .2 is dropped (equal
    // values on both sides)
    fit =
        IsotonicCalibration.regression(
            new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {1, 0, 0, 1});
    assertThat(fit[0]).containsExactly(0.1, 0.3, 0.4);
    assertThat(fit[1]).containsExactly(1.0 / 3, 1.0 / 3, 1);
    // y = 1, 1, 0, 0 at distinct x: all pooled to 1/2, only the end points stay
    fit =
        IsotonicCalibration.regression(
            new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {1, 1, 0, 0});
    assertThat(fit[0]).containsExactly(0.1, 0.4);
    assertThat(fit[1]).containsExactly(0.5, 0.5);
    // a violator found after a pooled block backtracks: y = 0, .., 1, 0 then 0
    fit =
        IsotonicCalibration.regression(
            new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, new double[] {0, 1, 0, 1, 0});
    // PAVA: (0) (1,0)->.5 (1,0)->.5 : 0, .5, .5, .5, .5
    assertThat(fit[0]).containsExactly(0.1, 0.2, 0.5);
    assertThat(fit[1]).containsExactly(0, 0.5, 0.5);
    // one point: a constant map
    fit = IsotonicCalibration.regression(new double[] {0.3, 0.3}, new double[] {1, 0});
    assertThat(fit[0]).containsExactly(0.3);
    assertThat(fit[1]).containsExactly(0.5);
    // values less than 1e-15 apart are one point; 1e-15 apart are two
    fit =
        IsotonicCalibration.regression(
            new double[] {0.5, 0.5 + 4e-16, 0.6, 0.6 + 1.2e-15}, new double[] {0, 1, 0, 1});
    // pooled points (.5, 1/2, weight 2), (.6, 0), (.6 + 1.2e-15, 1); PAVA pools the first two
    assertThat(fit[0]).containsExactly(0.5, 0.6, 0.6 + 1.2e-15);
    assertThat(fit[1]).containsExactly(1.0 / 3, 1.0 / 3, 1.0);
  }

  @Test
  void isotonicInterpolatesLinearlyAndClipsOutside() {
    double[] xp = {0.1, 0.3, 0.4};
    double[] fp = {0.25, 0.5, 1};
    assertThat(IsotonicCalibration.interpolate(0.0, xp, fp)).isEqualTo(0.25);
    assertThat(IsotonicCalibration.interpolate(0.1, xp, fp)).isEqualTo(0.25);
    assertThat(IsotonicCalibration.interpolate(0.3, xp, fp)).isEqualTo(0.5);
    assertThat(IsotonicCalibration.interpolate(0.4, xp, fp)).isEqualTo(1.0);
    assertThat(IsotonicCalibration.interpolate(0.9, xp, fp)).isEqualTo(1.0);
    // (.5 - .25) / (.3 - .1) * (.2 - .1) + .25 = .375; (1 - .5) / .1 * .05 + .5 = .75
    assertThat(IsotonicCalibration.interpolate(0.2, xp, fp)).isCloseTo(0.375, within(1e-15));
    assertThat(IsotonicCalibration.interpolate(0.35, xp, fp)).isCloseTo(0.75, within(1e-15));
    assertThat(IsotonicCalibration.interpolate(0.7, new double[] {0.2}, new double[] {0.4}))
        .isEqualTo(0.4);
  }

  @Test
  void isotonicCalibratorNormalisesAndARowOfZerosBecomesUniform() {
    double[][] x = {{0.5, 0.6}, {0.5, 0.6}, {0.5, 0.6}};
    double[][] y = {{0, 1}, {0, 0.5}, {0.25, 1}};
    Calibrator c = IsotonicCalibration.of(ABC, x, y);
    // every value at or below .5: 0, 0, .25 -> (0, 0, 1)
    assertThat(map(c, 0.4, 0.3, 0.3)).containsExactly(0, 0, 1);
    // .55 -> .5 (halfway from 0 to 1); .2 -> 0 and .25 -> .25 (below the thresholds): sum .75
    assertThat(map(c, 0.55, 0.2, 0.25))
        .containsExactly(new double[] {0.5 / 0.75, 0, 0.25 / 0.75}, within(1e-15));
    Calibrator zeros = IsotonicCalibration.of(ABC, x, new double[][] {{0, 1}, {0, 1}, {0, 1}});
    assertThat(map(zeros, 0.4, 0.3, 0.3)).containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3);
    Calibrator.Isotonic iso = (Calibrator.Isotonic) c;
    assertThat(iso.thresholds(2)).containsExactly(0.5, 0.6);
    assertThat(iso.values(2)).containsExactly(0.25, 1);
    iso.values(2)[0] = 9; // a copy
    assertThat(iso.values(2)[0]).isEqualTo(0.25);
    assertThatThrownBy(() -> iso.values(3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("label");
    assertThat(c.kind()).isEqualTo(CalibrationMethod.ISOTONIC);
    Map<String, double[]> saved = c.kind().write(c);
    assertThat(saved.get("counts")).containsExactly(2, 2, 2);
    assertThat(saved.get("thresholds")).containsExactly(0.5, 0.6, 0.5, 0.6, 0.5, 0.6);
    assertThat(saved.get("values")).containsExactly(0, 1, 0, 0.5, 0.25, 1);
    assertThat(c.kind().read(ABC, saved)).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c).isNotEqualTo(zeros);
    assertThat(c.toString()).contains("isotonic", "thresholds=[0.5, 0.6, 0.5", "counts=");
  }

  @Test
  void isotonicFitsOneGoldClassAndOneRow() {
    LabelledSet one = set(AB, new double[][] {{0.3, 0.7}}, 1);
    Calibrator c = IsotonicCalibration.fit(one);
    // label a: never gold -> 0; label b: always -> 1
    assertThat(map(c, 0.9, 0.1)).containsExactly(0, 1);
    assertThat(((Calibrator.Isotonic) c).thresholds(0)).containsExactly(0.3);
  }

  @Test
  void isotonicRejectsBadParametersNamingThem() {
    double[][] two = {{0.1, 0.2}, {0.1, 0.2}};
    assertThatThrownBy(() -> IsotonicCalibration.of(AB, new double[][] {{0.1}}, two))
        .hasMessage("isotonic calibration has thresholds for 1 labels; expected 2");
    assertThatThrownBy(() -> IsotonicCalibration.of(AB, two, new double[][] {{0.1}}))
        .hasMessage("isotonic calibration has values for 1 labels; expected 2");
    assertThatThrownBy(
            () -> IsotonicCalibration.of(AB, new double[][] {{0.1}, {}}, new double[][] {{0}, {}}))
        .hasMessage(
            "isotonic calibration label 'b' has 0 thresholds and 0 values; expected equal,"
                + " non-zero counts");
    assertThatThrownBy(
            () ->
                IsotonicCalibration.of(
                    AB, new double[][] {{0.1}, {0.1, 0.2}}, new double[][] {{0}, {0}}))
        .hasMessageContaining("label 'b' has 2 thresholds and 1 values");
    assertThatThrownBy(
            () ->
                IsotonicCalibration.of(
                    AB, new double[][] {{0.1}, {Double.NaN}}, new double[][] {{0}, {0}}))
        .hasMessage("isotonic calibration label 'b' threshold 0 is NaN; expected a finite value");
    assertThatThrownBy(
            () ->
                IsotonicCalibration.of(
                    AB, new double[][] {{0.1}, {0.2, 0.2 + 5e-16}}, new double[][] {{0}, {0, 0}}))
        .hasMessageStartingWith("isotonic calibration label 'b' threshold 1 is 0.2000000000000005")
        .hasMessageEndingWith("expected thresholds increasing by at least 1.0E-15");
    assertThatThrownBy(
            () ->
                IsotonicCalibration.of(
                    AB, new double[][] {{0.1}, {0.2, 0.3}}, new double[][] {{0}, {0, 1.5}}))
        .hasMessage("isotonic calibration label 'b' value 1 is 1.5; expected a value in [0, 1]");
    assertThatThrownBy(
            () ->
                IsotonicCalibration.of(
                    AB, new double[][] {{0.1}, {0.2, 0.3}}, new double[][] {{0}, {0.5, 0.25}}))
        .hasMessage(
            "isotonic calibration label 'b' value 1 is 0.25 after 0.5; expected non-decreasing"
                + " values");
    assertThatThrownBy(
            () ->
                IsotonicCalibration.of(
                    AB, new double[][] {{0.1}, {0.2}}, new double[][] {{0}, {Double.NaN}}))
        .hasMessageContaining("value 0 is NaN");
  }

  @Test
  void histogramBinningTakesTheGoldFractionPerBinAndTheCentreOfEmptyOnes() {
    // label a: p_a = .7 (bin 1, gold a), .6 (bin 1, gold b), .2 (bin 0, gold b) -> bin 0: 0/1,
    // bin 1: 1/2. label b: p_b = .3 and .4 (bin 0: gold a, b -> 1/2), .8 (bin 1: gold b -> 1)
    LabelledSet data = set(AB, new double[][] {{0.7, 0.3}, {0.6, 0.4}, {0.2, 0.8}}, 0, 1, 1);
    Calibrator c = HistogramBinning.fit(data, 2);
    Calibrator.HistogramBinning h = (Calibrator.HistogramBinning) c;
    assertThat(h.bins()).isEqualTo(2);
    assertThat(h.values(0)).containsExactly(0, 0.5);
    assertThat(h.values(1)).containsExactly(0.5, 1);
    assertThat(map(c, 0.7, 0.3)).containsExactly(0.5, 0.5);
    assertThat(map(c, 0.2, 0.8)).containsExactly(0, 1);
    // .5 * 2 = 1: ceil(1) - 1 = bin 0 (bins are (lo, hi]); 0 is in bin 0, 1 in the last
    assertThat(map(c, 0.5, 0.5)).containsExactly(0, 1);
    assertThat(map(c, 1.0, 0.0)).containsExactly(0.5, 0.5); // a: bin 1 -> .5; b: bin 0 -> .5
    // four bins: the empty ones keep their centres (b + 1/2) / 4
    Calibrator four = HistogramBinning.fit(data, 4);
    // label a: .7 -> bin 2 (ceil(2.8) - 1), .6 -> bin 2, .2 -> bin 0 (ceil(.8) - 1)
    assertThat(((Calibrator.HistogramBinning) four).values(0))
        .containsExactly(0, 0.375, 0.5, 0.875);
    // a row of zeros becomes uniform
    Calibrator zeros = HistogramBinning.of(AB, new double[][] {{0, 1}, {0, 1}});
    assertThat(map(zeros, 0.5, 0.5)).containsExactly(0.5, 0.5);
    assertThat(HistogramBinning.fit(data).equals(HistogramBinning.fit(data, 15))).isTrue();
    assertThat(((Calibrator.HistogramBinning) HistogramBinning.fit(data)).bins()).isEqualTo(15);
    // saved label-major; B follows from the length
    Map<String, double[]> saved = c.kind().write(c);
    assertThat(saved.get("values")).containsExactly(0, 0.5, 0.5, 1);
    assertThat(c.kind().read(AB, saved)).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c).isNotEqualTo(four);
  }

  @Test
  void histogramBinningRejectsBadBinsAndValues() {
    LabelledSet data = set(AB, new double[][] {{0.7, 0.3}}, 0);
    assertThatThrownBy(() -> HistogramBinning.fit(data, 0))
        .hasMessage("histogram binning bins is 0; expected a value in [1, 1000000]");
    assertThatThrownBy(() -> HistogramBinning.fit(data, 1_000_001))
        .hasMessageContaining("bins is 1000001");
    assertThat(((Calibrator.HistogramBinning) HistogramBinning.fit(data, 1_000_000)).bins())
        .isEqualTo(1_000_000);
    assertThat(map(HistogramBinning.fit(data, 1), 0.1, 0.9)).containsExactly(1, 0);
    assertThatThrownBy(() -> HistogramBinning.of(AB, new double[][] {{0.5, 0.5}, {0.5}}))
        .hasMessage(
            "histogram binning has 1 bins for label 'b' and 2 for 'a'; expected the same number"
                + " for every label");
    assertThatThrownBy(() -> HistogramBinning.of(AB, new double[][] {{0.5, -0.1}, {0.5, 1}}))
        .hasMessage("histogram binning value 1 of label 'a' is -0.1; expected a value in [0, 1]");
    assertThatThrownBy(() -> HistogramBinning.of(AB, new double[][] {{}, {}}))
        .hasMessageContaining("bins is 0");
    assertThatThrownBy(() -> HistogramBinning.of(AB, new double[][] {{0.5}}))
        .hasMessage("histogram binning has values for 1 labels; expected 2");
    assertThatThrownBy(
            () -> CalibrationMethod.HISTOGRAM_BINNING.read(AB, Map.of("values", new double[3])))
        .hasMessage(
            "histogram binning has 3 values; expected a positive multiple of 2 (B bins per"
                + " label)");
    assertThatThrownBy(
            () -> CalibrationMethod.HISTOGRAM_BINNING.read(AB, Map.of("values", new double[0])))
        .hasMessageContaining("has 0 values");
  }

  @Test
  void scalingBinningEdgesAreMidpointsOfEqualMassGroups() {
    // 5 values, 2 bins: groups of 3 and 2 (array_split), edge (.3 + .4) / 2, then 1
    assertThat(ScalingBinning.equalMassEdges(new double[] {0.5, 0.1, 0.4, 0.3, 0.2}, 2))
        .containsExactly((0.3 + 0.4) / 2.0, 1.0);
    // more bins than values: one per value
    assertThat(ScalingBinning.equalMassEdges(new double[] {0.6, 0.2}, 15))
        .containsExactly(0.4, 1.0);
    // repeated values give repeated edges, removed
    assertThat(ScalingBinning.equalMassEdges(new double[] {0.2, 0.2, 0.2, 0.2}, 4))
        .containsExactly(0.2, 1.0);
    // 7 values in 3 groups of 3, 2, 2
    assertThat(ScalingBinning.equalMassEdges(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, 3))
        .containsExactly((0.3 + 0.4) / 2.0, (0.5 + 0.6) / 2.0, 1.0);
    double[] edges = {0.35, 1.0};
    assertThat(ScalingBinning.binOf(0.0, edges)).isZero();
    assertThat(ScalingBinning.binOf(0.35, edges)).isZero(); // bisect_left: (lo, hi]
    assertThat(ScalingBinning.binOf(Math.nextUp(0.35), edges)).isEqualTo(1);
    assertThat(ScalingBinning.binOf(1.0, edges)).isEqualTo(1);
    assertThat(ScalingBinning.binOf(1.5, edges)).isEqualTo(1);
  }

  @Test
  void scalingBinningValuesAreMeansOfTheScaledValues() {
    // T = 1 leaves the rows as they are: label a's values .2, .2, .6, .6 -> edges (.2, .6 -> .4)
    // for 2 bins: [.4, 1]; bin means .2 and .6 (of the scaled values, not of the labels)
    LabelledSet data =
        set(AB, new double[][] {{0.2, 0.8}, {0.6, 0.4}, {0.2, 0.8}, {0.6, 0.4}}, 0, 0, 1, 1);
    Calibrator c = ScalingBinning.fit(data, 1.0, 2);
    Calibrator.ScalingBinning s = (Calibrator.ScalingBinning) c;
    assertThat(s.temperature()).isEqualTo(1.0);
    assertThat(s.edges(0)).containsExactly(0.4, 1.0);
    assertThat(s.values(0)).containsExactly(0.2, 0.6);
    assertThat(s.edges(1)).containsExactly(0.6000000000000001, 1.0);
    assertThat(map(c, 0.3, 0.7)).containsExactly(0.2 / 1.0, 0.8 / 1.0);
    // an empty bin takes the midpoint of its edges: four equal values leave bin 1 empty
    LabelledSet same = set(AB, new double[][] {{0.2, 0.8}, {0.2, 0.8}}, 0, 1);
    Calibrator.ScalingBinning e = (Calibrator.ScalingBinning) ScalingBinning.fit(same, 1.0, 4);
    assertThat(e.edges(0)).containsExactly(0.2, 1.0);
    assertThat(e.values(0)).containsExactly(0.2, 0.6);
    Calibrator zeroBin =
        ScalingBinning.of(
            AB, 1.0, new double[][] {{0.5, 1.0}, {1.0}}, new double[][] {{0, 0.5}, {0}});
    assertThat(map(zeroBin, 0.4, 0.6)).containsExactly(0.5, 0.5); // (0, 0): uniform
    // the full fit finds T by temperature scaling
    LabelledSet random = RandomData.labelledSet(ABC, 300, new Random(5));
    Calibrator.ScalingBinning fitted = (Calibrator.ScalingBinning) ScalingBinning.fit(random);
    assertThat(fitted.temperature())
        .isEqualTo(((Calibrator.Temperature) TemperatureScaling.fit(random)).temperature());
    assertThat(fitted.edges(0)).hasSize(15);
    Map<String, double[]> saved = c.kind().write(c);
    assertThat(saved.keySet()).containsExactly("temperature", "counts", "edges", "values");
    assertThat(saved.get("counts")).containsExactly(2, 2);
    assertThat(c.kind().read(AB, saved)).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c).isNotEqualTo(ScalingBinning.fit(data, 2.0, 2));
  }

  @Test
  void scalingBinningRejectsBadParameters() {
    double[][] v = {{0.5}, {0.5}};
    double[][] one = {{1.0}, {1.0}};
    assertThatThrownBy(() -> ScalingBinning.of(AB, 0.0, one, v))
        .hasMessageContaining("temperature is 0.0");
    assertThatThrownBy(() -> ScalingBinning.of(AB, 1.0, new double[][] {{1.0}, {0.5}}, v))
        .hasMessage("scaling-binning label 'b' last edge is 0.5; expected 1.0");
    assertThatThrownBy(() -> ScalingBinning.of(AB, 1.0, new double[][] {{1.0}, {0.5, 0.5}}, v))
        .hasMessage(
            "scaling-binning label 'b' has 2 edges and 1 values; expected equal, non-zero"
                + " counts");
    assertThatThrownBy(
            () ->
                ScalingBinning.of(
                    AB,
                    1.0,
                    new double[][] {{1.0}, {0.5, 0.4, 1}},
                    new double[][] {{0}, {0, 0, 0}}))
        .hasMessage(
            "scaling-binning label 'b' edge 1 is 0.4; expected strictly increasing edges in [0,"
                + " 1]");
    assertThatThrownBy(
            () ->
                ScalingBinning.of(
                    AB, 1.0, new double[][] {{1.0}, {-0.1, 1}}, new double[][] {{0}, {0, 0}}))
        .hasMessageContaining("edge 0 is -0.1");
    assertThatThrownBy(
            () ->
                ScalingBinning.of(
                    AB, 1.0, new double[][] {{1.0}, {1.5}}, new double[][] {{0}, {0}}))
        .hasMessageContaining("edge 0 is 1.5");
    assertThatThrownBy(() -> ScalingBinning.of(AB, 1.0, one, new double[][] {{0.5}, {2}}))
        .hasMessage("scaling-binning value 0 of label 'b' is 2.0; expected a value in [0, 1]");
    assertThatThrownBy(() -> ScalingBinning.fit(RandomData.labelledSet(AB, 10, new Random(1)), 0))
        .hasMessage("scaling-binning bins is 0; expected a value in [1, 1000000]");
    assertThatThrownBy(
            () -> ScalingBinning.fit(set(AB, new double[][] {{0.5, 0.5}, {0.4, 0.6}}, 1, 1)))
        .hasMessageContaining("needs rows of at least 2 gold classes");
  }

  @Test
  void plattHasAClosedFormOnTwoSymmetricPoints() {
    // log-odds +-ln 4, each right 3 times in 4: by symmetry c = 0 and a ln 4 = logit(3/4) = ln 3
    double[][] rows = new double[8][];
    int[] gold = new int[8];
    for (int i = 0; i < 8; i++) {
      rows[i] = i < 4 ? new double[] {0.2, 0.8} : new double[] {0.8, 0.2};
      gold[i] = i < 4 ? (i == 0 ? 0 : 1) : (i == 4 ? 1 : 0);
    }
    Calibrator.Logistic p = (Calibrator.Logistic) LogisticCalibration.platt(set(AB, rows, gold));
    assertThat(p.a()).isCloseTo(Math.log(3) / Math.log(4), within(1e-14));
    assertThat(p.b()).isEqualTo(p.a());
    assertThat(p.c()).isCloseTo(0, within(1e-14));
    assertThat(map(p, 0.2, 0.8)).containsExactly(new double[] {0.25, 0.75}, within(1e-14));
    // beta: two distinct rows cannot identify three parameters
    assertThatThrownBy(() -> LogisticCalibration.beta(set(AB, rows, gold)))
        .hasMessageContaining("beta calibration has no unique maximum-likelihood fit")
        .hasMessageContaining("too few distinct to identify them");
  }

  @Test
  void logisticMapsByItsFormula() {
    Calibrator beta = LogisticCalibration.beta(AB, 2, 1, 0.5);
    double s = 2 * Math.log(0.75) - Math.log(0.25) + 0.5;
    assertThat(map(beta, 0.25, 0.75))
        .containsExactly(
            new double[] {1 / (1 + Math.exp(s)), 1 / (1 + Math.exp(-s))}, within(1e-16));
    Calibrator platt = LogisticCalibration.platt(AB, 1.5, -0.25);
    double t = 1.5 * (Math.log(0.75) - Math.log(0.25)) - 0.25;
    assertThat(map(platt, 0.25, 0.75))
        .containsExactly(
            new double[] {1 / (1 + Math.exp(t)), 1 / (1 + Math.exp(-t))}, within(1e-16));
    // the identity point of beta returns the row; a zero probability enters as log 1e-323
    assertThat(map(LogisticCalibration.beta(AB, 1, 1, 0), 0.3, 0.7))
        .containsExactly(new double[] {0.3, 0.7}, within(1e-15));
    // log 0 enters as -745: q_a = sigmoid(-745) = e^-745, the smallest subnormal
    assertThat(map(LogisticCalibration.platt(AB, 1, 0), 0, 1)).containsExactly(Math.exp(-745), 1);
    assertThat(map(LogisticCalibration.platt(AB, 1e300, 0), 0.5, 0.5)).containsExactly(0.5, 0.5);
    assertThat(map(LogisticCalibration.platt(AB, 1e300, 0), 0, 1)).containsExactly(0, 1);
    assertThat(LogisticCalibration.sigmoid(-800)).isEqualTo(0);
    assertThat(LogisticCalibration.sigmoid(800)).isEqualTo(1);
    assertThat(LogisticCalibration.softplus(800)).isEqualTo(800);
    assertThat(LogisticCalibration.softplus(-800)).isEqualTo(0);
    assertThat(LogisticCalibration.softplus(0)).isEqualTo(Math.log(2));
    assertThat(LogisticCalibration.softplus(1)).isCloseTo(Math.log(1 + Math.E), within(1e-15));
    Calibrator.Logistic l = (Calibrator.Logistic) beta;
    assertThat(new double[] {l.a(), l.b(), l.c()}).containsExactly(2, 1, 0.5);
    assertThat(beta.kind().write(beta)).containsOnlyKeys("a", "b", "c");
    assertThat(platt.kind().write(platt)).containsOnlyKeys("slope", "intercept");
    assertThat(platt.kind().write(platt).get("slope")).containsExactly(1.5);
    assertThat(platt.kind().write(platt).get("intercept")).containsExactly(-0.25);
    assertThat(CalibrationMethod.PLATT.read(AB, platt.kind().write(platt))).isEqualTo(platt);
    assertThat(CalibrationMethod.BETA.read(AB, beta.kind().write(beta))).isEqualTo(beta);
    assertThat(platt).isNotEqualTo(LogisticCalibration.beta(AB, 1.5, 1.5, -0.25));
    assertThat(platt.toString()).contains("platt", "slope=[1.5]");
  }

  @Test
  void plattAndBetaNeedTwoLabelsAndFiniteBoundedParameters() {
    LabelledSet three = RandomData.labelledSet(ABC, 50, new Random(1));
    assertThatThrownBy(() -> LogisticCalibration.platt(three))
        .hasMessage("platt calibration needs exactly 2 labels (K = 2); found K = 3 (a, b, c)");
    assertThatThrownBy(() -> MethodFits.labelled(CalibrationMethod.BETA).fit(three))
        .hasMessage("beta calibration needs exactly 2 labels (K = 2); found K = 3 (a, b, c)");
    assertThatThrownBy(() -> LogisticCalibration.beta(ABC, 1, 1, 0))
        .hasMessageContaining("found K = 3");
    assertThatThrownBy(() -> LogisticCalibration.beta(AB, -0.5, 1, 0))
        .hasMessage(
            "beta calibration a is -0.5; expected a finite value >= 0 of magnitude at most 1.0E300");
    assertThatThrownBy(() -> LogisticCalibration.beta(AB, 1, -0.0001, 0))
        .hasMessageContaining("beta calibration b is -1.0E-4");
    assertThat(((Calibrator.Logistic) LogisticCalibration.beta(AB, 0, 0, 1)).a()).isZero();
    assertThat(((Calibrator.Logistic) LogisticCalibration.platt(AB, -2, 0)).a()).isEqualTo(-2);
    assertThatThrownBy(() -> LogisticCalibration.platt(AB, Double.NaN, 0))
        .hasMessage(
            "platt calibration a is NaN; expected a finite value of magnitude at most"
                + " 1.0E300");
    assertThatThrownBy(() -> LogisticCalibration.platt(AB, 1, Double.POSITIVE_INFINITY))
        .hasMessageContaining("platt calibration c is Infinity");
    assertThatThrownBy(() -> LogisticCalibration.platt(AB, 1, 1.1e300))
        .hasMessageContaining("c is 1.1E300");
    assertThat(((Calibrator.Logistic) LogisticCalibration.platt(AB, -1e300, 1e300)).c())
        .isEqualTo(1e300);
    assertThatThrownBy(() -> CalibrationMethod.PLATT.read(AB, Map.of("slope", new double[] {1, 2})))
        .hasMessage("stage 'platt' has 2 values of 'slope'; expected 1");
    assertThatThrownBy(() -> CalibrationMethod.BETA.read(AB, Map.of("a", new double[] {1})))
        .hasMessage("stage 'beta' has no 'b' array");
  }

  @Test
  void separableRowsHaveNoMaximumLikelihoodFit() {
    // gold b exactly when p_b > .5: the slope runs to infinity
    LabelledSet separable =
        set(AB, new double[][] {{0.7, 0.3}, {0.6, 0.4}, {0.4, 0.6}, {0.2, 0.8}}, 0, 0, 1, 1);
    assertThatThrownBy(() -> LogisticCalibration.platt(separable))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "platt calibration has no unique maximum-likelihood fit: the labelled rows are"
                + " (nearly) separable");
    assertThatThrownBy(() -> LogisticCalibration.beta(separable))
        .hasMessageStartingWith("beta calibration has no unique maximum-likelihood fit");
    // every row the same: the slope is not identified
    LabelledSet flat = set(AB, new double[][] {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}}, 0, 1, 1);
    assertThatThrownBy(() -> LogisticCalibration.platt(flat))
        .hasMessageContaining("too few distinct to identify them");
    assertThatThrownBy(() -> LogisticCalibration.platt(set(AB, new double[][] {{0.5, 0.5}}, 0)))
        .hasMessageContaining("needs at least 2 labelled rows");
  }

  @Test
  void betaStaysWithinItsBoundsAndNeverLosesToPlatt() {
    Random random = new Random(11);
    for (int trial = 0; trial < 20; trial++) {
      LabelledSet data = RandomData.labelledSet(AB, 80, random);
      Calibrator.Logistic beta = (Calibrator.Logistic) LogisticCalibration.beta(data);
      Calibrator platt = LogisticCalibration.platt(data);
      assertThat(beta.a()).isGreaterThanOrEqualTo(0);
      assertThat(beta.b()).isGreaterThanOrEqualTo(0);
      // Platt's family (a = b >= 0 when its slope is) lies inside beta's
      double plattA = ((Calibrator.Logistic) platt).a();
      if (plattA >= 0) {
        assertThat(nll(beta, data)).isLessThanOrEqualTo(nll(platt, data) + 1e-12);
      }
    }
  }

  private static double nll(Calibrator c, LabelledSet data) {
    double total = 0;
    for (int i = 0; i < data.size(); i++) {
      total -= Math.log(c.apply(data.distribution(i)).probability(data.gold(i)));
    }
    return total / data.size();
  }

  /** Immutable: concurrent use gives the sequential results, for every new method. */
  @Test
  void concurrentUseGivesTheSequentialResults() {
    Random random = new Random(21);
    LabelledSet three = RandomData.labelledSet(ABC, 200, random);
    LabelledSet two = RandomData.labelledSet(AB, 200, random);
    for (CalibrationMethod m :
        List.of(
            CalibrationMethod.ISOTONIC,
            CalibrationMethod.HISTOGRAM_BINNING,
            CalibrationMethod.SCALING_BINNING,
            CalibrationMethod.PLATT,
            CalibrationMethod.BETA)) {
      LabelledSet data = m.appliesTo(ABC) ? three : two;
      Calibrator c = MethodFits.labelled(m).fit(data);
      List<LabelDistribution> sequential = c.applyAll(data.distributions());
      List<LabelDistribution> parallel =
          IntStream.range(0, data.size())
              .parallel()
              .mapToObj(i -> c.apply(data.distribution(i)))
              .toList();
      assertThat(parallel).as("%s", m).isEqualTo(sequential);
      for (LabelDistribution d : sequential) {
        double sum = 0;
        for (double p : d.toArray()) {
          assertThat(p).isBetween(0.0, 1.0);
          sum += p;
        }
        assertThat(sum).isCloseTo(1, within(1e-12));
      }
      assertThat(MethodFits.labelled(m).fit(data)).as("deterministic %s", m).isEqualTo(c);
    }
  }

  @Test
  void registryKnowsWhereEachNewMethodApplies() {
    assertThat(CalibrationMethod.PLATT.appliesTo(AB)).isTrue();
    assertThat(CalibrationMethod.PLATT.appliesTo(ABC)).isFalse();
    assertThat(CalibrationMethod.BETA.appliesTo(ABC)).isFalse();
    assertThat(CalibrationMethod.ISOTONIC.appliesTo(ABC)).isTrue();
    assertThat(CalibrationMethod.TEMPERATURE.appliesTo(AB)).isTrue();
    assertThat(CalibrationMethod.HISTOGRAM_BINNING.isBinned()).isTrue();
    assertThat(CalibrationMethod.SCALING_BINNING.isBinned()).isTrue();
    assertThat(CalibrationMethod.ISOTONIC.isBinned()).isFalse();
    assertThat(CalibrationMethod.ISOTONIC.fitting()).isInstanceOf(MethodFit.LabelledRows.class);
    assertThat(CalibrationMethod.find("histogram-binning"))
        .contains(CalibrationMethod.HISTOGRAM_BINNING);
    LabelledSet data = RandomData.labelledSet(ABC, 60, new Random(4));
    assertThat(
            ((Calibrator.HistogramBinning)
                    MethodFits.labelled(CalibrationMethod.HISTOGRAM_BINNING)
                        .fit(data, FitOptions.defaults().withBins(7)))
                .bins())
        .isEqualTo(7);
    assertThat(
            ((Calibrator.ScalingBinning)
                    MethodFits.labelled(CalibrationMethod.SCALING_BINNING)
                        .fit(data, FitOptions.defaults().withBins(3)))
                .edges(1))
        .hasSize(3);
    assertThatThrownBy(
            () ->
                MethodFits.labelled(CalibrationMethod.ISOTONIC)
                    .fit(data, FitOptions.defaults().withBins(3)))
        .hasMessage("isotonic takes no bins; only histogram-binning and scaling-binning do");
    assertThatThrownBy(
            () ->
                CalibrationMethod.ISOTONIC.read(
                    AB,
                    Map.of(
                        "counts", new double[] {1, 1.5},
                        "thresholds", new double[] {0.1, 0.2},
                        "values", new double[] {0, 0})))
        .hasMessage("isotonic count for label 'b' is 1.5; expected a whole number >= 1");
    assertThatThrownBy(
            () ->
                CalibrationMethod.ISOTONIC.read(
                    AB,
                    Map.of(
                        "counts", new double[] {1, 0},
                        "thresholds", new double[] {0.1},
                        "values", new double[] {0})))
        .hasMessageContaining("count for label 'b' is 0.0");
    assertThatThrownBy(
            () ->
                CalibrationMethod.ISOTONIC.read(
                    AB,
                    Map.of(
                        "counts", new double[] {1},
                        "thresholds", new double[] {0.1},
                        "values", new double[] {0})))
        .hasMessage("isotonic has 1 counts; expected 2, one per label");
    assertThatThrownBy(
            () ->
                CalibrationMethod.ISOTONIC.read(
                    AB,
                    Map.of(
                        "counts", new double[] {1, 1},
                        "thresholds", new double[] {0.1, 0.2, 0.3},
                        "values", new double[] {0, 0})))
        .hasMessage("isotonic has 3 thresholds; expected 2, the sum of the counts");
    assertThatThrownBy(
            () ->
                CalibrationMethod.SCALING_BINNING.read(
                    AB,
                    Map.of(
                        "temperature", new double[] {1},
                        "counts", new double[] {1, 1},
                        "edges", new double[] {1, 1},
                        "values", new double[] {0.5})))
        .hasMessage("scaling-binning has 1 values; expected 2, the sum of the counts");
    assertThatThrownBy(
            () ->
                CalibrationMethod.ISOTONIC.read(
                    AB,
                    Map.of(
                        "counts", new double[] {Double.NaN, 1},
                        "thresholds", new double[] {0.1, 0.2},
                        "values", new double[] {0, 0})))
        .hasMessageContaining("is NaN; expected a whole number");
    assertThatThrownBy(
            () ->
                CalibrationMethod.ISOTONIC.read(
                    AB,
                    Map.of(
                        "counts", new double[] {3e9, 1},
                        "thresholds", new double[] {0.1, 0.2},
                        "values", new double[] {0, 0})))
        .hasMessageContaining("is 3.0E9; expected a whole number");
  }
}
