package io.calibra.io;

import io.calibra.calibrate.Calibrator;
import io.calibra.selective.SelectivePolicy;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A calibration as saved in a file: everything a classifier's decisions need besides its scorer and
 * template. {@code CalibratedClassifier.calibration()} gives one to save with {@link
 * CalibratorFiles#save(SavedCalibrator, java.nio.file.Path)}; its builder's {@code
 * calibration(saved)} restores it, checking the provenance's fingerprints.
 *
 * @param calibrator the calibrator (a pipeline when the file holds several stages); its label set
 *     holds the label words
 * @param provenance where it came from, with the scorer's and template's fingerprints when known
 * @param policy the abstention policy, or null when the classifier never abstains (always null in
 *     schema-1 files, which did not hold one)
 */
public record SavedCalibrator(
    Calibrator calibrator, Provenance provenance, @Nullable SelectivePolicy policy) {

  /** Requires a calibrator and a provenance; the policy may be null. */
  public SavedCalibrator {
    Objects.requireNonNull(calibrator, "calibrator");
    Objects.requireNonNull(provenance, "provenance");
  }

  /** A saved calibrator without an abstention policy. */
  public SavedCalibrator(Calibrator calibrator, Provenance provenance) {
    this(calibrator, provenance, null);
  }
}
