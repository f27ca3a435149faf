package io.calibra.calibrate;

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
        .isIn("temperature", "vector", "matrix", "platt", "beta", "scaling-binning", "dirichlet");
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

  /**
   * No calibration is always evaluated, and a method worse than it by more than one standard error
   * of the paired per-row NLL differences is flagged and never picked.
   */
  @Test
  void neverPicksAMethodWorseThanNoCalibrationBeyondOneStandardError() {
    LabelSet ab = LabelSet.of("a", "b");
    Random random = new Random(9);
    List<LabelDistribution> rows = new ArrayList<>();
    int n = 200;
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      double z = random.nextGaussian();
      gold[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 0 : 1;
      rows.add(LabelDistribution.ofLogits(ab, z, 0)); // already calibrated
    }
    LabelledSet dev = LabelledSet.of(rows, gold);
    // T = 0.2 makes the calibrated model five times over-confident: much worse than none
    MethodSelection.Candidate sharp =
        new MethodSelection.Candidate("sharp", d -> TemperatureScaling.of(ab, 0.2));
    MethodSelection.Candidate mild =
        new MethodSelection.Candidate("mild", d -> TemperatureScaling.of(ab, 2.5));
    MethodSelection.Report report = MethodSelection.crossValidate(dev, List.of(sharp, mild), 4, 3);
    assertThat(report.ranked())
        .extracting(MethodSelection.Result::name)
        .containsExactly("none", "mild", "sharp");
    assertThat(report.best().name()).isEqualTo("none");
    MethodSelection.Result none = result(report, "none");
    assertThat(none.nllDifference()).isZero();
    assertThat(none.nllDifferenceError()).isZero();
    assertThat(none.worseThanNone()).isFalse();
    // the difference and its standard error, recomputed here from the per-row NLLs
    Calibrator t = TemperatureScaling.of(ab, 0.2);
    double[] d = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      d[i] =
          -Math.log(t.apply(rows.get(i)).probability(gold[i]))
              + Math.log(rows.get(i).probability(gold[i]));
      mean += d[i] / n;
    }
    double ss = 0;
    for (double v : d) {
      ss += (v - mean) * (v - mean);
    }
    MethodSelection.Result bad = result(report, "sharp");
    assertThat(bad.nllDifference()).isCloseTo(mean, within(1e-12));
    assertThat(bad.nllDifferenceError()).isCloseTo(Math.sqrt(ss / (n - 1) / n), within(1e-12));
    assertThat(bad.worseThanNone()).isTrue();
    assertThat(bad.nllDifference()).isGreaterThan(bad.nllDifferenceError());
    // T = 2.5 is worse by 0.0054, within one standard error (0.018): not flagged, but behind none
    MethodSelection.Result close = result(report, "mild");
    assertThat(close.nllDifference()).isPositive().isLessThanOrEqualTo(close.nllDifferenceError());
    assertThat(close.worseThanNone()).isFalse();
    assertThat(report.table())
        .contains("NLL - none (SE)")
        .contains("sharp")
        .contains("worse than none by more than 1 SE: never picked");
    // a failed candidate is neither better nor worse than none: it failed
    MethodSelection.Result failed = MethodSelection.Result.failed("x", "why");
    assertThat(failed.worseThanNone()).isFalse();
    assertThat(failed.nllDifference()).isNaN();
    assertThat(failed.toString()).contains("failure=why");
    assertThatThrownBy(
            () ->
                MethodSelection.Result.succeeded("x", none.metrics().orElseThrow(), Double.NaN, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NLL difference NaN");
    assertThatThrownBy(
            () -> MethodSelection.Result.succeeded("x", none.metrics().orElseThrow(), 0, -1))
        .hasMessageContaining("standard error -1");
    assertThat(MethodSelection.Result.succeeded("x", none.metrics().orElseThrow()))
        .isEqualTo(MethodSelection.Result.succeeded("x", none.metrics().orElseThrow(), 0, 0))
        .isNotEqualTo(MethodSelection.Result.succeeded("x", none.metrics().orElseThrow(), 0, 1))
        .isNotEqualTo(MethodSelection.Result.succeeded("x", none.metrics().orElseThrow(), 1, 1));
  }

  /**
   * The default candidates hold every method that applies (Platt and beta for two labels), and one
   * whose folds cannot be fitted is reported with the fold and the reason.
   */
  @Test
  void everyApplicableMethodIsCrossValidatedAndFailuresNamed() {
    LabelSet ab = LabelSet.of("a", "b");
    // gold b exactly when p_b > .5: Platt's and beta's likelihoods have no maximum
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[40];
    for (int i = 0; i < 40; i++) {
      double pb = 0.05 + 0.9 * i / 39.0;
      rows.add(LabelDistribution.ofProbabilities(ab, 1 - pb, pb));
      gold[i] = pb > 0.5 ? 1 : 0;
    }
    MethodSelection.Report report =
        MethodSelection.crossValidate(
            LabelledSet.of(rows, gold), MethodSelection.defaultCandidates(ab, null), 4, 0);
    assertThat(report.ranked())
        .extracting(MethodSelection.Result::name)
        .containsExactlyInAnyOrder(
            "none",
            "temperature",
            "vector",
            "matrix",
            "dirichlet",
            "isotonic",
            "histogram-binning",
            "scaling-binning",
            "platt",
            "beta",
            "prototypical");
    assertThat(result(report, "platt").failure().orElseThrow())
        .startsWith("fold 1 of 4: platt calibration has no unique maximum-likelihood fit");
    assertThat(result(report, "beta").failure().orElseThrow())
        .startsWith("fold 1 of 4: beta calibration has no unique maximum-likelihood fit");
    assertThat(report.table()).contains("platt", "failed: fold 1 of 4: platt calibration");
    // separable rows: the scaling family has no fit either, in any fold
    for (String name : List.of("temperature", "vector", "matrix", "scaling-binning")) {
      assertThat(result(report, name).failure().orElseThrow())
          .as(name)
          .contains("no maximum-likelihood fit");
    }
    // isotonic fits the held-out rows perfectly, but 20 rows per label are few, and one test row
    // on the wrong side of its step would get probability 0: it is never picked, and none is
    assertThat(result(report, "isotonic").nllDifference()).isNegative();
    assertThat(result(report, "isotonic").exclusion())
        .contains("few rows, and it can output probability 0 or 1");
    assertThat(report.note()).contains("the rarest label has 20 dev rows");
    assertThat(report.best().name()).isEqualTo("none");
  }

  /**
   * A result's description says whether it was skipped or failed, with the reason given (the
   * reasons here are the test's own).
   */
  @Test
  void aResultDescriptionTellsSkippedFromFailed() {
    assertThat(MethodSelection.Result.skipped("vector", "too many parameters").toString())
        .isEqualTo("Result[name=vector, skipped=too many parameters]");
    assertThat(MethodSelection.Result.failed("matrix", "fold 1 of 3: separable").toString())
        .isEqualTo("Result[name=matrix, failure=fold 1 of 3: separable]");
  }

  /**
   * A succeeded result's description names its exclusion only when one was set (the reason here is
   * the test's own).
   */
  @Test
  void aSucceededResultDescriptionNamesItsExclusionOnlyWhenSet() {
    io.calibra.metrics.CalibrationMetrics m =
        io.calibra.metrics.Metrics.evaluate(
            io.calibra.label.LabelledSet.of(
                java.util.List.of(
                    io.calibra.label.LabelDistribution.ofProbabilities(
                        io.calibra.label.LabelSet.of("a", "b"), 0.75, 0.25)),
                new int[] {0}));
    MethodSelection.Result plain = MethodSelection.Result.succeeded("x", m, -0.5, 0.25);
    assertThat(plain.toString()).doesNotContain("exclusion=").endsWith(", nearZeroGold=0]");
    assertThat(plain.excluded("a reason").toString()).endsWith(", exclusion=a reason]");
  }
}
