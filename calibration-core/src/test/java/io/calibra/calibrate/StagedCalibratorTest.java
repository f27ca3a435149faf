package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link StagedCalibrator}, the pipeline: every stage applied in order, and its value methods.
 * Expected values are hand computed.
 */
class StagedCalibratorTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  @Test
  void pipelineAppliesEveryStageInOrderAndIsAValue() {
    Calibrator batch = BatchCalibration.fromBias(AB, new double[] {0.25, 0.75});
    Calibrator temperature = TemperatureScaling.of(AB, 2.0);
    Calibrator pipe = batch.andThen(temperature);
    LabelDistribution p = d(AB, 0.5, 0.5);
    // batch: (.75, .25); temperature 2: softmax(log(.75)/2, log(.25)/2) = (sqrt .75, sqrt .25)
    // normalised = (.8660254, .5) / 1.3660254 (hand computed)
    double s = Math.sqrt(0.75) + 0.5;
    assertThat(pipe.apply(p).toArray())
        .containsExactly(new double[] {Math.sqrt(0.75) / s, 0.5 / s}, within(1e-15));
    double[] out = new double[2];
    pipe.applyInto(new double[] {0.5, 0.5}, 0, out, 0);
    assertThat(out).containsExactly(new double[] {Math.sqrt(0.75) / s, 0.5 / s}, within(1e-15));

    Calibrator same =
        BatchCalibration.fromBias(AB, new double[] {0.25, 0.75})
            .andThen(TemperatureScaling.of(AB, 2.0));
    Calibrator other = batch.andThen(TemperatureScaling.of(AB, 3.0));
    assertThat(pipe).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
    assertThat(pipe).isNotEqualTo(batch);
    assertThat(pipe.hashCode()).isEqualTo(List.of(batch, temperature).hashCode());
    assertThat(pipe.toString()).isEqualTo("Pipeline" + List.of(batch, temperature));
    assertThat(pipe.parameters()).isEmpty();
    Map<String, double[]> params = pipe.parameters();
    params.put("x", new double[] {1});
    assertThat(pipe.parameters()).isEmpty();
  }

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }
}
