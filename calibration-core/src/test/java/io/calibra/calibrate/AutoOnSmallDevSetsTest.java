package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code auto} ({@link MethodSelection#select}) on the small, separable dev sets users often have:
 * it must not pick a method whose fit does not exist, nor one that claims certainty, and its
 * calibrated test NLL must not be worse than the raw scores'. The model here is a noisy one (about
 * 80% accurate on test rows), the dev rows 16 of the rows it got right by a margin.
 */
class AutoOnSmallDevSetsTest {
  private static LabelSet labels(int k) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("l" + i);
    }
    return LabelSet.of(names);
  }

  /** Rows of a model whose logits are 2 * onehot(gold) plus Gaussian noise of sd 1.2. */
  private static LabelledSet model(LabelSet labels, int n, Random random) {
    int k = labels.size();
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      gold[i] = random.nextInt(k);
      double[] z = new double[k];
      for (int j = 0; j < k; j++) {
        z[j] = (j == gold[i] ? 2.0 : 0.0) + 1.2 * random.nextGaussian();
      }
      rows.add(LabelDistribution.ofLogits(labels, z));
    }
    return LabelledSet.of(rows, gold);
  }

  /** The first {@code n} rows the model gets right with a top probability above 0.6. */
  private static LabelledSet separableDev(LabelSet labels, int n, Random random) {
    List<LabelDistribution> rows = new ArrayList<>();
    List<Integer> gold = new ArrayList<>();
    while (rows.size() < n) {
      LabelledSet one = model(labels, 1, random);
      LabelDistribution d = one.distribution(0);
      // balanced labels: row i has gold i mod K
      if (one.gold(0) == rows.size() % labels.size()
          && d.argmax() == one.gold(0)
          && d.confidence() > 0.6) {
        rows.add(d);
        gold.add(one.gold(0));
      }
    }
    return LabelledSet.of(rows, gold.stream().mapToInt(Integer::intValue).toArray());
  }

  @ParameterizedTest(name = "{0} labels")
  @ValueSource(ints = {2, 4})
  void autoOnSixteenSeparableRowsIsNotWorseThanRawOnTest(int k) {
    LabelSet labels = labels(k);
    Random random = new Random(11 + k);
    LabelledSet dev = separableDev(labels, 16, random);
    LabelledSet test = model(labels, 400, random);
    MethodSelection.Selection s =
        MethodSelection.select(dev, MethodSelection.defaultCandidates(labels, null), 5, 0);
    LabelledSet calibrated =
        LabelledSet.of(s.calibrator().applyAll(test.distributions()), test.goldArray());
    assertThat(Metrics.nll(calibrated))
        .as(s.report().table())
        .isLessThanOrEqualTo(Metrics.nll(test));
    assertThat(s.chosen()).isEqualTo("none");
    assertThat(s.report().note()).startsWith("few rows: the rarest label has");
    // every scaling candidate failed (every fold is separable too) or was skipped (Dirichlet's
    // 20 parameters for 4 labels exceed the 12 rows of the training folds)
    assertThat(
            s.report().ranked().stream()
                .filter(x -> x.name().equals("dirichlet"))
                .findFirst()
                .orElseThrow()
                .succeeded())
        .isFalse();
    for (String name : List.of("temperature", "vector")) {
      MethodSelection.Result r =
          s.report().ranked().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
      assertThat(r.succeeded()).as(name).isFalse();
      assertThat(r.failure().orElseThrow()).as(name).contains("no maximum-likelihood fit");
    }
    // isotonic regression is right on every held-out row but can output 0: not picked on few rows
    MethodSelection.Result isotonic =
        s.report().ranked().stream()
            .filter(x -> x.name().equals("isotonic"))
            .findFirst()
            .orElseThrow();
    assertThat(isotonic.eligible()).isFalse();
    assertThat(s.report().table()).contains("never picked").contains("NLL clips p_gold at 1.0E-15");
  }

  @Test
  void aCandidateThatGivesHeldOutGoldLabelsNearZeroIsNeverPicked() {
    // 300 rows of a noisy model: plenty of rows, but T = 0.02 makes every wrong row's gold label
    // all but impossible, which shows up in its held-out rows and excludes it
    LabelSet ab = labels(2);
    LabelledSet dev = model(ab, 300, new Random(5));
    MethodSelection.Candidate sharp =
        new MethodSelection.Candidate("sharp", d -> TemperatureScaling.of(ab, 0.02));
    MethodSelection.Report report = MethodSelection.crossValidate(dev, List.of(sharp), 5, 0);
    MethodSelection.Result r =
        report.ranked().stream().filter(x -> x.name().equals("sharp")).findFirst().orElseThrow();
    assertThat(r.nearZeroGold()).isPositive();
    assertThat(r.eligible()).isFalse();
    assertThat(report.best().name()).isEqualTo("none");
    assertThat(report.note()).isEmpty();
    assertThat(report.table()).contains("p_gold < 1.0E-6 on " + r.nearZeroGold() + " rows");
    // a candidate better than none on the whole is still never picked if it gave more held-out
    // gold labels a near-zero probability than none did
    MethodSelection.Result better =
        MethodSelection.Result.succeeded("better", r.metrics().orElseThrow(), -0.5, 0.01)
            .withNearZeroGold(3);
    MethodSelection.Result judged = CrossValidation.exclude(better, 1, false);
    assertThat(judged.eligible()).isFalse();
    assertThat(judged.exclusion()).contains("3 held-out gold labels got p < 1.0E-6 (none: 1)");
    assertThat(CrossValidation.exclude(better, 3, false).eligible()).isTrue();
    assertThat(new MethodSelection.Report(List.of(judged), 5, 300).table())
        .contains(
            "p_gold < 1.0E-6 on 3 rows  3 held-out gold labels got p < 1.0E-6 (none: 1): never"
                + " picked");
  }

  @Test
  void candidatesWithMoreParametersThanRowsAreSkipped() {
    // 12 labels, 60 rows: matrix and Dirichlet scaling have 156 parameters, prototypical more
    LabelSet labels = labels(12);
    LabelledSet dev = model(labels, 60, new Random(8));
    MethodSelection.Report report =
        MethodSelection.crossValidate(dev, MethodSelection.defaultCandidates(labels, null), 5, 0);
    for (String name : List.of("matrix", "dirichlet", "prototypical")) {
      MethodSelection.Result r =
          report.ranked().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
      assertThat(r.isSkipped()).as(name).isTrue();
      assertThat(r.failure().orElseThrow()).contains("more than the 48 rows of the training folds");
    }
    assertThat(report.table()).contains("matrix", "skipped: 156 parameters for 12 labels");
    assertThat(report.best().isSkipped()).isFalse();
  }

  @Test
  void onPlentifulRowsTheChoiceIsUnchanged() {
    // 600 rows of an overconfident model: temperature-like methods help, and one is picked
    LabelSet ab = labels(2);
    Random random = new Random(3);
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[600];
    for (int i = 0; i < 600; i++) {
      double z = random.nextGaussian();
      gold[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 0 : 1;
      rows.add(LabelDistribution.ofLogits(ab, 3 * z, 0));
    }
    LabelledSet dev = LabelledSet.of(rows, gold);
    MethodSelection.Selection s =
        MethodSelection.select(dev, MethodSelection.defaultCandidates(ab, null), 5, 1);
    assertThat(s.chosen()).isEqualTo(s.report().best().name()).isNotEqualTo("none");
    assertThat(s.report().note()).isEmpty();
  }
}
