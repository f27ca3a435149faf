package io.calibra.testkit;

import io.calibra.calibrate.Calibrator;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link Calibrator}. */
public final class CalibratorAssert extends AbstractAssert<CalibratorAssert, Calibrator> {

  CalibratorAssert(Calibrator actual) {
    super(actual, CalibratorAssert.class);
  }

  /**
   * The calibrator maps {@code contentFree} (for example the model's distribution on "N/A") to the
   * uniform distribution within {@code tolerance}: the promise of contextual calibration.
   */
  public CalibratorAssert mapsToUniform(LabelDistribution contentFree, double tolerance) {
    isNotNull();
    LabelDistribution q = actual.apply(contentFree);
    for (int k = 0; k < q.size(); k++) {
      if (!(Math.abs(q.probability(k) - 1.0 / q.size()) <= tolerance)) {
        failWithMessage(
            "expected %s to map %s to uniform within %s but got %s",
            actual.kind(), contentFree, tolerance, q);
      }
    }
    return this;
  }

  /** Every output on {@code inputs} is a valid distribution (finite, in [0, 1], summing to one). */
  public CalibratorAssert outputsValidDistributions(List<LabelDistribution> inputs) {
    isNotNull();
    for (int i = 0; i < inputs.size(); i++) {
      double[] q = actual.apply(inputs.get(i)).toArray();
      double sum = 0;
      for (double v : q) {
        if (!(v >= 0 && v <= 1)) {
          failWithMessage(
              "output %d of %s holds %s; expected values in [0, 1]", i, actual.kind(), v);
        }
        sum += v;
      }
      if (!(Math.abs(sum - 1) <= 1e-9)) {
        failWithMessage("output %d of %s sums to %s; expected 1", i, actual.kind(), sum);
      }
    }
    return this;
  }

  /** The mean NLL of {@code data} after calibration is lower than before. */
  public CalibratorAssert lowersNllOn(LabelledSet data) {
    isNotNull();
    double before = nll(data.distributions(), data);
    double after = nll(actual.applyAll(data.distributions()), data);
    if (!(after < before)) {
      failWithMessage(
          "expected %s to lower the NLL of %d rows, but it went from %s to %s",
          actual.kind(), data.size(), before, after);
    }
    return this;
  }

  /** Calibration keeps every input's predicted label (true of temperature scaling, for example). */
  public CalibratorAssert preservesPredictions(List<LabelDistribution> inputs) {
    isNotNull();
    for (int i = 0; i < inputs.size(); i++) {
      int before = inputs.get(i).argmax();
      int after = actual.apply(inputs.get(i)).argmax();
      if (before != after) {
        failWithMessage(
            "input %d: prediction changed from '%s' to '%s'",
            i, inputs.get(i).labels().name(before), inputs.get(i).labels().name(after));
      }
    }
    return this;
  }

  private static double nll(List<LabelDistribution> rows, LabelledSet data) {
    double s = 0;
    for (int i = 0; i < rows.size(); i++) {
      s -= Math.log(Math.max(1e-300, rows.get(i).probability(data.gold(i))));
    }
    return s / rows.size();
  }
}
