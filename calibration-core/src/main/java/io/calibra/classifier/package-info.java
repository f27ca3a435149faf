/**
 * What an application embeds: a {@link io.calibra.classifier.CalibratedClassifier} that holds a
 * scorer, a prompt template, a label set and a fitted calibration pipeline, classifies text with
 * calibrated and raw distributions, and abstains under a selective policy. Thread-safe when its
 * scorer is.
 */
package io.calibra.classifier;
