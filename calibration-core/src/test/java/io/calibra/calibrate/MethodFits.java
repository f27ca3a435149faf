package io.calibra.calibrate;

import io.calibra.label.LabelledSet;

/** Fits a registered method on test rows through the registry's typed dispatch. */
final class MethodFits {
  private MethodFits() {}

  /** {@code method}'s fit on labelled rows; a test error if it is fitted otherwise. */
  static MethodFit.LabelledRows labelled(CalibrationMethod method) {
    return method
        .fitting(MethodFit.LabelledRows.class)
        .orElseThrow(() -> new AssertionError(method + " is not fitted on labelled rows"));
  }

  /**
   * {@code method} fitted on what it needs, taken from {@code data}: the labelled rows themselves,
   * or (content-free, unlabelled, sampled-input rows) the first 20 rows without their labels.
   */
  static Calibrator fitOn(CalibrationMethod method, LabelledSet data) {
    var rows = data.distributions().subList(0, Math.min(20, data.size()));
    return method
        .fitting()
        .accept(
            new MethodFit.Cases<Calibrator>() {
              @Override
              public Calibrator fixed(MethodFit.Fixed fit) {
                return fit.fit(data.labels());
              }

              @Override
              public Calibrator labelledRows(MethodFit.LabelledRows fit) {
                return fit.fit(data);
              }

              @Override
              public Calibrator contentFreeRows(MethodFit.ContentFreeRows fit) {
                return fit.fit(rows);
              }

              @Override
              public Calibrator unlabelledRows(MethodFit.UnlabelledRows fit) {
                return fit.fit(rows);
              }

              @Override
              public Calibrator demonstrations(MethodFit.Demonstrations fit) {
                return fit.fit(data);
              }

              @Override
              public Calibrator sampledInputs(MethodFit.SampledInputs fit) {
                return fit.fit(rows);
              }

              @Override
              public Calibrator stages(MethodFit.Stages fit) {
                throw new AssertionError("a pipeline is not fitted on rows");
              }
            });
  }
}
