package io.calibra.conformal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Coverage over random splits of the golden cases, hand-computed scores, and input checks. */
class ConformalPropertiesTest {
  private static final int SPLITS = 200;
  private static final int N_CAL = 500;

  /**
   * Split conformal's guarantee (Vovk et al. 2005; Lei et al. 2018, Theorem 1 / Romano et al.
   * 2020): over random exchangeable splits, expected coverage is in [1 - alpha, 1 - alpha + 1/(n +
   * 1)], the upper bound when scores have no ties. Monte Carlo error of the mean of {@value
   * #SPLITS} splits: the coverage of one split has variance at most alpha(1 - alpha)(1/(n + 2) +
   * 1/m) (n calibration rows: the conditional coverage is Beta(r, n + 1 - r), variance below
   * alpha(1-alpha)/(n+2); m test rows drawn without replacement add at most alpha(1-alpha)/m), so
   * we allow 4 standard errors, 4 sqrt(that / 200), on either side (a false alarm has probability
   * about 6e-5).
   */
  static Stream<Arguments> coverageCases() {
    return Stream.of(
        Arguments.of("sst2-zeroshot-minilm", ConformalScore.lac(), 0.1, true),
        Arguments.of("sst2-fourshot-minilm", ConformalScore.lac(), 0.05, true),
        Arguments.of("agnews-zeroshot-minilm", ConformalScore.lac(), 0.1, true),
        Arguments.of("agnews-zeroshot-minilm", ConformalScore.aps(), 0.1, true),
        Arguments.of("agnews-zeroshot-minilm", ConformalScore.raps(2, 0.01), 0.2, true),
        // binary APS scores tie at exactly 1 for every second-ranked gold label: lower bound only
        Arguments.of("sst2-zeroshot-minilm", ConformalScore.aps(), 0.1, false),
        // randomisation breaks the ties
        Arguments.of("sst2-zeroshot-minilm", ConformalScore.aps().randomised(7), 0.1, true),
        Arguments.of(
            "agnews-zeroshot-minilm", ConformalScore.raps(1, 0.05).randomised(11), 0.1, true));
  }

