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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link CrossValidation}: the fold assignment, bounds and report, and the candidates built from
 * raw content-free scores. The folds are checked against a case computed outside calibra
 * (scripts/fold_assignment_reference.py re-implements {@code java.util.Random} from its documented
 * generator) and against the properties any correct shuffle has, never against a copy of the
 * production code.
 */
class CrossValidationTest {
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

  /** The held-out fold of each row, read from the training rows each fold's fit received. */
  private static int[] observedFolds(LabelledSet dev, int folds, long seed) {
    List<List<LabelDistribution>> seen = new ArrayList<>();
    MethodSelection.Candidate recording =
        new MethodSelection.Candidate(
            "recording",
            data -> {
              seen.add(data.distributions());
              return Calibrator.identity(AB);
            });
    MethodSelection.crossValidate(dev, List.of(recording), folds, seed);
    assertThat(seen).hasSize(folds);
    int[] foldOf = new int[dev.size()];
    java.util.Arrays.fill(foldOf, -1);
    for (int f = 0; f < folds; f++) {
      for (int i = 0; i < dev.size(); i++) {
        if (!seen.get(f).contains(dev.distribution(i))) {
          assertThat(foldOf[i]).as("row %s held out by two folds", i).isEqualTo(-1);
          foldOf[i] = f;
        }
      }
    }
    assertThat(foldOf).as("every row held out once").doesNotContain(-1);
    return foldOf;
  }

  /**
   * The folds of 11 rows, 3 folds, seed 12345, from scripts/fold_assignment_reference.py (draws 6,
   * 0, 6, 7, 2, 4, 0, 0, 1, 0 of java.util.Random's generator): each fold's fit gets exactly the
   * rows of the other folds, in row order.
   */
  @Test
  void eachFoldFitsOnTheOtherFoldsOfTheSeededShuffle() {
    LabelledSet dev = rows(11);
    assertThat(observedFolds(dev, 3, 12345)).containsExactly(0, 2, 0, 1, 2, 0, 1, 1, 0, 1, 2);
  }

