package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ScalingBinning}'s checks of widths, edges and bin counts. Expected values are hand
 * computed unless stated.
 */
class ScalingBinningTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void scalingBinningAcceptsTheMostBins() {
    LabelledSet data = TwoLabelRows.overlapping();
    Calibrator c = ScalingBinning.fit(data, HistogramBinning.MAX_BINS);
    // 8 rows: at most 8 equal-mass bins per label whatever the requested count
    assertThat(((Calibrator.ScalingBinning) c).edges(0).length).isLessThanOrEqualTo(8);
  }

  @Test
  void scalingBinningChecksWidthsAndEdges() {
    double[][] edges = {{0.5, 1.0}, {0.5, 1.0}};
    double[][] values = {{0.2, 0.8}, {0.2, 0.8}};
    double[][] three = {{0.5, 1.0}, {0.5, 1.0}, {0.5, 1.0}};
    assertThatThrownBy(() -> ScalingBinning.of(AB, 1.0, three, values))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaling-binning has edges for 3 labels; expected 2");
    assertThatThrownBy(() -> ScalingBinning.of(AB, 1.0, edges, three))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaling-binning has values for 3 labels; expected 2");
    // a first edge of exactly 0 is in [0, 1]
    Calibrator zeroEdge =
        ScalingBinning.of(AB, 1.0, new double[][] {{0.0, 1.0}, {0.0, 1.0}}, values);
    assertThat(zeroEdge.kind()).isEqualTo(CalibrationMethod.SCALING_BINNING);
    // equal edges are not strictly increasing
    assertThatThrownBy(
            () ->
                ScalingBinning.of(
                    AB,
                    1.0,
                    new double[][] {{0.5, 0.5, 1.0}, {0.2, 0.5, 1.0}},
                    new double[][] {{0.1, 0.2, 0.8}, {0.1, 0.2, 0.8}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaling-binning label 'a' edge 1 is 0.5")
        .hasMessageContaining("expected strictly increasing edges in [0, 1]");
    // one bin is the smallest count
    LabelledSet data =
        LabelledSet.of(
            List.of(d(AB, 0.8, 0.2), d(AB, 0.3, 0.7), d(AB, 0.6, 0.4), d(AB, 0.1, 0.9)),
            new int[] {0, 1, 1, 1}); // the third row wrong: the temperature step has a fit
    assertThat(ScalingBinning.fit(data, 1).kind()).isEqualTo(CalibrationMethod.SCALING_BINNING);
    assertThatThrownBy(() -> ScalingBinning.fit(data, 0))
        .hasMessageContaining("scaling-binning bins is 0; expected a value in [1, 1000000]");
    assertThatThrownBy(() -> ScalingBinning.fit(data, HistogramBinning.MAX_BINS + 1))
        .hasMessageContaining("scaling-binning bins is 1000001; expected a value in [1, 1000000]");
  }

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }
}
