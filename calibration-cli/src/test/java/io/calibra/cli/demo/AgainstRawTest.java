package io.calibra.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.LabelBias;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The demo's comparison of a method with the raw scores, in words. */
class AgainstRawTest {
  /** Metrics with the given accuracy, ECE and NLL (the rest is not read). */
  static CalibrationMetrics metrics(double accuracy, double ece, double nll) {
    return new CalibrationMetrics(
        1821,
        accuracy,
        accuracy,
        ece,
        OptionalDouble.empty(),
        ece,
        ece,
        0.3,
        nll,
        List.of(900L, 921L),
        List.of(),
        new LabelBias(List.of(0.5, 0.5), 0, 0));
  }

  @Test
  void theChangeIsWrittenInPointsAndThreeDecimalsWhateverTheLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      // the SST-2 zero-shot figures of the demo (raw, contextual); the words hand computed
      CalibrationMetrics raw = metrics(0.7046, 0.0255, 0.5557);
      CalibrationMetrics contextual = metrics(0.7408, 0.0372, 0.5295);
      assertThat(AgainstRaw.change(raw, contextual))
          .isEqualTo(
              "+3.6 points of accuracy (0.705 -> 0.741), ECE 0.026 -> 0.037, NLL 0.556 -> 0.530");
      assertThat(AgainstRaw.worse(raw, contextual, 0)).containsExactly("ECE 0.026 -> 0.037");
      assertThat(AgainstRaw.change(raw, metrics(0.7049, 0.0255, 0.5557)))
          .startsWith("accuracy unchanged (0.705), ");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void worseListsEveryMetricThatGotWorseAndNearZeroGoldRows() {
    // the AG News label-words figures of the demo (raw, contextual)
    CalibrationMetrics raw = metrics(0.6510, 0.0507, 0.9071);
    CalibrationMetrics contextual = metrics(0.5490, 0.1434, 1.1583);
    assertThat(AgainstRaw.worse(raw, contextual, 3))
        .containsExactly(
            "-10.2 points of accuracy",
            "ECE 0.051 -> 0.143",
            "NLL 0.907 -> 1.158",
            "gold label's probability below 1e-6 on 3 of 1821 rows");
    assertThat(AgainstRaw.worse(raw, metrics(0.6700, 0.0400, 0.8000), 0)).isEmpty();
  }

  @Test
  void aChangeTooSmallToShowOrAnEceRiseWithinItsNoiseIsNotWorse() {
    CalibrationMetrics raw = metrics(0.7046, 0.02550, 0.55570);
    // lower accuracy by 0.04 points, ECE and NLL up in the fourth decimal: all round to the same
    assertThat(AgainstRaw.worse(raw, metrics(0.7042, 0.02560, 0.55590), 0)).isEmpty();
    // ECE up by less than 0.01 (0.026 -> 0.034, the demo's auto on SST-2): within its noise
    assertThat(AgainstRaw.worse(raw, metrics(0.7326, 0.0337, 0.5305), 0)).isEmpty();
    // up by exactly 0.01 as written (0.026 -> 0.036): worse
    assertThat(AgainstRaw.worse(raw, metrics(0.7326, 0.0355, 0.5305), 0))
        .containsExactly("ECE 0.026 -> 0.036");
    // accuracy down 0.9 points: within its noise; down 1.0 point (0.9 plus 0.06 rounded): worse
    assertThat(AgainstRaw.worse(raw, metrics(0.6956, 0.0255, 0.5557), 0)).isEmpty();
    assertThat(AgainstRaw.worse(raw, metrics(0.6950, 0.0255, 0.5557), 0))
        .containsExactly("-1.0 points of accuracy");
  }

  @Test
  void nearZeroGoldCountsRowsBelowOneInAMillionAndNaN() {
    LabelSet labels = LabelSet.of("a", "b");
    LabelledSet data =
        LabelledSet.of(
            List.of(
                LabelDistribution.ofProbabilities(labels, 1 - 1e-7, 1e-7), // gold b: near zero
                LabelDistribution.ofProbabilities(labels, 1 - 2e-6, 2e-6), // gold b: above
                LabelDistribution.ofProbabilities(labels, 1.0, 0.0), // gold b: zero
                LabelDistribution.ofProbabilities(labels, 0.0, 1.0)), // gold a: zero
            new int[] {1, 1, 1, 0});
    assertThat(AgainstRaw.nearZeroGold(data)).isEqualTo(3);
  }
}
