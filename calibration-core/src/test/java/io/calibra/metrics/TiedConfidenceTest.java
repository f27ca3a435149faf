package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows tied in confidence are binned by a rule that does not depend on their order: each row of a
 * tie counts with the tie's mean outcome (equal-mass ECE, ACE), and the KS curves are compared at
 * tie ends only. The one-shot, merged and three-pass streaming equal-mass ECE agree on it.
 */
class TiedConfidenceTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /** 20 rows of p = (0.5, 0.5), so every prediction is 'a'; 15 of the gold labels are 'a'. */
  private static LabelledSet halves(boolean correctFirst) {
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[20];
    for (int i = 0; i < 20; i++) {
      rows.add(LabelDistribution.ofProbabilities(AB, 0.5, 0.5));
      // one order: the 15 correct rows first; the other: every fourth row wrong
      boolean correct = correctFirst ? i < 15 : i % 4 != 3;
      gold[i] = correct ? 0 : 1;
    }
    return LabelledSet.of(rows, gold);
  }

  @Test
  void twentyRowsAtOneHalfGiveTheSameMetricsInEitherOrder() {
    for (boolean correctFirst : new boolean[] {true, false}) {
      LabelledSet data = halves(correctFirst);
      // hand computed: every group holds rows of confidence 0.5 and mean correctness 0.75
      assertThat(Metrics.evaluate(data, 10).eceEqualMass().getAsDouble())
          .isCloseTo(0.25, within(1e-15));
      // hand computed: class a, p = 0.5 against 15/20 gold; class b, p = 0.5 against 5/20
      assertThat(CalibrationStatistics.adaptiveCalibrationError(data, 10))
          .isCloseTo(0.25, within(1e-15));
      // hand computed: one tie, compared at its end: |sum c - sum y| / n = |10 - 15| / 20
      assertThat(CalibrationStatistics.ksCalibrationError(data)).isCloseTo(0.25, within(1e-15));
    }
  }

  @Test
  void aTieAcrossAGroupBoundaryIsSharedAtItsMeanCorrectness() {
    // hand computed: sorted 0.6(y=1), 0.7 x3 (y = 1, 0, 0; mean 1/3), 0.9(y=1); 2 groups of 3 and
    // 2 rows. Group 0: confidence 0.6 + 2 * 0.7 = 2.0, correct 1 + 2/3, gap |5/9 - 2/3| = 1/9;
    // group 1: confidence 0.7 + 0.9 = 1.6, correct 1/3 + 1, gap |2/3 - 0.8| = 2/15;
    // ECE = (3 * 1/9 + 2 * 2/15) / 5 = 0.12
    double[] conf = {0.7, 0.9, 0.7, 0.6, 0.7};
    boolean[] correct = {false, true, true, true, false};
    for (int[] order : new int[][] {{0, 1, 2, 3, 4}, {2, 4, 0, 1, 3}, {4, 3, 2, 1, 0}}) {
      EqualMassEce ece = new EqualMassEce(2);
      for (int i : order) {
        ece.add(conf[i], correct[i]);
      }
      assertThat(ece.ece()).isCloseTo(0.12, within(1e-15));
    }
  }

  static IntStream seeds() {
    return IntStream.range(0, 40);
  }

  /**
   * Heavily tied rows in two random orders: the equal-mass ECE, ACE and KS are bit-identical, and
   * the streaming computation (rows in a third order, parts assigned in a fourth) agrees.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void permutedTiedRowsGiveTheSameMetricsOnEveryPath(int seed) {
    Random random = new Random(seed);
    LabelSet abc = LabelSet.of("a", "b", "c");
    double[][] pool = {
      {0.5, 0.25, 0.25}, {0.25, 0.5, 0.25}, {0.4, 0.4, 0.2}, {0.8, 0.1, 0.1}, {1, 0, 0}
    };
    int n = 1 + random.nextInt(300);
    int bins = 1 + random.nextInt(15);
    List<LabelDistribution> rows = new ArrayList<>();
    List<Integer> gold = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(LabelDistribution.ofProbabilities(abc, pool[random.nextInt(pool.length)]));
      gold.add(random.nextInt(3));
    }
    LabelledSet first = shuffled(rows, gold, new Random(seed + 1000));
    LabelledSet second = shuffled(rows, gold, new Random(seed + 2000));
    double ece = Metrics.evaluate(first, bins).eceEqualMass().getAsDouble();
    assertThat(Metrics.evaluate(second, bins).eceEqualMass().getAsDouble()).isEqualTo(ece);
    assertThat(CalibrationStatistics.adaptiveCalibrationError(second, bins))
        .isEqualTo(CalibrationStatistics.adaptiveCalibrationError(first, bins));
    assertThat(CalibrationStatistics.ksCalibrationError(second))
        .isEqualTo(CalibrationStatistics.ksCalibrationError(first));

    LabelledSet third = shuffled(rows, gold, new Random(seed + 3000));
    StreamingEqualMassEce streaming = new StreamingEqualMassEce(bins);
    for (int i = 0; i < n; i++) {
      streaming.count(third.distribution(i).confidence());
    }
    streaming.endCountPass();
    for (int i = n - 1; i >= 0; i--) {
      streaming.observe(third.distribution(i).confidence());
    }
    streaming.endObservePass(List.of(streaming.partForObservePass()));
    LabelledSet fourth = shuffled(rows, gold, new Random(seed + 4000));
    StreamingEqualMassEce part = streaming.partForAssignPass(0);
    for (int i = 0; i < n; i++) {
      LabelDistribution d = fourth.distribution(i);
      part.assign(d.confidence(), d.argmax() == fourth.gold(i));
    }
    streaming.mergeAssigned(part);
    assertThat(streaming.ece()).isCloseTo(ece, within(1e-12));
  }

  private static LabelledSet shuffled(
      List<LabelDistribution> rows, List<Integer> gold, Random random) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, rows.size()).boxed().toList());
    Collections.shuffle(order, random);
    List<LabelDistribution> r = new ArrayList<>();
    int[] g = new int[rows.size()];
    for (int i = 0; i < order.size(); i++) {
      r.add(rows.get(order.get(i)));
      g[i] = gold.get(order.get(i));
    }
    return LabelledSet.of(r, g);
  }
}
