package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debiased ECE, ACE, smooth ECE, KS, Spiegelhalter, RSD and BiasScore against the numpy/scipy
 * reference {@code golden/statistics/make_statistics_cases.py} (all rows and the first 60 rows of
 * each golden case), to 1e-9 (the Spiegelhalter p-value to 1e-9 relative).
 */
class CalibrationStatisticsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  static Stream<Arguments> cases() throws IOException {
    try (InputStream in =
        CalibrationStatisticsTest.class.getResourceAsStream(
            "/golden/statistics/statistics-cases.json")) {
      List<Arguments> out = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        out.add(Arguments.of(Named.of(c.get("name").asText() + " " + c.get("rows").asInt(), c)));
      }
      return out.stream();
    }
  }

  static LabelledSet data(JsonNode c) {
    GoldenCase g = GoldenCase.load(c.get("name").asText());
    int rows = c.get("rows").asInt();
    return LabelledSet.of(g.rawDistributions().subList(0, rows), Arrays.copyOf(g.gold, rows));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyStatisticMatchesNumpy(JsonNode c) {
    LabelledSet data = data(c);
    JsonNode e = c.get("expected");
    assertThat(CalibrationStatistics.debiasedEce(data, 15))
        .isCloseTo(e.get("debiased_ece").asDouble(), within(1e-9));
    assertThat(CalibrationStatistics.debiasedEceEqualWidth(data, 15))
        .isCloseTo(e.get("debiased_ece_equal_width").asDouble(), within(1e-9));
    assertThat(CalibrationStatistics.adaptiveCalibrationError(data, 15))
        .isCloseTo(e.get("ace").asDouble(), within(1e-9));
    CalibrationStatistics.SmoothEce smooth = CalibrationStatistics.smoothEce(data);
    assertThat(smooth.bandwidth()).isEqualTo(e.get("smooth_ece_bandwidth").asDouble());
    assertThat(smooth.value()).isCloseTo(e.get("smooth_ece").asDouble(), within(1e-9));
    assertThat(CalibrationStatistics.ksCalibrationError(data))
        .isCloseTo(e.get("ks").asDouble(), within(1e-9));
    SpiegelhalterTest s = CalibrationStatistics.spiegelhalter(data);
    assertThat(s.z()).isCloseTo(e.get("spiegelhalter_z").asDouble(), within(1e-9));
    double p = e.get("spiegelhalter_p").asDouble();
    assertThat(s.pValue()).isCloseTo(p, within(1e-9 * p));
    assertThat(CalibrationStatistics.rsd(data)).isCloseTo(e.get("rsd").asDouble(), within(1e-9));
    assertThat(CalibrationStatistics.biasScore(data))
        .isCloseTo(e.get("bias_score").asDouble(), within(1e-9));
    assertThat(CalibrationStatistics.values(data, 15))
        .containsOnlyKeys(
            "debiased_ece",
            "debiased_ece_equal_width",
            "ace",
            "smooth_ece",
            "ks",
            "spiegelhalter_z",
            "spiegelhalter_p",
            "rsd",
            "bias_score");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void accumulatorsMergedInAnySplitGiveTheSameStatistics(JsonNode c) {
    LabelledSet data = data(c);
    StatisticsAccumulator whole = CalibrationStatistics.accumulate(data, 15);
    Random random = new Random(c.get("rows").asInt());
    for (int trial = 0; trial < 5; trial++) {
      int cut = random.nextInt(data.size() + 1);
      StatisticsAccumulator a = new StatisticsAccumulator(data.labels(), 15);
      StatisticsAccumulator b = new StatisticsAccumulator(data.labels(), 15);
      for (int i = 0; i < data.size(); i++) {
        (i < cut ? a : b).add(data.distribution(i), data.gold(i));
      }
      a.merge(b);
      assertThat(a.rows()).isEqualTo(data.size());
      assertThat(a.debiasedEce()).isCloseTo(whole.debiasedEce(), within(1e-12));
      assertThat(a.spiegelhalter().z()).isCloseTo(whole.spiegelhalter().z(), within(1e-9));
      assertThat(a.rsd()).isEqualTo(whole.rsd());
      assertThat(a.biasScore()).isCloseTo(whole.biasScore(), within(1e-12));
    }
  }

  private static LabelledSet rows(double[] pA, int[] gold) {
    List<LabelDistribution> d = new ArrayList<>();
    for (double v : pA) {
      d.add(LabelDistribution.ofProbabilities(AB, v, 1 - v));
    }
    return LabelledSet.of(d, gold);
  }

  @Test
  void handComputedSmallCases() {
    // confidences 0.8, 0.8, 0.6, 0.6 (label a), gold a, b, a, a: correct 1, 0, 1, 1
    LabelledSet d = rows(new double[] {0.8, 0.8, 0.6, 0.6}, new int[] {0, 1, 0, 0});
    // BiasScore: mean p = (0.7, 0.3), gold frequencies (0.75, 0.25): TV = 0.05
    assertThat(CalibrationStatistics.biasScore(d)).isCloseTo(0.05, within(1e-15));
    // RSD: accuracy of a = 3/3, of b = 0/1: mean 0.5, sd 0.5 -> 1
    assertThat(CalibrationStatistics.rsd(d)).isCloseTo(1.0, within(1e-15));
    // Spiegelhalter: sum (y - c)(1 - 2c) = 0.2*-0.6 + -0.8*-0.6 + 0.4*-0.2 + 0.4*-0.2 = 0.2;
    // variance = 2 * 0.36*0.16 + 2 * 0.04*0.24 = 0.1344; z = 0.2 / sqrt(0.1344)
    SpiegelhalterTest s = CalibrationStatistics.spiegelhalter(d);
    assertThat(s.z()).isCloseTo(0.2 / Math.sqrt(0.1344), within(1e-12));
    // KS: sorted by c: 0.6 (1), 0.6 (1), 0.8 (1), 0.8 (0), compared at the ends of the ties:
    // |1.2 - 2| / 4 = 0.2 after the 0.6s, |2.8 - 3| / 4 = 0.05 after the 0.8s (inside the 0.8 tie
    // the gap would be 0.25 or 0.05 by the order of its rows)
    assertThat(CalibrationStatistics.ksCalibrationError(d)).isCloseTo(0.2, within(1e-15));
    // debiased equal-width (0.6 -> bin 8, 0.8 -> bin 11 of 15): bin 0.6: gap -0.4, m = 1:
    // 0.5 * (0.16 - 0); bin 0.8: gap 0.3, m = 0.5: 0.5 * (0.09 - 0.25): 0.08 - 0.08 = 0, up to
    // rounding (the square root of a rounding error of 1e-17 is 5e-9)
    assertThat(CalibrationStatistics.debiasedEceEqualWidth(d, 15)).isCloseTo(0, within(1e-8));
    // all correct: 0.5 * 0.16 + 0.5 * 0.04 = 0.1
    LabelledSet right = rows(new double[] {0.8, 0.8, 0.6, 0.6}, new int[] {0, 0, 0, 0});
    assertThat(CalibrationStatistics.debiasedEceEqualWidth(right, 15))
        .isCloseTo(Math.sqrt(0.1), within(1e-12));
  }

  @Test
  void undefinedStatisticsAndBadArgumentsAreRejected() {
    // every confidence 1/2: the Spiegelhalter variance is 0
    LabelledSet half = rows(new double[] {0.5, 0.5}, new int[] {0, 1});
    assertThatThrownBy(() -> CalibrationStatistics.spiegelhalter(half))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the Spiegelhalter test is undefined");
    LabelledSet wrong = rows(new double[] {0.9, 0.1}, new int[] {1, 0});
    assertThatThrownBy(() -> CalibrationStatistics.rsd(wrong))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RSD is undefined");
    assertThatThrownBy(() -> CalibrationStatistics.debiasedEce(wrong, 3))
        .hasMessageContaining("expected 1 to the number of rows");
    assertThatThrownBy(() -> CalibrationStatistics.adaptiveCalibrationError(wrong, 0))
        .hasMessageContaining("ranges is 0");
    assertThatThrownBy(() -> new StatisticsAccumulator(AB, 0)).hasMessageContaining("bins is 0");
    StatisticsAccumulator empty = new StatisticsAccumulator(AB, 15);
    assertThatThrownBy(empty::biasScore).hasMessageContaining("no rows were added");
    assertThatThrownBy(() -> empty.add(LabelDistribution.uniform(AB), 2))
        .hasMessageContaining("gold label index 2");
    assertThatThrownBy(() -> empty.merge(new StatisticsAccumulator(AB, 10)))
        .hasMessageContaining("cannot merge");
    assertThatThrownBy(() -> empty.merge(new StatisticsAccumulator(LabelSet.of("x", "y"), 15)))
        .hasMessageContaining("mismatched label sets");
  }

  @Test
  void smoothEceOfPerfectlyCalibratedRowsIsSmallAndSearchesFineWidths() {
    // 4000 rows whose correctness is drawn with probability equal to the confidence
    Random random = new Random(5);
    double[] pA = new double[4000];
    int[] gold = new int[4000];
    for (int i = 0; i < pA.length; i++) {
      pA[i] = 0.5 + 0.5 * random.nextDouble();
      gold[i] = random.nextDouble() < pA[i] ? 0 : 1;
    }
    CalibrationStatistics.SmoothEce s = CalibrationStatistics.smoothEce(rows(pA, gold));
    // sampling noise only: of order 1/sqrt(n) = 0.016
    assertThat(s.value()).isLessThan(0.03);
    assertThat(s.bandwidth()).isLessThan(0.05);
  }

  private static LabelledSet topRows(double[] confidence, boolean[] correct) {
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[confidence.length];
    for (int i = 0; i < confidence.length; i++) {
      rows.add(LabelDistribution.ofProbabilities(AB, confidence[i], 1 - confidence[i]));
      gold[i] = correct[i] ? 0 : 1;
    }
    return LabelledSet.of(rows, gold);
  }

  @Test
  void debiasedEceAtItsBinLimitsAndBoundaries() {
    // hand computed from the estimator's definition (class documentation)
    LabelledSet fourWrong =
        topRows(new double[] {0.6, 0.6, 0.6, 0.6}, new boolean[] {false, false, false, false});
    // one bin of four rows, accuracy 0, gap 0.6: sqrt(0.36) (bins = 1 and bins = n are allowed)
    assertThat(CalibrationStatistics.debiasedEce(fourWrong, 1)).isCloseTo(0.6, within(1e-15));
    assertThat(CalibrationStatistics.debiasedEce(fourWrong, 4)).isCloseTo(0.6, within(1e-15));
    // a bin of exactly two rows counts: accuracy 0, gap 0.6, no debiasing term
    LabelledSet twoWrong = topRows(new double[] {0.6, 0.6}, new boolean[] {false, false});
    assertThat(CalibrationStatistics.debiasedEce(twoWrong, 1)).isCloseTo(0.6, within(1e-15));
    // chunks {0.6, 0.6} | {0.6, 0.8}: boundary (0.6 + 0.6) / 2 = 0.6, and a row equal to a
    // boundary goes to that bin (searchsorted left): bin {0.6 x3, all wrong} and bin {0.8}
    LabelledSet onBoundary =
        topRows(new double[] {0.6, 0.6, 0.6, 0.8}, new boolean[] {false, false, false, true});
    assertThat(CalibrationStatistics.debiasedEce(onBoundary, 2))
        .isCloseTo(Math.sqrt(0.75 * 0.36), within(1e-15));
    assertThatThrownBy(() -> CalibrationStatistics.debiasedEce(fourWrong, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bins is 5; expected 1 to the number of rows, 4");
  }

  @Test
  void smoothEceOfRowsAtConfidenceOneThatAreRight() {
    // every residual c - y is 0, so the smoothed residual is 0 at every bandwidth (hand reasoning)
    LabelledSet sure = topRows(new double[] {1.0, 1.0, 1.0}, new boolean[] {true, true, true});
    assertThat(CalibrationStatistics.smoothEce(sure).value()).isZero();
  }

  /**
   * A width whose smooth ECE equals it exactly does not "hold" (relplot's rule is sigma <
   * smECE(sigma)), so it is the bandwidth: the bisection keeps it as its upper end and every width
   * below it holds. The rows (a wrong one at the first confidence, a right one at the second) were
   * found by bisecting the right row's confidence for smECE(0.25) = 0.25 and scanning the doubles
   * around it; they depend on this implementation's summation order. A width taken as holding at
   * the tie would give 0.25 + 2^-10 or more.
   */
  @Test
  void aWidthEqualToItsSmoothEceIsTheBandwidth() {
    double[][] pairs = {{0.548, 0.9764718441823211}, {0.612, 0.9121780460253176}};
    for (double[] pair : pairs) {
      double wrong = pair[0];
      double right = pair[1];
      LabelledSet rows =
          LabelledSet.of(
              List.of(
                  LabelDistribution.ofProbabilities(AB, wrong, 1 - wrong),
                  LabelDistribution.ofProbabilities(AB, right, 1 - right)),
              new int[] {1, 0});
      CalibrationStatistics.SmoothEce result = CalibrationStatistics.smoothEce(rows);
      assertThat(result.bandwidth()).as("confidence %s", right).isEqualTo(0.25);
      assertThat(result.value()).isEqualTo(0.25);
    }
  }
}
