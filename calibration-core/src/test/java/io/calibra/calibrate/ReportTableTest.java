package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ReportTable}: which lines the table has for a report's note, near-zero counts and
 * refusals. The expected texts are the formats the table documents, filled in by hand.
 */
class ReportTableTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static final CalibrationMetrics METRICS =
      Metrics.evaluate(
          LabelledSet.of(
              List.of(
                  LabelDistribution.ofProbabilities(AB, 0.75, 0.25),
                  LabelDistribution.ofProbabilities(AB, 0.25, 0.75)),
              new int[] {0, 1}));

  private static String lineOf(String table, String name) {
    return table
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + name + " in\n" + table));
  }

  /** A note gets its own line; an empty note none. */
  @Test
  void aNoteGetsALineAndAnEmptyNoteNone() {
    MethodSelection.Result r = MethodSelection.Result.succeeded("plain", METRICS);
    String with = new MethodSelection.Report(List.of(r), 5, 40, "be careful").table();
    String without = new MethodSelection.Report(List.of(r), 5, 40, "").table();
    assertThat(with.lines()).contains("note: be careful");
    assertThat(without).doesNotContain("note:");
    assertThat(without.lines().findFirst()).contains("5-fold cross-validation on 40 rows");
  }

  /**
   * A candidate with no near-zero gold probabilities has no mark; one with a single such row says
   * "on 1 row" (singular), one with two "on 2 rows".
   */
  @Test
  void nearZeroGoldIsMarkedOnlyWhenThereIsSome() {
    MethodSelection.Result clean = MethodSelection.Result.succeeded("clean", METRICS);
    MethodSelection.Result one =
        MethodSelection.Result.succeeded("one", METRICS).withNearZeroGold(1);
    MethodSelection.Result two =
        MethodSelection.Result.succeeded("two", METRICS).withNearZeroGold(2);
    String table = new MethodSelection.Report(List.of(clean, one, two), 3, 10, "").table();
    assertThat(lineOf(table, "clean")).doesNotContain("p_gold");
    assertThat(lineOf(table, "one")).endsWith("  p_gold < 1.0E-6 on 1 row");
    assertThat(lineOf(table, "two")).endsWith("  p_gold < 1.0E-6 on 2 rows");
  }

  /**
   * The remedy for a fit that does not exist is cut from each failed line and said once below the
   * table, and only when some failure ends with it.
   */
  @Test
  void theNoFitRemedyIsSaidOnceAndOnlyWhenAFailureEndsWithIt() {
    MethodSelection.Result plain = MethodSelection.Result.succeeded("plain", METRICS);
    MethodSelection.Result noFit =
        MethodSelection.Result.failed(
            "nofit", "fold 1 of 3: the rows are separable; " + NoFitException.REMEDY);
    MethodSelection.Result other =
        MethodSelection.Result.failed("other", "fold 2 of 3: something else");
    String withRemedy = new MethodSelection.Report(List.of(plain, noFit), 3, 10, "").table();
    assertThat(lineOf(withRemedy, "nofit")).endsWith("failed: fold 1 of 3: the rows are separable");
    assertThat(withRemedy.lines()).contains("where a fit does not exist: " + NoFitException.REMEDY);
    String withoutRemedy = new MethodSelection.Report(List.of(plain, other), 3, 10, "").table();
    assertThat(lineOf(withoutRemedy, "other")).endsWith("failed: fold 2 of 3: something else");
    assertThat(withoutRemedy).doesNotContain("where a fit does not exist");
  }
}
