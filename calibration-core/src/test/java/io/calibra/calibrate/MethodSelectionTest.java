package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MethodSelectionTest {

  /** A model over-confident by a factor 3 in logit scale: temperature-type methods must win. */
  @Test
  void picksAScalingMethodForAnOverconfidentModel() {
    LabelSet ab = LabelSet.of("a", "b");
    Random random = new Random(3);
    List<LabelDistribution> rows = new ArrayList<>();
    int n = 600;
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      double z = random.nextGaussian();
      gold[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 0 : 1;
      rows.add(LabelDistribution.ofLogits(ab, 3 * z, 0));
    }
    LabelledSet dev = LabelledSet.of(rows, gold);
    MethodSelection.Report report =
        MethodSelection.crossValidate(dev, MethodSelection.defaultCandidates(ab, null), 5, 1);
    assertThat(report.best().name())
        .isIn("temperature", "vector", "matrix", "platt", "beta", "scaling-binning");
    MethodSelection.Result none =
        report.ranked().stream().filter(r -> r.name().equals("none")).findFirst().orElseThrow();
    assertThat(report.best().metrics().orElseThrow().nll())
        .isLessThan(none.metrics().orElseThrow().nll());
    assertThat(report.table())
        .contains("5-fold cross-validation on 600 rows")
        .contains("temperature");
    // deterministic for a seed
    assertThat(
            MethodSelection.crossValidate(dev, MethodSelection.defaultCandidates(ab, null), 5, 1)
                .table())
        .isEqualTo(report.table());
  }

  private static MethodSelection.Result result(MethodSelection.Report report, String name) {
    return report.ranked().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void contextualCandidatesOnTheGoldenCaseAndFailuresReported() {
    GoldenCase g = GoldenCase.load("sst2-zeroshot-minilm");
    MethodSelection.Report report =
        MethodSelection.crossValidate(
            g.raw(),
            MethodSelection.defaultCandidates(g.labels, g.contentFreeDistributions()),
            5,
            0);
    assertThat(report.ranked())
        .extracting(MethodSelection.Result::name)
        .contains("contextual", "contextual+temperature");
    // the contextual candidate is not refitted per fold, so its pooled out-of-fold metrics are the
    // golden case's contextual metrics (numpy reference): NLL 0.5295167793461567, and "none" gives
    // the
    // raw NLL 0.5556914899462877
    assertThat(result(report, "contextual").metrics().orElseThrow().nll())
        .isCloseTo(0.5295167793461567, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(result(report, "none").metrics().orElseThrow().nll())
        .isCloseTo(0.5556914899462877, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(report.best().metrics().orElseThrow().nll())
        .isLessThanOrEqualTo(result(report, "contextual").metrics().orElseThrow().nll());

    LabelSet ab = LabelSet.of("a", "b");
    LabelledSet oneClassHeavy =
        LabelledSet.of(
            List.of(
                LabelDistribution.ofProbabilities(ab, .6, .4),
                LabelDistribution.ofProbabilities(ab, .7, .3),
                LabelDistribution.ofProbabilities(ab, .2, .8)),
            new int[] {0, 0, 1});
    MethodSelection.Report small =
        MethodSelection.crossValidate(
            oneClassHeavy, MethodSelection.defaultCandidates(ab, null), 3, 0);
    // temperature cannot be fitted on folds of one gold class: reported, with the fold and why
    assertThat(result(small, "temperature").failure().orElseThrow())
        .startsWith("fold ")
        .contains("needs rows of at least 2 gold classes");
    assertThat(small.ranked().get(small.ranked().size() - 1).succeeded()).isFalse();
    assertThat(small.best().succeeded()).isTrue();
    assertThat(small.table()).contains("temperature", "failed: fold ");
    assertThatThrownBy(() -> MethodSelection.crossValidate(oneClassHeavy, List.of(), 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                MethodSelection.crossValidate(
                    oneClassHeavy, MethodSelection.defaultCandidates(ab, null), 5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs at least 5 rows; found 3");
  }
}
