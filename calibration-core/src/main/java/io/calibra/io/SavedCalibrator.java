package io.calibra.io;

import io.calibra.calibrate.Calibrator;

/**
 * A calibrator read from a file, with its provenance.
 *
 * @param calibrator the calibrator (a pipeline when the file holds several stages)
 * @param provenance where it came from
 */
public record SavedCalibrator(Calibrator calibrator, Provenance provenance) {}
