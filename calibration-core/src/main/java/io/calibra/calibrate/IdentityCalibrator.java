package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Calibrator#identity}: validates each row and copies it unchanged. */
final class IdentityCalibrator extends AbstractCalibrator implements Calibrator.Identity {

  /** The identity's fitting: on nothing but the labels. */
  static final MethodFit.Fixed FIT =
      new MethodFit.Fixed(CalibrationMethod.IDENTITY, Calibrator::identity);

  /** Its saved stage: no parameters. */
  static final StageFormat FORMAT = new StageFormat((labels, p) -> Calibrator.identity(labels));

  IdentityCalibrator(LabelSet labels) {
    super(labels);
  }

  @Override
  void transform(double[] in, int inOffset, double[] out, int outOffset) {
    if (in != out || inOffset != outOffset) {
      System.arraycopy(in, inOffset, out, outOffset, k);
    }
  }

  /** Returns {@code distribution} itself: it is already valid, and no renormalising changes it. */
  @Override
  public LabelDistribution apply(LabelDistribution distribution) {
    labels.requireSame(distribution.labels(), "identity calibration input");
    return distribution;
  }

  @Override
  public CalibrationMethod kind() {
    return CalibrationMethod.IDENTITY;
  }

  @Override
  Map<String, double[]> parameterMap() {
    return new LinkedHashMap<>();
  }
}
