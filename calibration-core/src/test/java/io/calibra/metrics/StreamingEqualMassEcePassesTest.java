package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamingEqualMassEce} run pass by pass: hand-computed values on small rows, and every
 * call refused outside its pass.
 */
class StreamingEqualMassEcePassesTest {
  /** Runs the three passes over {@code confidence} with one part each. */
  private static double streaming(int bins, double[] confidence, boolean[] correct) {
    StreamingEqualMassEce ece = new StreamingEqualMassEce(bins);
    for (double c : confidence) {
      ece.count(c);
    }
    ece.endCountPass();
    for (double c : confidence) {
      ece.observe(c);
    }
    ece.endObservePass();
    for (int i = 0; i < confidence.length; i++) {
      ece.assign(confidence[i], correct[i]);
    }
    return ece.ece();
  }

  @Test
  void streamingEqualMassEceOnDistinctValuesAndMoreGroupsThanRows() {
    double[] c = {0.1, 0.2, 0.3, 0.4};
    boolean[] y = {true, false, true, false};
    // groups {0.1, 0.2} (accuracy 1/2, confidence 0.15) and {0.3, 0.4} (1/2, 0.35), hand computed
    assertThat(streaming(2, c, y)).isCloseTo((2 * 0.35 + 2 * 0.15) / 4, within(1e-15));
    // 0 and 1 are valid confidences; five groups over three rows leave two empty: groups {0}
    // (right),
    // {0.5} (right), {1} (wrong): (|1 - 0| + |1 - 0.5| + |0 - 1|) / 3
    assertThat(streaming(5, new double[] {0.0, 1.0, 0.5}, new boolean[] {true, false, true}))
        .isCloseTo(2.5 / 3, within(1e-15));
  }

  @Test
  void streamingEqualMassEceCutsAtTheRankWhenBucketsEndThere() {
    // each value alone in its bucket, the cut at rank 2 falls on the first row of a bucket: groups
    // {0.1, 0.2} (both right, confidence 0.15) and {0.3, 0.4} (both wrong, 0.35), hand computed
    double[] c = {0.1, 0.2, 0.3, 0.4};
    assertThat(streaming(2, c, new boolean[] {true, true, false, false}))
        .isCloseTo((2 * 0.85 + 2 * 0.35) / 4, within(1e-15));
  }

  @Test
  void negativeZeroIsTheSameConfidenceAsZeroAndTiesCountWithTheirMeanCorrectness() {
    // rows 0.0, -0.0, 0.0, 0.5 in two groups of two: the three zeros tie, whatever the sign of
    // zero, and each counts with their mean correctness; the cut takes two of them (hand computed)
    double[] c = {0.0, -0.0, 0.0, 0.5};
    // zeros 2/3 correct: lower 2 * |2/3 - 0|; upper {zero, wrong at 0.5}: 2 * |1/3 - 1/4|
    assertThat(streaming(2, c, new boolean[] {true, true, false, false}))
        .isCloseTo((4.0 / 3 + 1.0 / 6) / 4, within(1e-15));
    // zeros 1/3 correct: lower 2 * |1/3 - 0|; upper {zero, wrong at 0.5}: 2 * |1/6 - 1/4|
    assertThat(streaming(2, c, new boolean[] {false, false, true, false}))
        .isCloseTo((2.0 / 3 + 1.0 / 6) / 4, within(1e-15));
    // the same rows in another order give the same values
    assertThat(
            streaming(
                2, new double[] {0.5, 0.0, -0.0, 0.0}, new boolean[] {false, true, false, false}))
        .isCloseTo((2.0 / 3 + 1.0 / 6) / 4, within(1e-15));
  }

