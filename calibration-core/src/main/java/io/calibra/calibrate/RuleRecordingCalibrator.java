package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import java.util.Objects;

/**
 * A calibrator that records the p_cf rule its bias was estimated with ({@link
 * ContextualCalibration.Rule}), so that saving, equality and {@code toString} keep it; the rule is
 * null where none applies (batch, leave-one-out and generative calibration).
 */
abstract class RuleRecordingCalibrator extends AbstractCalibrator {
  private final ContextualCalibration.Rule rule;

  RuleRecordingCalibrator(LabelSet labels, ContextualCalibration.Rule rule) {
    super(labels);
    this.rule = rule;
  }

  /** The p_cf rule the bias was estimated with, or null. */
  final ContextualCalibration.Rule rule() {
    return rule;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && ((RuleRecordingCalibrator) o).rule == rule;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), rule);
  }

  @Override
  public String toString() {
    String s = super.toString();
    return rule == null ? s : s.substring(0, s.length() - 1) + ", pcf=" + rule.id() + "}";
  }
}
