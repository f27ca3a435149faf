package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link AffineFit}'s monitoring: what {@link FitControl.Monitor} is told, checked against its
 * documented contract (every iteration of a stage, L-BFGS then Newton steps, numbered from 1 and
 * counted by the {@link ScalingFit} the fit returns).
 */
class AffineFitTest {
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  /** Every call a monitor received: stage, iteration. */
  private static final class Recording implements FitControl.Monitor {
    final List<String> stages = new ArrayList<>();
    final List<Integer> iterations = new ArrayList<>();

    @Override
    public void iteration(String stage, int iteration, double objective) {
      stages.add(stage);
      iterations.add(iteration);
    }
  }

  private static List<Integer> oneTo(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }

  /**
   * A polished vector-scaling fit tells the monitor of each L-BFGS iteration and then each Newton
   * step, numbered 1, 2, ... up to the iterations plus Newton steps the fit reports.
   */
  @Test
  void theMonitorHearsEveryLbfgsIterationThenEveryNewtonStepInOrder() {
    FitData data = FitData.of(ScalingFitTest.noisy(3, 200), "test");
    Recording monitor = new Recording();
    ScalingFit fit = AffineFit.fit(data, ABC, true, 0.0, AffineFit.MAX_ITERATIONS, true, monitor);
    assertThat(fit.iterations()).isPositive();
    assertThat(fit.newtonSteps()).isPositive();
    assertThat(monitor.iterations).isEqualTo(oneTo(fit.iterations() + fit.newtonSteps()));
    assertThat(monitor.stages).containsOnly("vector scaling");
  }

  /**
   * A Dirichlet fit with no stage name reports the stage as plain "dirichlet"; with one, as
   * "dirichlet " followed by it.
   */
  @Test
  void aDirichletStageIsNamedAfterTheGivenStage() {
    FitData data = FitData.of(ScalingFitTest.noisy(3, 200), "test");
    Recording plain = new Recording();
    ScalingFit fit =
        AffineFit.fitOdir(data, ABC, 0.1, 0.1, AffineFit.MAX_ITERATIONS, true, plain, "");
    assertThat(plain.stages).isNotEmpty().containsOnly("dirichlet");
    assertThat(plain.iterations).isEqualTo(oneTo(fit.iterations() + fit.newtonSteps()));
    Recording named = new Recording();
    AffineFit.fitOdir(data, ABC, 0.1, 0.1, 3, false, named, "fold 1 of 2");
    assertThat(named.stages).isNotEmpty().containsOnly("dirichlet fold 1 of 2");
  }

  /**
   * Separation needs the gold label strictly on top in every row: under the identity map (unit
   * weights, zero biases) a row (0.5, 0.5) ties its gold with the other label, so three rows of
   * which one ties are not separated, while two rows with gold strictly on top are (refused, as the
   * method documents).
   */
  @Test
  void aTiedGoldScoreIsNotOnTop() {
    LabelSet ab = LabelSet.of("a", "b");
    AffineScaling identity =
        new AffineScaling(
            CalibrationMethod.VECTOR, ab, true, new double[] {1, 1}, new double[] {0, 0});
    ScalingFit fit = new ScalingFit(identity, true, 0, 0, 1.0, 0.0);
    io.calibra.label.LabelledSet tied =
        io.calibra.label.LabelledSet.of(
            List.of(
                io.calibra.label.LabelDistribution.ofProbabilities(ab, 0.75, 0.25),
                io.calibra.label.LabelDistribution.ofProbabilities(ab, 0.25, 0.75),
                io.calibra.label.LabelDistribution.ofProbabilities(ab, 0.5, 0.5)),
            new int[] {0, 1, 0});
    assertThat(AffineFit.requireNotSeparating(FitData.of(tied, "test"), true, "vector", fit))
        .isSameAs(fit);
    io.calibra.label.LabelledSet strict =
        io.calibra.label.LabelledSet.of(
            List.of(
                io.calibra.label.LabelDistribution.ofProbabilities(ab, 0.75, 0.25),
                io.calibra.label.LabelDistribution.ofProbabilities(ab, 0.25, 0.75)),
            new int[] {0, 1});
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AffineFit.requireNotSeparating(FitData.of(strict, "test"), true, "vector", fit))
        .isInstanceOf(NoFitException.class)
        .hasMessageContaining("strictly on top in all 2 labelled rows");
  }
}
