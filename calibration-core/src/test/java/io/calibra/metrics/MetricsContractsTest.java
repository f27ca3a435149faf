package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What PIT found unasserted in io.calibra.metrics: the static {@link Metrics} helpers on
 * hand-computed rows, the keyed view of {@link CalibrationMetrics}, row counts, mismatched label
 * sets, empty accumulators, and the order of the passes of {@link StreamingEqualMassEce}.
 */
class MetricsContractsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet AC = LabelSet.of("a", "c"); // same size, other names

  /**
   * Four rows (hand computed): confidences 0.9 (right), 0.7 (wrong), 0.6 (wrong), 0.8 (right);
   * accuracy 1/2; each row alone in its tenth, so ECE over 10 bins is (0.1 + 0.7 + 0.6 + 0.2) / 4 =
   * 0.4, over one bin |0.5 - 0.75| = 0.25.
   */
  private static final double[][] ROWS = {{0.9, 0.1}, {0.3, 0.7}, {0.6, 0.4}, {0.2, 0.8}};

  private static final int[] GOLD = {0, 0, 1, 1};

  private static LabelledSet fourRows() {
    List<LabelDistribution> rows = new ArrayList<>();
    for (double[] p : ROWS) {
      rows.add(LabelDistribution.ofProbabilities(AB, p));
    }
    return LabelledSet.of(rows, GOLD);
  }

  @Test
  void staticHelpersGiveTheHandComputedValues() {
    LabelledSet data = fourRows();
    assertThat(Metrics.accuracy(data)).isEqualTo(0.5);
    assertThat(Metrics.ece(data, 10)).isCloseTo(0.4, within(1e-15));
    assertThat(Metrics.ece(data, 1)).isCloseTo(0.25, within(1e-15));
    double nll = -(Math.log(0.9) + Math.log(0.3) + Math.log(0.4) + Math.log(0.8)) / 4;
    assertThat(Metrics.nll(data)).isCloseTo(nll, within(1e-15));

    // p_gold = 0 is clipped to 1e-15: -ln(1e-15) = 34.538776394910684
    LabelledSet zero =
        LabelledSet.of(List.of(LabelDistribution.ofProbabilities(AB, 1.0, 0.0)), new int[] {1});
    assertThat(Metrics.nll(zero)).isCloseTo(-Math.log(1e-15), within(1e-12));
  }

  @Test
  void evaluateByNameAndFromAFlatArrayEqualsEvaluateOfTheSet() {
    LabelledSet data = fourRows();
    CalibrationMetrics expected = Metrics.evaluate(data);
    assertThat(expected.rows()).isEqualTo(4);
    assertThat(expected.accuracy()).isEqualTo(0.5);
    List<LabelDistribution> rows = data.distributions();
    assertThat(Metrics.evaluate(rows, List.of("a", "a", "b", "b"))).isEqualTo(expected);

    double[] flat = {0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.2, 0.8};
    assertThat(Metrics.evaluate(AB, flat, GOLD, MetricsAccumulator.DEFAULT_BINS))
        .isEqualTo(expected);
    assertThatThrownBy(() -> Metrics.evaluate(AB, new double[7], GOLD, 15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected 4 rows of 2 probabilities, found 7 values");
    assertThatThrownBy(() -> Metrics.evaluate(AB, new double[6], GOLD, 15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected 4 rows of 2 probabilities, found 6 values");
    double[] bad = flat.clone();
    bad[4] = 0.7; // row 2 sums to 1.1
    assertThatThrownBy(() -> Metrics.evaluate(AB, bad, GOLD, 15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("row 2: ");
  }

  @Test
  void severalParallelChunksMergeToTheSequentialResult() {
    int n = 20_000; // three chunks of Parallel.CHUNK_ROWS (8192) rows
    SplittableRandom random = new SplittableRandom(17);
    double[] flat = new double[2 * n];
    int[] gold = new int[n];
    MetricsAccumulator sequential = new MetricsAccumulator(AB, 15, true);
    for (int i = 0; i < n; i++) {
      flat[2 * i] = random.nextInt(1, 100) / 100.0;
      flat[2 * i + 1] = 1 - flat[2 * i];
      gold[i] = random.nextInt(2);
      sequential.add(flat, 2 * i, gold[i]);
    }
    CalibrationMetrics parallel = Metrics.evaluate(AB, flat, gold, 15);
    CalibrationMetrics expected = sequential.result();
    assertThat(parallel.rows()).isEqualTo(n);
    assertThat(parallel.accuracy()).isEqualTo(expected.accuracy());
    assertThat(parallel.predictionCounts()).isEqualTo(expected.predictionCounts());
    assertThat(parallel.ece()).isCloseTo(expected.ece(), within(1e-12));
    assertThat(parallel.nll()).isCloseTo(expected.nll(), within(1e-12));
    assertThat(parallel.eceEqualMass().getAsDouble())
        .isEqualTo(expected.eceEqualMass().getAsDouble());
  }

  @Test
  void byKeyListsTheJsonKeysInOrderAndWithEceEqualMassReplacesOne() {
    CalibrationMetrics m = Metrics.evaluate(fourRows());
    Map<String, Double> keyed = m.byKey();
    assertThat(keyed)
        .containsExactly(
            Map.entry("accuracy", m.accuracy()),
            Map.entry("macro_f1", m.macroF1()),
            Map.entry("ece", m.ece()),
            Map.entry("ece_equal_mass", m.eceEqualMass().getAsDouble()),
            Map.entry("mce", m.mce()),
            Map.entry("classwise_ece", m.classwiseEce()),
            Map.entry("brier", m.brier()),
            Map.entry("nll", m.nll()));

    CalibrationMetrics replaced = m.withEceEqualMass(0.125);
    assertThat(replaced.eceEqualMass().getAsDouble()).isEqualTo(0.125);
    assertThat(replaced.byKey()).containsEntry("ece_equal_mass", 0.125);
    assertThat(replaced.withEceEqualMass(m.eceEqualMass().getAsDouble())).isEqualTo(m);

    MetricsAccumulator widthOnly = new MetricsAccumulator(AB, 15, false);
    widthOnly.add(ROWS[0], 0, 0);
    assertThat(widthOnly.result().byKey()).doesNotContainKey("ece_equal_mass").hasSize(7);
  }

  @Test
  void accumulatorsCountTheirRowsAndKnowTheirLabels() {
    MetricsAccumulator acc = new MetricsAccumulator(AB);
    EqualMassEce mass = new EqualMassEce(3);
    EqualWidthBins width = new EqualWidthBins(3);
    for (int i = 0; i < ROWS.length; i++) {
      acc.add(ROWS[i], 0, GOLD[i]);
      mass.add(ROWS[i][0], true);
      width.add(ROWS[i][0], true);
    }
    assertThat(acc.rows()).isEqualTo(4);
    assertThat(acc.labels()).isEqualTo(AB);
    assertThat(mass.rows()).isEqualTo(4);
    assertThat(width.rows()).isEqualTo(4);
    assertThatThrownBy(() -> acc.add(ROWS[0], 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gold label index 2 out of range; expected 0..1 for labels [a, b]");
  }

  @Test
  void accumulatorsRefuseOtherLabelSetsOfTheSameSize() {
    MetricsAccumulator acc = new MetricsAccumulator(AB);
    assertThatThrownBy(() -> acc.merge(new MetricsAccumulator(AC)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mismatched label sets for merging metrics");
    StatisticsAccumulator stats = new StatisticsAccumulator(AB, 10);
    assertThatThrownBy(() -> stats.add(LabelDistribution.ofProbabilities(AC, 0.5, 0.5), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mismatched label sets for statistics input");
    assertThatThrownBy(() -> stats.add(LabelDistribution.ofProbabilities(AB, 0.5, 0.5), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gold label index 2 out of range; expected 0..1");
    assertThat(stats.rows()).isZero();
  }

  @Test
  void statisticsOfNoRowsAreRefused() {
    StatisticsAccumulator empty = new StatisticsAccumulator(AB, 10);
    assertThatThrownBy(empty::debiasedEce)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no rows were added");
    assertThatThrownBy(empty::spiegelhalter)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no rows were added");
    assertThatThrownBy(empty::rsd)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no rows were added");
  }

  @Test
  void aStepThatChangesNothingIsNotWorse() {
    LabelledSet data = fourRows();
    DevComparison same = DevComparison.of("identity", data, data);
    assertThat(same.worse()).isFalse();
    assertThat(same.summary()).doesNotContain("worse");
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
  void oneRangeOneBinAndOneResampleAreAllowed() {
    LabelledSet data = fourRows();
    // one range per class holds every row: class a has mean p 0.5 and frequency 0.5, class b too
    assertThat(CalibrationStatistics.adaptiveCalibrationError(data, 1)).isCloseTo(0, within(1e-15));
    assertThat(Bootstrap.metricIntervals(data, 1, 1, 7, 0.9)).containsKey("accuracy");
    assertThat(Bootstrap.resampleIndices(7, 0, 1)).containsExactly(0);
    assertThatThrownBy(() -> Bootstrap.metricIntervals(data, 15, 10, 7, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence is 0.0; expected a value in (0, 1)");
    assertThatThrownBy(() -> Bootstrap.metricIntervals(data, 15, 10, 7, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence is 1.0; expected a value in (0, 1)");
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

  @Test
  void equalMassEceGrowsPastItsFirstCapacityAndTakesZeroAndOne() {
    EqualMassEce ece = new EqualMassEce(1);
    for (int i = 0; i < 100; i++) {
      ece.add(i % 2 == 0 ? 0.0 : 1.0, true); // one group: accuracy 1, confidence 1/2
    }
    assertThat(ece.rows()).isEqualTo(100);
    assertThat(ece.ece()).isEqualTo(0.5);
  }

  @Test
  void rsdLeavesOutClassesThatAreNeverGold() {
    LabelSet abc = LabelSet.of("a", "b", "c");
    StatisticsAccumulator stats = new StatisticsAccumulator(abc, 10);
    stats.add(LabelDistribution.ofProbabilities(abc, 0.8, 0.1, 0.1), 0); // a: right
    stats.add(LabelDistribution.ofProbabilities(abc, 0.8, 0.1, 0.1), 1); // b: wrong
    stats.add(LabelDistribution.ofProbabilities(abc, 0.1, 0.8, 0.1), 1); // b: right
    // class accuracies 1 and 1/2 (c is never gold): mean 3/4, deviations 1/4 -> RSD 1/3
    assertThat(stats.rsd()).isCloseTo(1.0 / 3, within(1e-15));
  }

  /** Runs the three passes over {@code confidence} with one part each. */
  private static double streaming(int bins, double[] confidence, boolean[] correct) {
    StreamingEqualMassEce ece = new StreamingEqualMassEce(bins);
    for (double c : confidence) {
      ece.count(c);
    }
    ece.endCountPass();
    for (double c : confidence) {
      ece.observe(c);
    }
    ece.endObservePass();
    for (int i = 0; i < confidence.length; i++) {
      ece.assign(confidence[i], correct[i]);
    }
    return ece.ece();
  }

  @Test
  void streamingEqualMassEceOnDistinctValuesAndMoreGroupsThanRows() {
    double[] c = {0.1, 0.2, 0.3, 0.4};
    boolean[] y = {true, false, true, false};
    // groups {0.1, 0.2} (accuracy 1/2, confidence 0.15) and {0.3, 0.4} (1/2, 0.35), hand computed
    assertThat(streaming(2, c, y)).isCloseTo((2 * 0.35 + 2 * 0.15) / 4, within(1e-15));
    // 0 and 1 are valid confidences; five groups over three rows leave two empty: groups {0}
    // (right),
    // {0.5} (right), {1} (wrong): (|1 - 0| + |1 - 0.5| + |0 - 1|) / 3
    assertThat(streaming(5, new double[] {0.0, 1.0, 0.5}, new boolean[] {true, false, true}))
        .isCloseTo(2.5 / 3, within(1e-15));
  }

  @Test
  void streamingEqualMassEceCutsAtTheRankWhenBucketsEndThere() {
    // each value alone in its bucket, the cut at rank 2 falls on the first row of a bucket: groups
    // {0.1, 0.2} (both right, confidence 0.15) and {0.3, 0.4} (both wrong, 0.35), hand computed
    double[] c = {0.1, 0.2, 0.3, 0.4};
    assertThat(streaming(2, c, new boolean[] {true, true, false, false}))
        .isCloseTo((2 * 0.85 + 2 * 0.35) / 4, within(1e-15));
  }

  @Test
  void negativeZeroIsTheSameConfidenceAsZeroAndTiesCountWithTheirMeanCorrectness() {
    // rows 0.0, -0.0, 0.0, 0.5 in two groups of two: the three zeros tie, whatever the sign of
    // zero, and each counts with their mean correctness; the cut takes two of them (hand computed)
    double[] c = {0.0, -0.0, 0.0, 0.5};
    // zeros 2/3 correct: lower 2 * |2/3 - 0|; upper {zero, wrong at 0.5}: 2 * |1/3 - 1/4|
    assertThat(streaming(2, c, new boolean[] {true, true, false, false}))
        .isCloseTo((4.0 / 3 + 1.0 / 6) / 4, within(1e-15));
    // zeros 1/3 correct: lower 2 * |1/3 - 0|; upper {zero, wrong at 0.5}: 2 * |1/6 - 1/4|
    assertThat(streaming(2, c, new boolean[] {false, false, true, false}))
        .isCloseTo((2.0 / 3 + 1.0 / 6) / 4, within(1e-15));
    // the same rows in another order give the same values
    assertThat(
            streaming(
                2, new double[] {0.5, 0.0, -0.0, 0.0}, new boolean[] {false, true, false, false}))
        .isCloseTo((2.0 / 3 + 1.0 / 6) / 4, within(1e-15));
  }

  @Test
  void streamingEqualMassEcePartsRefuseAPassThatHasNotBegun() {
    StreamingEqualMassEce counting = new StreamingEqualMassEce(2);
    StreamingEqualMassEce other = new StreamingEqualMassEce(2);
    other.count(0.25);
    other.count(0.75);
    other.endCountPass();
    StreamingEqualMassEce observingPart = other.partForObservePass();
    assertThatThrownBy(() -> counting.endObservePass(List.of(observingPart)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the COUNT pass; expected the OBSERVE pass");
    assertThatThrownBy(() -> other.partForAssignPass(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the ASSIGN pass");

    StreamingEqualMassEce done = new StreamingEqualMassEce(2);
    done.count(0.25);
    done.count(0.75);
    done.endCountPass();
    StreamingEqualMassEce part = done.partForObservePass();
    part.observe(0.25);
    part.observe(0.75);
    done.endObservePass(List.of(part));
    StreamingEqualMassEce assigningPart = done.partForAssignPass(0);
    assertThatThrownBy(() -> other.mergeAssigned(assigningPart))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the ASSIGN pass");
  }

  @Test
  void streamingEqualMassEceRefusesCallsOutOfTheirPass() {
    StreamingEqualMassEce ece = new StreamingEqualMassEce(2);
    assertThatThrownBy(() -> ece.count(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence is NaN; expected a value in [0, 1]");
    assertThatThrownBy(() -> ece.observe(0.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the COUNT pass; expected the OBSERVE pass");
    assertThatThrownBy(ece::endObservePass).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.endObservePass(List.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ece::partForObservePass).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.assign(0.5, true)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ece::ece).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.mergeCounts(new StreamingEqualMassEce(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot combine equal-mass ECE parts with 2 and 3 groups");
    ece.count(0.25);
    ece.count(0.75);
    ece.endCountPass();

    assertThatThrownBy(() -> ece.count(0.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the COUNT pass");
    assertThatThrownBy(ece::endCountPass).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.observe(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence is 1.5; expected a value in [0, 1]");
    assertThatThrownBy(() -> ece.mergeCounts(new StreamingEqualMassEce(2)))
        .isInstanceOf(IllegalStateException.class);
    StreamingEqualMassEce counting = new StreamingEqualMassEce(2);
    assertThatThrownBy(() -> ece.endObservePass(List.of(counting)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the COUNT pass; expected the OBSERVE pass");
    StreamingEqualMassEce otherBins = new StreamingEqualMassEce(3);
    otherBins.count(0.5);
    otherBins.endCountPass();
    assertThatThrownBy(() -> ece.endObservePass(List.of(otherBins.partForObservePass())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot combine equal-mass ECE parts with 2 and 3 groups");
    StreamingEqualMassEce observing = ece.partForObservePass();
    assertThatThrownBy(() -> counting.mergeCounts(observing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the COUNT pass");
    assertThatThrownBy(() -> ece.partForAssignPass(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.mergeAssigned(observing))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.assign(0.25, true)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ece::ece).isInstanceOf(IllegalStateException.class);

    observing.observe(0.25);
    observing.observe(0.75);
    ece.endObservePass(List.of(observing));
    StreamingEqualMassEce assigning = ece.partForAssignPass(0);
    assertThatThrownBy(() -> assigning.mergeAssigned(observing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the ASSIGN pass");
    StreamingEqualMassEce threeGroups = threeGroupsAssigning();
    assertThatThrownBy(() -> ece.mergeAssigned(threeGroups))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot combine equal-mass ECE parts with 2 and 3 groups");
    assigning.assign(0.25, true);
    assigning.assign(0.75, false);
    ece.mergeAssigned(assigning);
    // groups {0.25} and {0.75}: (|1 - 0.25| + |0 - 0.75|) / 2, hand computed
    assertThat(ece.ece()).isEqualTo(0.75);
  }

  private static StreamingEqualMassEce threeGroupsAssigning() {
    StreamingEqualMassEce three = new StreamingEqualMassEce(3);
    three.count(0.5);
    three.endCountPass();
    StreamingEqualMassEce part = three.partForObservePass();
    part.observe(0.5);
    three.endObservePass(List.of(part));
    return three;
  }
}
