package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import java.util.Map;
import java.util.Optional;

/**
 * The saved parameters of one stage while it is rebuilt: looks each array up by name and says which
 * stage and which parameter is missing or has the wrong length.
 */
final class StageParameters {
  private final CalibrationMethod method;
  private final Map<String, double[]> values;
  private final ContextualCalibration.Rule rule;

  StageParameters(
      CalibrationMethod method, Map<String, double[]> values, ContextualCalibration.Rule rule) {
    this.method = method;
    this.values = values;
    this.rule = rule;
  }

  /** The p_cf rule the stage records ({@link ContextualCalibration.Rule#NORMALISED} if none). */
  ContextualCalibration.Rule rule() {
    return rule;
  }

  /** The array named {@code parameter}, which must be there. */
  double[] required(String parameter) {
    double[] v = values.get(parameter);
    if (v == null) {
      throw new IllegalArgumentException("stage '" + method + "' has no '" + parameter + "' array");
    }
    return v;
  }

  /** The array named {@code parameter}, if there. */
  Optional<double[]> optional(String parameter) {
    return Optional.ofNullable(values.get(parameter));
  }

  /** The one value of {@code parameter}, which must be there. */
  double single(String parameter) {
    return single(parameter, "values of '" + parameter + "'");
  }

  /** The one value of {@code parameter}; {@code what} names its values in the message. */
  double single(String parameter, String what) {
    double[] v = required(parameter);
    if (v.length != 1) {
      throw new IllegalArgumentException(
          "stage '" + method + "' has " + v.length + " " + what + "; expected 1");
    }
    return v[0];
  }

  /** The per-label arrays of {@code parameter}, split by the stage's {@code counts}. */
  double[][] perLabel(LabelSet labels, String parameter) {
    return Classwise.split(
        labels, required("counts"), required(parameter), method.methodName(), parameter);
  }
}