  @Test
  void streamingEqualMassEcePartsRefuseAPassThatHasNotBegun() {
    StreamingEqualMassEce counting = new StreamingEqualMassEce(2);
    StreamingEqualMassEce other = new StreamingEqualMassEce(2);
    other.count(0.25);
    other.count(0.75);
    other.endCountPass();
    StreamingEqualMassEce observingPart = other.partForObservePass();
    assertThatThrownBy(() -> counting.endObservePass(List.of(observingPart)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the COUNT pass; expected the OBSERVE pass");
    assertThatThrownBy(() -> other.partForAssignPass(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the ASSIGN pass");

    StreamingEqualMassEce done = new StreamingEqualMassEce(2);
    done.count(0.25);
    done.count(0.75);
    done.endCountPass();
    StreamingEqualMassEce part = done.partForObservePass();
    part.observe(0.25);
    part.observe(0.75);
    done.endObservePass(List.of(part));
    StreamingEqualMassEce assigningPart = done.partForAssignPass(0);
    assertThatThrownBy(() -> other.mergeAssigned(assigningPart))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the ASSIGN pass");
  }

  @Test
  void streamingEqualMassEceRefusesCallsOutOfTheirPass() {
    StreamingEqualMassEce ece = new StreamingEqualMassEce(2);
    assertThatThrownBy(() -> ece.count(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence is NaN; expected a value in [0, 1]");
    assertThatThrownBy(() -> ece.observe(0.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the COUNT pass; expected the OBSERVE pass");
    assertThatThrownBy(ece::endObservePass).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.endObservePass(List.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ece::partForObservePass).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.assign(0.5, true)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ece::ece).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.mergeCounts(new StreamingEqualMassEce(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot combine equal-mass ECE parts with 2 and 3 groups");
    ece.count(0.25);
    ece.count(0.75);
    ece.endCountPass();

    assertThatThrownBy(() -> ece.count(0.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the COUNT pass");
    assertThatThrownBy(ece::endCountPass).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.observe(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence is 1.5; expected a value in [0, 1]");
    assertThatThrownBy(() -> ece.mergeCounts(new StreamingEqualMassEce(2)))
        .isInstanceOf(IllegalStateException.class);
    StreamingEqualMassEce counting = new StreamingEqualMassEce(2);
    assertThatThrownBy(() -> ece.endObservePass(List.of(counting)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the COUNT pass; expected the OBSERVE pass");
    StreamingEqualMassEce otherBins = new StreamingEqualMassEce(3);
    otherBins.count(0.5);
    otherBins.endCountPass();
    assertThatThrownBy(() -> ece.endObservePass(List.of(otherBins.partForObservePass())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot combine equal-mass ECE parts with 2 and 3 groups");
    StreamingEqualMassEce observing = ece.partForObservePass();
    assertThatThrownBy(() -> counting.mergeCounts(observing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the COUNT pass");
    assertThatThrownBy(() -> ece.partForAssignPass(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.mergeAssigned(observing))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ece.assign(0.25, true)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ece::ece).isInstanceOf(IllegalStateException.class);

    observing.observe(0.25);
    observing.observe(0.75);
    ece.endObservePass(List.of(observing));
    StreamingEqualMassEce assigning = ece.partForAssignPass(0);
    assertThatThrownBy(() -> assigning.mergeAssigned(observing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("called in the OBSERVE pass; expected the ASSIGN pass");
    StreamingEqualMassEce threeGroups = threeGroupsAssigning();
    assertThatThrownBy(() -> ece.mergeAssigned(threeGroups))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot combine equal-mass ECE parts with 2 and 3 groups");
    assigning.assign(0.25, true);
    assigning.assign(0.75, false);
    ece.mergeAssigned(assigning);
    // groups {0.25} and {0.75}: (|1 - 0.25| + |0 - 0.75|) / 2, hand computed
    assertThat(ece.ece()).isEqualTo(0.75);
  }

  private static StreamingEqualMassEce threeGroupsAssigning() {
    StreamingEqualMassEce three = new StreamingEqualMassEce(3);
    three.count(0.5);
    three.endCountPass();
    StreamingEqualMassEce part = three.partForObservePass();
    part.observe(0.5);
    three.endObservePass(List.of(part));
    return three;
  }
}