  /**
   * What any correct shuffle gives: folds whose sizes differ by at most one, the same folds for the
   * same seed, and over many seeds each row in each fold about equally often (a shuffle that
   * favours some permutations, such as swapping with {@code nextInt(n)} at every step, fails it).
   */
  @Test
  void foldsAreBalancedRepeatableAndUniformOverSeeds() {
    int n = 7;
    int folds = 3;
    LabelledSet dev = rows(n);
    int[][] counts = new int[n][folds];
    int seeds = 1500;
    for (long seed = 0; seed < seeds; seed++) {
      int[] foldOf = observedFolds(dev, folds, seed);
      int[] sizes = new int[folds];
      for (int i = 0; i < n; i++) {
        sizes[foldOf[i]]++;
        counts[i][foldOf[i]]++;
      }
      assertThat(
              java.util.Arrays.stream(sizes).max().getAsInt()
                  - java.util.Arrays.stream(sizes).min().getAsInt())
          .as("fold sizes for seed %s", seed)
          .isLessThanOrEqualTo(1);
      if (seed < 3) {
        assertThat(observedFolds(dev, folds, seed)).isEqualTo(foldOf);
      }
    }
    // row 0..6 in fold f with probability (size of f) / 7: 3/7, 2/7, 2/7 (fold 0 gets the extra
    // row); 1500 draws give a standard error of about 0.013, so 0.05 is about 4 of them
    double[] expected = {3.0 / 7, 2.0 / 7, 2.0 / 7};
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < folds; f++) {
        assertThat((double) counts[i][f] / seeds)
            .as("row %s in fold %s", i, f)
            .isCloseTo(expected[f], org.assertj.core.api.Assertions.within(0.05));
      }
    }
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

  /**
   * Progress is told each candidate (numbered from 1, of all candidates including the appended
   * none) before its folds, and each fold numbered from 1 of k: the numbering the interface
   * documents.
   */
  @Test
  void progressNumbersCandidatesAndFoldsFromOne() {
    List<String> calls = new ArrayList<>();
    MethodSelection.Progress recording =
        new MethodSelection.Progress() {
          @Override
          public void candidate(String name, int index, int count) {
            calls.add("candidate " + name + " " + index + "/" + count);
          }

          @Override
          public void fold(String name, int fold, int folds) {
            calls.add("fold " + name + " " + fold + "/" + folds);
          }
        };
    MethodSelection.Candidate plain =
        new MethodSelection.Candidate("plain", data -> Calibrator.identity(AB));
    MethodSelection.crossValidate(rows(6), List.of(plain), 3, 7, recording);
    assertThat(calls)
        .containsExactly(
            "candidate plain 1/2",
            "fold plain 1/3",
            "fold plain 2/3",
            "fold plain 3/3",
            "candidate none 2/2",
            "fold none 1/3",
            "fold none 2/3",
            "fold none 3/3");
  }

  /**
   * The few-rows note starts below {@value MethodSelection#FEW_ROWS_PER_LABEL} rows of the rarest
   * label: 30 rows of each label (60 rows alternating gold) give no note, 29 of each do.
   */
  @Test
  void fewRowsNoteStartsBelowThirtyRowsOfALabel() {
    MethodSelection.Candidate plain =
        new MethodSelection.Candidate("plain", data -> Calibrator.identity(AB));
    assertThat(MethodSelection.crossValidate(rows(60), List.of(plain), 5, 1).note()).isEmpty();
    assertThat(MethodSelection.crossValidate(rows(58), List.of(plain), 5, 1).note())
        .startsWith("few rows: the rarest label has 29 dev rows (fewer than 30)");
  }

  /**
   * Vector scaling has 2K = 4 parameters for two labels. With 3 folds of 6 rows the training folds
   * hold 6 - 2 = 4 rows (as many as the parameters): fitted. With 5 rows they hold 5 - 2 = 3:
   * skipped, saying so (counts hand computed).
   */
  @Test
  void aMethodIsSkippedOnlyWhenItsParametersExceedTheTrainingRows() {
    MethodSelection.Candidate vector =
        new MethodSelection.Candidate("vector", data -> Calibrator.identity(AB));
    MethodSelection.Result fitted =
        resultOf(MethodSelection.crossValidate(rows(6), List.of(vector), 3, 1), "vector");
    assertThat(fitted.isSkipped()).isFalse();
    assertThat(fitted.succeeded()).isTrue();
    MethodSelection.Result skipped =
        resultOf(MethodSelection.crossValidate(rows(5), List.of(vector), 3, 1), "vector");
    assertThat(skipped.isSkipped()).isTrue();
    assertThat(skipped.failure())
        .contains("4 parameters for 2 labels, more than the 3 rows of the training folds");
  }

  private static MethodSelection.Result resultOf(MethodSelection.Report report, String name) {
    return report.ranked().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * On few rows a candidate is kept only if its NLL difference plus two standard errors is below 0:
   * -0.5 + 2 * 0.25 = 0 exactly (dyadic values, no rounding) is excluded, -0.5 + 2 * 0.2 = -0.1 is
   * kept; without few rows both are kept.
   */
  @Test
  void onFewRowsACandidateMustBeatNoneByTwoStandardErrors() {
    CalibrationMetrics m = io.calibra.metrics.Metrics.evaluate(rows(4));
    MethodSelection.Result atBoundary = MethodSelection.Result.succeeded("custom", m, -0.5, 0.25);
    MethodSelection.Result clear = MethodSelection.Result.succeeded("custom", m, -0.5, 0.2);
    assertThat(CrossValidation.exclude(atBoundary, 0, true).exclusion())
        .contains("few rows, and not better than none by 2 SE");
    assertThat(CrossValidation.exclude(clear, 0, true).eligible()).isTrue();
    assertThat(CrossValidation.exclude(atBoundary, 0, false).eligible()).isTrue();
  }

  /**
   * Select fits the candidate the ranking chose, found by name: a first candidate whose every fit
   * fails must not be fitted in place of the eligible second one (60 rows, so no few-rows rule).
   */
  @Test
  void selectFitsTheRankedCandidateByName() {
    Calibrator chosen = Calibrator.identity(AB);
    MethodSelection.Candidate failing =
        new MethodSelection.Candidate(
            "failing",
            data -> {
              throw new IllegalStateException("no fit");
            });
    MethodSelection.Candidate second = new MethodSelection.Candidate("second", data -> chosen);
    MethodSelection.Selection s = MethodSelection.select(rows(60), List.of(failing, second), 5, 1);
    assertThat(s.chosen()).isEqualTo("second");
    assertThat(s.calibrator()).isSameAs(chosen);
  }

  /**
   * When nothing is eligible, select fits the caller's own none candidate if it gave one (its
   * calibrator, not a fresh identity), else the identity.
   */
  @Test
  void selectFallsBackToTheGivenNoneCandidateElseTheIdentity() {
    MethodSelection.Candidate failing =
        new MethodSelection.Candidate(
            "failing",
            data -> {
              throw new IllegalStateException("no fit");
            });
    Calibrator own = Calibrator.identity(AB);
    MethodSelection.Candidate none = new MethodSelection.Candidate("none", data -> own);
    MethodSelection.Selection withOwn =
        MethodSelection.select(rows(6), List.of(failing, none), 3, 1);
    assertThat(withOwn.chosen()).isEqualTo("none");
    assertThat(withOwn.calibrator()).isSameAs(own);
    MethodSelection.Selection without = MethodSelection.select(rows(6), List.of(failing), 3, 1);
    assertThat(without.chosen()).isEqualTo("none");
    assertThat(without.calibrator()).isNotSameAs(own);
    assertThat(without.calibrator().apply(d(0.3))).isEqualTo(d(0.3));
  }
}
