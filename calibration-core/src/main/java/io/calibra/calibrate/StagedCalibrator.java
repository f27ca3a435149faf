package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Calibrators applied one after another; nested pipelines are flattened. */
final class StagedCalibrator extends AbstractCalibrator implements Calibrator.Pipeline {

  /** A pipeline's fitting: of calibrators fitted each by its own method. */
  static final MethodFit.Stages FIT = new MethodFit.Stages(CalibrationMethod.PIPELINE);

  private final List<Calibrator> stages;

  private StagedCalibrator(LabelSet labels, List<Calibrator> stages) {
    super(labels);
    this.stages = List.copyOf(stages);
  }

  static StagedCalibrator of(List<Calibrator> calibrators) {
    if (calibrators.isEmpty()) {
      throw new IllegalArgumentException("a pipeline needs at least one calibrator; found none");
    }
    List<Calibrator> flat = new ArrayList<>();
    for (Calibrator c : calibrators) {
      flat.addAll(c.stages());
    }
    LabelSet labels = flat.get(0).labels();
    for (int i = 1; i < flat.size(); i++) {
      labels.requireSame(
          flat.get(i).labels(), "pipeline stage " + i + " (" + flat.get(i).kind() + ")");
    }
    return new StagedCalibrator(labels, flat);
  }

  @Override
  void transform(double[] in, int inOffset, double[] out, int outOffset) {
    stages.get(0).applyInto(in, inOffset, out, outOffset);
    for (int i = 1; i < stages.size(); i++) {
      stages.get(i).applyInto(out, outOffset, out, outOffset);
    }
  }

  @Override
  public CalibrationMethod kind() {
    return CalibrationMethod.PIPELINE;
  }

  @Override
  Map<String, double[]> parameterMap() {
    return new java.util.LinkedHashMap<>();
  }

  @Override
  public List<Calibrator> stages() {
    return stages;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StagedCalibrator other && stages.equals(other.stages);
  }

  @Override
  public int hashCode() {
    return stages.hashCode();
  }

  @Override
  public String toString() {
    return "Pipeline" + stages;
  }
}
