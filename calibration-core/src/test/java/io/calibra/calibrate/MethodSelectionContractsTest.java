package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Cross-validation's fold assignment, bounds and report, and the candidates built from raw
 * content-free scores. The fold assignment is recomputed here independently from its documented
 * recipe (a Fisher-Yates shuffle of 0..n-1 with {@code java.util.Random(seed)}, row order[i] in
 * fold i mod folds) and compared with the training rows each fold's fit receives.
 */
class MethodSelectionContractsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static LabelDistribution d(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  /** n rows with distinct probabilities, so a row is recognised by its distribution. */
  private static LabelledSet rows(int n) {
    List<LabelDistribution> ds = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      ds.add(d(0.05 + 0.9 * i / n));
      gold[i] = i % 2;
    }
    return LabelledSet.of(ds, gold);
  }

  private static int[] independentFoldOf(int n, int folds, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] foldOf = new int[n];
    for (int i = 0; i < n; i++) {
      foldOf[order[i]] = i % folds;
    }
    return foldOf;
  }

  @Test
  void eachFoldFitsOnTheOtherFoldsOfTheSeededShuffle() {
    int n = 11;
    int folds = 3;
    long seed = 12345;
    LabelledSet dev = rows(n);
    List<List<LabelDistribution>> seen = new ArrayList<>();
    MethodSelection.Candidate recording =
        new MethodSelection.Candidate(
            "recording",
            data -> {
              seen.add(data.distributions());
              return Calibrator.identity(AB);
            });
    MethodSelection.crossValidate(dev, List.of(recording), folds, seed);
    int[] foldOf = independentFoldOf(n, folds, seed);
    assertThat(seen).hasSize(folds);
    for (int f = 0; f < folds; f++) {
      List<LabelDistribution> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (foldOf[i] != f) {
          expected.add(dev.distribution(i));
        }
      }
      assertThat(seen.get(f)).as("fold %s", f).containsExactlyElementsOf(expected);
    }
    // the shuffle is not the identity for this seed (else the check above could not fail)
    int[] unshuffled = new int[n];
    for (int i = 0; i < n; i++) {
      unshuffled[i] = i % folds;
    }
    assertThat(foldOf).isNotEqualTo(unshuffled);
  }

  @Test
  void foldsAndRowsBounds() {
    MethodSelection.Candidate none =
        new MethodSelection.Candidate("none", data -> Calibrator.identity(AB));
    assertThat(MethodSelection.crossValidate(rows(4), List.of(none), 2, 1).folds()).isEqualTo(2);
    assertThatThrownBy(() -> MethodSelection.crossValidate(rows(4), List.of(none), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("folds is 1; expected at least 2");
    // as many rows as folds is enough
    assertThat(MethodSelection.crossValidate(rows(3), List.of(none), 3, 1).rows()).isEqualTo(3);
    assertThatThrownBy(() -> MethodSelection.crossValidate(rows(2), List.of(none), 3, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cross-validation with 3 folds needs at least 3 rows; found 2");
  }

  @Test
  void goldByNameGivesTheSameReport() {
    LabelledSet dev = rows(6);
    List<String> gold =
        java.util.Arrays.stream(dev.goldArray()).mapToObj(AB::name).collect(Collectors.toList());
    MethodSelection.Candidate t =
        new MethodSelection.Candidate("temperature", TemperatureScaling::fit);
    MethodSelection.Report byName =
        MethodSelection.crossValidate(dev.distributions(), gold, List.of(t), 2, 9);
    assertThat(byName).isEqualTo(MethodSelection.crossValidate(dev, List.of(t), 2, 9));
    assertThat(byName.ranked()).extracting(MethodSelection.Result::name).contains("temperature");
  }

  /**
   * A candidate that always returns batch calibration with bias (0.999, 0.001) pushes every row
   * towards b; on rows whose gold is a with p(a) = 0.9 its NLL is far worse than none's at every
   * row, so it is flagged; none itself (difference 0, SE 0) is not.
   */
  @Test
  void tableFlagsOnlyCandidatesWorseThanNone() {
    List<LabelDistribution> ds = new ArrayList<>();
    int[] gold = new int[8];
    for (int i = 0; i < 8; i++) {
      ds.add(d(0.9 - 0.01 * i));
    }
    LabelledSet dev = LabelledSet.of(ds, gold);
    Calibrator bad = BatchCalibration.fromBias(AB, new double[] {0.999, 0.001});
    MethodSelection.Report report =
        MethodSelection.crossValidate(
            dev, List.of(new MethodSelection.Candidate("bad", data -> bad)), 2, 3);
    MethodSelection.Result badResult =
        report.ranked().stream().filter(r -> r.name().equals("bad")).findFirst().orElseThrow();
    assertThat(badResult.worseThanNone()).isTrue();
    String table = report.table();
    List<String> lines = table.lines().collect(Collectors.toList());
    assertThat(lines.stream().filter(l -> l.startsWith("bad ")).findFirst().orElseThrow())
        .endsWith("  worse than none by more than 1 SE: never picked");
    assertThat(lines.stream().filter(l -> l.startsWith("none ")).findFirst().orElseThrow())
        .doesNotContain("worse than none");
    assertThat(report.best().name()).isEqualTo("none");
  }

  @Test
  void resultHashCodesFollowEquality() {
    LabelledSet dev = rows(6);
    CalibrationMetrics m = io.calibra.metrics.Metrics.evaluate(dev);
    MethodSelection.Result a = MethodSelection.Result.succeeded("x", m);
    MethodSelection.Result same = MethodSelection.Result.succeeded("x", m);
    MethodSelection.Result other = MethodSelection.Result.failed("x", "fold 1 of 2: boom");
    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
    assertThat(a.hashCode()).isNotEqualTo(other.hashCode());
  }

  @Test
  void contentFreeCandidateCrossValidates() {
    List<LabelDistribution> cf = List.of(d(0.7), d(0.6));
    MethodSelection.Candidate c = MethodSelection.Candidate.of(CalibrationMethod.CONTEXTUAL, cf);
    assertThat(c.name()).isEqualTo(CalibrationMethod.CONTEXTUAL.methodName());
    // the candidate returns the calibrator fitted on the content-free rows, whatever the fold
    assertThat(c.fit().apply(rows(4))).isEqualTo(ContextualCalibration.fit(cf));
    MethodSelection.Report report = MethodSelection.crossValidate(rows(6), List.of(c), 2, 1);
    assertThat(report.ranked()).allMatch(MethodSelection.Result::succeeded);
    assertThatThrownBy(() -> MethodSelection.Candidate.of(CalibrationMethod.CONTEXTUAL, List.of()))
        .hasMessageContaining("needs content-free rows; found none");
  }

  @Test
  void candidatesFromScores() {
    List<String> plain =
        MethodSelection.defaultCandidates(AB, null).stream()
            .map(MethodSelection.Candidate::name)
            .collect(Collectors.toList());
    assertThat(
            MethodSelection.defaultCandidatesFromScores(AB, List.of()).stream()
                .map(MethodSelection.Candidate::name))
        .containsExactlyElementsOf(plain);

    LabelScores l1 = LabelScores.of(AB, ScoreKind.LOGIT, 1.0, 0.0);
    LabelScores l2 = LabelScores.of(AB, ScoreKind.LOGIT, 0.5, 0.0);
    List<MethodSelection.Candidate> logits =
        MethodSelection.defaultCandidatesFromScores(AB, List.of(l1, l2));
    List<String> expectedLogitNames = new ArrayList<>(plain);
    expectedLogitNames.add("contextual");
    expectedLogitNames.add("contextual+temperature");
    assertThat(logits.stream().map(MethodSelection.Candidate::name))
        .containsExactlyElementsOf(expectedLogitNames);

    LabelScores p1 = LabelScores.of(AB, ScoreKind.LOG_PROBABILITY, Math.log(0.3), Math.log(0.2));
    LabelScores p2 = LabelScores.of(AB, ScoreKind.LOG_PROBABILITY, Math.log(0.1), Math.log(0.4));
    List<MethodSelection.Candidate> logProbs =
        MethodSelection.defaultCandidatesFromScores(AB, List.of(p1, p2));
    List<String> expectedNames = new ArrayList<>(plain);
    for (ContextualCalibration.Rule rule : ContextualCalibration.Rule.values()) {
      expectedNames.add("contextual/" + rule.id());
      expectedNames.add("contextual/" + rule.id() + "+temperature");
    }
    assertThat(logProbs.stream().map(MethodSelection.Candidate::name))
        .containsExactlyElementsOf(expectedNames);
    // the contextual candidates fit: each returns its rule's calibrator, the +temperature ones a
    // two-stage pipeline (on rows that carry information and are not separable, where the
    // temperature stage has a fit)
    LabelledSet dev =
        LabelledSet.of(
            List.of(d(0.9), d(0.8), d(0.7), d(0.3), d(0.2), d(0.35)), new int[] {0, 0, 1, 1, 1, 0});
    for (MethodSelection.Candidate c : logProbs) {
      if (!c.name().startsWith("contextual/")) {
        continue;
      }
      Calibrator fitted = c.fit().apply(dev);
      assertThat(fitted).as(c.name()).isNotNull();
      ContextualCalibration.Rule rule =
          c.name().startsWith("contextual/raw-mass")
              ? ContextualCalibration.Rule.RAW_MASS
              : ContextualCalibration.Rule.NORMALISED;
      Calibrator contextual =
          ContextualCalibration.fit(List.of(p1, p2), ContextualCalibration.Form.DIAGONAL, rule);
      if (c.name().endsWith("+temperature")) {
        assertThat(fitted.stages()).hasSize(2);
        assertThat(fitted.stages().get(0)).isEqualTo(contextual);
      } else {
        assertThat(fitted).isEqualTo(contextual);
      }
    }
    for (MethodSelection.Candidate c : logits) {
      if (c.name().startsWith("contextual")) {
        assertThat(c.fit().apply(dev)).as(c.name()).isNotNull();
      }
    }
  }
}