  @ParameterizedTest(name = "{0} {1} alpha={2}")
  @MethodSource("coverageCases")
  void meanCoverageOverRandomSplitsIsWithinTheGuarantee(
      String name, ConformalScore score, double alpha, boolean noTies) {
    GoldenCase g = GoldenCase.load(name);
    List<LabelDistribution> all = g.rawDistributions();
    int n = all.size();
    int m = n - N_CAL;
    Random random = new Random(name.hashCode() * 31L + score.toString().hashCode());
    double total = 0;
    double totalClass0 = 0;
    int splitsWithClass0 = 0;
    for (int split = 0; split < SPLITS; split++) {
      List<Integer> perm = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        perm.add(i);
      }
      java.util.Collections.shuffle(perm, random);
      LabelledSet cal = subset(all, g.gold, perm.subList(0, N_CAL));
      LabelledSet test = subset(all, g.gold, perm.subList(N_CAL, n));
      SplitConformal marginal = SplitConformal.fit(cal, score, alpha);
      total += SplitConformal.coverage(marginal.predictAll(test.distributions()), test.goldArray());

      // Mondrian: coverage within class 0
      SplitConformal mondrian = SplitConformal.fitMondrian(cal, score, alpha);
      List<PredictionSet> sets = mondrian.predictAll(test.distributions());
      long inClass = 0;
      long covered = 0;
      for (int i = 0; i < test.size(); i++) {
        if (test.gold(i) == 0) {
          inClass++;
          covered += sets.get(i).contains(0) ? 1 : 0;
        }
      }
      totalClass0 += covered / (double) inClass;
      splitsWithClass0++;
    }
    double mean = total / SPLITS;
    double se = Math.sqrt(alpha * (1 - alpha) * (1.0 / (N_CAL + 2) + 1.0 / m) / SPLITS);
    assertThat(mean).isGreaterThanOrEqualTo(1 - alpha - 4 * se);
    if (noTies) {
      assertThat(mean).isLessThanOrEqualTo(1 - alpha + 1.0 / (N_CAL + 1) + 4 * se);
    }
    // class 0 holds at least a fifth of each case's rows: n_c >= ~100 calibration rows, m_c >= 260
    double seClass = Math.sqrt(alpha * (1 - alpha) * (1.0 / 100 + 1.0 / 260) / splitsWithClass0);
    assertThat(totalClass0 / splitsWithClass0).isGreaterThanOrEqualTo(1 - alpha - 4 * seClass);
  }

  private static LabelledSet subset(List<LabelDistribution> all, int[] gold, List<Integer> idx) {
    List<LabelDistribution> d = new ArrayList<>();
    int[] g = new int[idx.size()];
    for (int i = 0; i < idx.size(); i++) {
      d.add(all.get(idx.get(i)));
      g[i] = gold[idx.get(i)];
    }
    return LabelledSet.of(d, g);
  }

  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  @Test
  void scoresAreHandComputed() {
    LabelDistribution p = LabelDistribution.ofProbabilities(ABC, 0.25, 0.5, 0.25);
    // hand computed: ranks b (0.5), a (0.25, lower index first), c (0.25)
    assertThat(ConformalScore.lac().scores(p, 1)).containsExactly(0.75, 0.5, 0.75);
    assertThat(ConformalScore.aps().scores(p, 1)).containsExactly(0.75, 0.5, 1.0);
    assertThat(ConformalScore.aps().scores(p, 0.5)).containsExactly(0.625, 0.25, 0.875);
    // RAPS k_reg = 1, lambda = 0.5: penalties 0, 0.5, 1 by rank
    assertThat(ConformalScore.raps(1, 0.5).scores(p, 1)).containsExactly(1.25, 0.5, 2.0);
    assertThat(ConformalScore.raps(0, 0.5).scores(p, 1)).containsExactly(1.75, 1.0, 2.5);
  }

  @Test
  void rankIsTheCeilingWithoutRoundingArtefacts() {
    // hand computed: (n + 1)(1 - alpha)
    assertThat(SplitConformal.rank(9, 0.1)).isEqualTo(9); // 9.000000000000002 in doubles
    assertThat(SplitConformal.rank(99, 0.1)).isEqualTo(90);
    assertThat(SplitConformal.rank(8, 0.1)).isEqualTo(9); // 8.1 -> 9 > n: qhat infinite
    assertThat(SplitConformal.rank(19, 0.05)).isEqualTo(19);
    assertThat(SplitConformal.rank(0, 0.5)).isEqualTo(1);
  }

  @Test
  void qhatIsTheRankedScoreAndInfiniteBeyondN() {
    // gold scores (LAC) of 9 rows: 1 - p_gold = 0.1 .. 0.9; rank 9 (alpha 0.1) is 0.9
    List<LabelDistribution> d = new ArrayList<>();
    int[] gold = new int[9];
    for (int i = 0; i < 9; i++) {
      double pg = 1 - (i + 1) / 10.0;
      d.add(LabelDistribution.ofProbabilities(LabelSet.of("x", "y"), pg, 1 - pg));
    }
    LabelledSet cal = LabelledSet.of(d, gold);
    assertThat(SplitConformal.fit(cal, ConformalScore.lac(), 0.1).qhat())
        .isCloseTo(0.9, within(1e-15));
    // alpha 0.2: rank ceil(8) = 8 -> 0.8
    assertThat(SplitConformal.fit(cal, ConformalScore.lac(), 0.2).qhat())
        .isCloseTo(0.8, within(1e-15));
    SplitConformal full = SplitConformal.fit(cal, ConformalScore.lac(), 0.05);
    assertThat(full.qhat()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(full.predict(d.get(0)).size()).isEqualTo(2);
    // Mondrian: class y has no calibration rows -> infinite threshold for y
    SplitConformal mondrian = SplitConformal.fitMondrian(cal, ConformalScore.lac(), 0.1);
    assertThat(mondrian.qhat(1)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(mondrian.qhat(0)).isCloseTo(0.9, within(1e-15));
    assertThat(mondrian.calibrationRows()).containsExactly(9, 0);
    assertThatThrownBy(mondrian::qhat).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void randomisedSetsAreReproducibleAndDependOnTheSeed() {
    GoldenCase g = GoldenCase.load("agnews-zeroshot-minilm");
    LabelledSet all = g.raw();
    SplitConformal a = SplitConformal.fit(all, ConformalScore.aps().randomised(1), 0.1);
    SplitConformal b = SplitConformal.fit(all, ConformalScore.aps().randomised(1), 0.1);
    SplitConformal c = SplitConformal.fit(all, ConformalScore.aps().randomised(2), 0.1);
    assertThat(a.qhat()).isEqualTo(b.qhat());
    assertThat(a.qhat()).isNotEqualTo(c.qhat());
    assertThat(a.predictAll(all.distributions())).isEqualTo(b.predictAll(all.distributions()));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    assertThat(a.toString()).contains("aps randomised(seed=1)", "alpha=0.1");
    assertThatThrownBy(() -> a.predict(all.distribution(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs the row's index");
    // weights are uniform on [0, 1): mean close to 1/2 over 10^4 rows (4 SE = 4 * 0.0029)
    double sum = 0;
    for (int i = 0; i < 10_000; i++) {
      sum += ConformalScore.aps().randomised(5).weight(SplitConformal.TEST_STREAM, i);
    }
    assertThat(sum / 10_000).isCloseTo(0.5, within(0.0116));
  }

  @Test
  void onePredictorSharedByEightThreadsGivesTheSerialSets() throws Exception {
    LabelledSet all = GoldenCase.load("agnews-zeroshot-minilm").raw();
    SplitConformal predictor =
        SplitConformal.fitMondrian(all, ConformalScore.raps(1, 0.02).randomised(3), 0.1);
    List<PredictionSet> serial = predictor.predictAll(all.distributions());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<List<PredictionSet>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> predictor.predictAll(all.distributions())));
      }
      for (var f : futures) {
        assertThat(f.get()).isEqualTo(serial);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badInputIsRejected() {
    LabelledSet cal =
        LabelledSet.of(
            List.of(
                LabelDistribution.ofProbabilities(ABC, 0.2, 0.3, 0.5),
                LabelDistribution.ofProbabilities(ABC, 0.6, 0.3, 0.1)),
            new int[] {2, 0});
    for (double alpha : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> SplitConformal.fit(cal, ConformalScore.lac(), alpha))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected a value in (0, 1)");
    }
    assertThatThrownBy(() -> ConformalScore.raps(-1, 0.1)).hasMessageContaining("k_reg is -1");
    assertThatThrownBy(() -> ConformalScore.raps(1, Double.NaN))
        .hasMessageContaining("expected a finite value >= 0");
    assertThatThrownBy(() -> ConformalScore.lac().randomised(1))
        .hasMessageContaining("has no randomised form");
    LabelDistribution p = LabelDistribution.ofProbabilities(ABC, 0.2, 0.3, 0.5);
    assertThatThrownBy(() -> ConformalScore.aps().scores(p, Double.NaN))
        .hasMessageContaining("expected a value in [0, 1]");
    assertThatThrownBy(() -> ConformalScore.aps().score(p, 3, 1))
        .hasMessageContaining("out of range");
    SplitConformal fitted = SplitConformal.fit(cal, ConformalScore.lac(), 0.5);
    LabelDistribution other =
        LabelDistribution.ofProbabilities(LabelSet.of("x", "y", "z"), 0.2, 0.3, 0.5);
    assertThatThrownBy(() -> fitted.predict(other)).hasMessageContaining("mismatched label sets");
    assertThatThrownBy(() -> new PredictionSet(ABC, 1, 1)).hasMessageContaining("not increasing");
    assertThatThrownBy(() -> new PredictionSet(ABC, 3)).hasMessageContaining("not increasing");
    assertThatThrownBy(() -> SplitConformal.coverage(List.of(), new int[0]))
        .hasMessageContaining("at least one set");
  }

  @Test
  void predictionSetIsAValue() {
    PredictionSet s = new PredictionSet(ABC, 0, 2);
    assertThat(s.joined()).isEqualTo("a|c");
    assertThat(s.contains(2)).isTrue();
    assertThat(s.contains(1)).isFalse();
    assertThat(s)
        .isEqualTo(new PredictionSet(ABC, 0, 2))
        .hasSameHashCodeAs(new PredictionSet(ABC, 0, 2));
    assertThat(s).isNotEqualTo(new PredictionSet(ABC, 0));
    assertThat(new PredictionSet(ABC).joined()).isEmpty();
    assertThat(s.toString()).isEqualTo("{a, c}");
  }
}
