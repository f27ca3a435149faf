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
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Paired comparisons against numpy and scipy ({@code golden/statistics/make_paired_cases.py}: the
 * differences to 1e-12, the paired bootstrap intervals to 1e-9, McNemar's p against {@code
 * scipy.stats.binomtest} and the NLL t-test against {@code scipy.stats.ttest_rel} to 1e-9
 * relative), and the intervals' coverage on synthetic pairs whose true difference is known.
 */
class PairedComparisonTest {
  private static final JsonNode REFERENCE = reference();

  private static JsonNode reference() {
    try (InputStream in =
        PairedComparisonTest.class.getResourceAsStream("/golden/statistics/paired-cases.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Stream<JsonNode> cases() {
    List<JsonNode> out = new ArrayList<>();
    REFERENCE.get("cases").forEach(out::add);
    return out.stream();
  }

  /** A and B of a reference case. */
  private static LabelledSet[] sets(JsonNode c) {
    if (c.has("a")) {
      List<String> names = new ArrayList<>();
      c.get("labels").forEach(l -> names.add(l.asText()));
      LabelSet labels = LabelSet.of(names);
      int[] gold = new int[c.get("gold").size()];
      for (int i = 0; i < gold.length; i++) {
        gold[i] = c.get("gold").get(i).asInt();
      }
      return new LabelledSet[] {set(labels, c.get("a"), gold), set(labels, c.get("b"), gold)};
    }
    GoldenCase g = GoldenCase.load(c.get("name").asText());
    return new LabelledSet[] {
      g.raw(), set(g.labels, g.expected.get("contextual").get("probabilities"), g.gold)
    };
  }

  private static LabelledSet set(LabelSet labels, JsonNode rows, int[] gold) {
    List<LabelDistribution> d = new ArrayList<>();
    rows.forEach(r -> d.add(LabelDistribution.ofProbabilities(labels, GoldenCase.doubles(r))));
    return LabelledSet.of(d, gold);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesNumpyAndScipy(JsonNode c) {
    LabelledSet[] ab = sets(c);
    PairedComparison got =
        PairedComparison.compute(
            ab[0],
            ab[1],
            15,
            c.get("resamples").asInt(),
            c.get("seed").asLong(),
            c.get("confidence").asDouble());
    assertThat(got.differences().keySet()).containsExactlyElementsOf(PairedComparison.METRICS);
    for (String key : PairedComparison.METRICS) {
      JsonNode want = c.get("differences").get(key);
      PairedComparison.Difference d = got.differences().get(key);
      assertThat(d.a()).as(key).isCloseTo(want.get("a").asDouble(), within(1e-12));
      assertThat(d.b()).as(key).isCloseTo(want.get("b").asDouble(), within(1e-12));
      assertThat(d.difference())
          .as(key)
          .isCloseTo(want.get("difference").asDouble(), within(1e-12));
      assertThat(d.interval().lower())
          .as(key)
          .isCloseTo(want.get("interval").get(0).asDouble(), within(1e-9));
      assertThat(d.interval().upper())
          .as(key)
          .isCloseTo(want.get("interval").get(1).asDouble(), within(1e-9));
    }
    JsonNode mc = c.get("mcnemar");
    assertThat(got.mcNemar().onlyA()).isEqualTo(mc.get("only_a").asInt());
    assertThat(got.mcNemar().onlyB()).isEqualTo(mc.get("only_b").asInt());
    assertThat(got.mcNemar().pValue()).isCloseTo(mc.get("p").asDouble(), relative(mc.get("p")));
    JsonNode t = c.get("nll_t");
    PairedComparison.PairedT test = got.nllTest().orElseThrow();
    assertThat(test.meanDifference()).isCloseTo(t.get("mean_difference").asDouble(), within(1e-12));
    assertThat(test.meanDifference())
        .isCloseTo(got.differences().get("nll").difference(), within(1e-12));
    assertThat(test.t()).isCloseTo(t.get("t").asDouble(), relative(t.get("t")));
    assertThat(test.degreesOfFreedom()).isEqualTo(t.get("df").asInt());
    assertThat(test.pValue()).isCloseTo(t.get("p").asDouble(), relative(t.get("p")));
  }

  private static org.assertj.core.data.Offset<Double> relative(JsonNode want) {
    return within(1e-9 * Math.abs(want.asDouble()));
  }

  @Test
  void mcNemarIsScipysTwoSidedBinomialTest() {
    for (JsonNode c : REFERENCE.get("mcnemar")) {
      PairedComparison.McNemar m =
          PairedComparison.McNemar.of(c.get("only_a").asInt(), c.get("only_b").asInt());
      assertThat(m.pValue()).as("%s", c).isCloseTo(c.get("p").asDouble(), relative(c.get("p")));
    }
    // no discordant row: no evidence either way
    assertThat(PairedComparison.McNemar.of(0, 0).pValue()).isEqualTo(1.0);
  }

  /**
   * Synthetic pairs with a known population difference: A is right with probability 0.7 (p_gold
   * 0.8, else 0.3), B with 0.78 (p_gold 0.85, else 0.25), B's draw sharing A's half the time. Over
   * 200 seeded data sets of 120 rows (200 resamples each) the 95% intervals of the accuracy and NLL
   * differences must cover the true values in 89% to 99% of them: the binomial standard error of
   * 200 draws at 0.95 is 0.015, and the percentile bootstrap undercovers slightly at this size
   * (seed 2021 gives 0.92 for accuracy and 0.915 for NLL).
   */
  @Test
  void intervalsCoverTheTrueDifferenceAtAboutTheNominalRate() {
    LabelSet labels = LabelSet.of("x", "y");
    double trueAccuracy = 0.78 - 0.7;
    double nllA = -(0.7 * Math.log(0.8) + 0.3 * Math.log(0.3));
    double nllB = -(0.78 * Math.log(0.85) + 0.22 * Math.log(0.25));
    double trueNll = nllB - nllA;
    SplittableRandom random = new SplittableRandom(2021);
    int sets = 200;
    int coveredAccuracy = 0;
    int coveredNll = 0;
    for (int s = 0; s < sets; s++) {
      List<LabelDistribution> a = new ArrayList<>();
      List<LabelDistribution> b = new ArrayList<>();
      int[] gold = new int[120];
      for (int i = 0; i < gold.length; i++) {
        gold[i] = random.nextInt(2);
        double u = random.nextDouble();
        double v = random.nextBoolean() ? u : random.nextDouble();
        a.add(withGoldProbability(labels, gold[i], u < 0.7 ? 0.8 : 0.3));
        b.add(withGoldProbability(labels, gold[i], v < 0.78 ? 0.85 : 0.25));
      }
      PairedComparison c =
          PairedComparison.compute(
              LabelledSet.of(a, gold), LabelledSet.of(b, gold), 15, 200, s, 0.95);
      coveredAccuracy += c.differences().get("accuracy").interval().contains(trueAccuracy) ? 1 : 0;
      coveredNll += c.differences().get("nll").interval().contains(trueNll) ? 1 : 0;
    }
    System.out.println(
        "coverage accuracy "
            + coveredAccuracy / (double) sets
            + " nll "
            + coveredNll / (double) sets);
    assertThat(coveredAccuracy / (double) sets).isBetween(0.89, 0.99);
    assertThat(coveredNll / (double) sets).isBetween(0.89, 0.99);
  }

  private static LabelDistribution withGoldProbability(LabelSet labels, int gold, double p) {
    return gold == 0
        ? LabelDistribution.ofProbabilities(labels, p, 1 - p)
        : LabelDistribution.ofProbabilities(labels, 1 - p, p);
  }

  @Test
  void rowsWithOtherGoldLabelsAreRejectedNamingTheFirstRowAndBothLabels() {
    LabelSet labels = LabelSet.of("neg", "pos");
    List<LabelDistribution> d =
        List.of(
            LabelDistribution.ofProbabilities(labels, 0.6, 0.4),
            LabelDistribution.ofProbabilities(labels, 0.3, 0.7),
            LabelDistribution.ofProbabilities(labels, 0.2, 0.8));
    LabelledSet a = LabelledSet.of(d, new int[] {0, 1, 1});
    assertThatThrownBy(
            () ->
                PairedComparison.compute(
                    a, LabelledSet.of(d, new int[] {0, 0, 0}), 15, 10, 0, 0.95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1 has gold 'pos' in A and 'neg' in B");
    assertThatThrownBy(
            () ->
                PairedComparison.compute(
                    a, LabelledSet.of(d.subList(0, 2), new int[] {0, 1}), 15, 10, 0, 0.95))
        .hasMessageContaining("3 rows and 2 rows");
    assertThatThrownBy(() -> PairedComparison.compute(a, a, 15, 10, 0, Double.NaN))
        .hasMessageContaining("confidence NaN");
  }

  @Test
  void identicalPredictionsDifferByZeroWithNoTestOfNll() {
    LabelledSet data = GoldenCase.load("agnews-zeroshot-minilm").raw();
    PairedComparison c = PairedComparison.compute(data, data, 15, 20, 1, 0.95);
    c.differences()
        .forEach(
            (k, d) -> {
              assertThat(d.difference()).as(k).isZero();
              assertThat(d.interval()).as(k).isEqualTo(new Bootstrap.Interval(0, 0));
            });
    assertThat(c.mcNemar()).isEqualTo(new PairedComparison.McNemar(0, 0, 1.0));
    assertThat(c.nllTest()).isEmpty(); // every per-row difference is 0: t is undefined
  }

  @Test
  void resultsDependOnTheSeedOnlyNotOnTheNumberOfThreads() throws Exception {
    GoldenCase g = GoldenCase.load("sst2-zeroshot-minilm");
    LabelledSet a = g.raw();
    LabelledSet b = set(g.labels, g.expected.get("contextual").get("probabilities"), g.gold);
    ForkJoinPool pool = new ForkJoinPool(1);
    try {
      PairedComparison serial =
          pool.submit(() -> PairedComparison.compute(a, b, 15, 50, 9, 0.9)).get();
      assertThat(PairedComparison.compute(a, b, 15, 50, 9, 0.9)).isEqualTo(serial);
      assertThat(PairedComparison.compute(a, b, 15, 50, 10, 0.9)).isNotEqualTo(serial);
    } finally {
      pool.shutdown();
    }
  }
}
