package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MethodFit}: each variant dispatches to its own case and describes the data it is fitted
 * on, as the variants' documentation names it.
 */
class MethodFitTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  /** Names the case a fitting dispatched to. */
  private static final MethodFit.Cases<String> KIND =
      new MethodFit.Cases<>() {
        @Override
        public String fixed(MethodFit.Fixed fit) {
          return "fitted on nothing";
        }

        @Override
        public String labelledRows(MethodFit.LabelledRows fit) {
          return "fitted on labelled rows";
        }

        @Override
        public String contentFreeRows(MethodFit.ContentFreeRows fit) {
          return "fitted on content-free rows";
        }

        @Override
        public String unlabelledRows(MethodFit.UnlabelledRows fit) {
          return "fitted on unlabelled rows";
        }

        @Override
        public String demonstrations(MethodFit.Demonstrations fit) {
          return "fitted on the demonstrations, leave-one-out";
        }

        @Override
        public String sampledInputs(MethodFit.SampledInputs fit) {
          return "fitted on sampled inputs";
        }

        @Override
        public String stages(MethodFit.Stages fit) {
          return "made of other calibrators";
        }
      };

  /**
   * Every method's fitting dispatches to the case of its kind and its description is the method's
   * name followed by that kind in brackets.
   */
  @Test
  void eachFittingDescribesTheDataItIsFittedOn() {
    for (CalibrationMethod m : CalibrationMethod.values()) {
      String kind = m.fitting().accept(KIND);
      assertThat(m.fitting().toString()).isEqualTo(m.methodName() + " (" + kind + ")");
    }
    assertThat(CalibrationMethod.IDENTITY.fitting().accept(KIND)).isEqualTo("fitted on nothing");
    assertThat(CalibrationMethod.PIPELINE.fitting().accept(KIND))
        .isEqualTo("made of other calibrators");
    assertThat(CalibrationMethod.LEAVE_ONE_OUT.fitting().accept(KIND))
        .isEqualTo("fitted on the demonstrations, leave-one-out");
    assertThat(CalibrationMethod.GENERATIVE.fitting().accept(KIND))
        .isEqualTo("fitted on sampled inputs");
    assertThat(CalibrationMethod.BATCH.fitting().accept(KIND))
        .isEqualTo("fitted on unlabelled rows");
    assertThat(CalibrationMethod.CONTEXTUAL.fitting().accept(KIND))
        .isEqualTo("fitted on content-free rows");
  }

  /**
   * Contextual calibration fitted on one content-free row of log-probabilities log 0.3, log 0.1
   * with the raw-mass rule has p_cf = (0.75, 0.25); it maps (0.5, 0.5) to normalise(0.5 / 0.75, 0.5
   * / 0.25) = (0.25, 0.75) (hand computed, Zhao et al. 2021).
   */
  @Test
  void contextualFitsOnContentFreeScores() {
    MethodFit.ContentFreeRows fit =
        (MethodFit.ContentFreeRows) CalibrationMethod.CONTEXTUAL.fitting();
    LabelScores cf = LabelScores.of(AB, ScoreKind.LOG_PROBABILITY, Math.log(0.3), Math.log(0.1));
    Calibrator c = fit.fitScores(List.of(cf), ContextualCalibration.Rule.RAW_MASS);
    LabelDistribution out = c.apply(LabelDistribution.ofProbabilities(AB, 0.5, 0.5));
    assertThat(out.probability(0)).isCloseTo(0.25, within(1e-12));
    assertThat(out.probability(1)).isCloseTo(0.75, within(1e-12));
  }
}
