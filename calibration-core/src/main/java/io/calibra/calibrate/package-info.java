/**
 * Calibrators: immutable, thread-safe maps from a label distribution to a calibrated one, produced
 * by fitting steps and composable with {@link io.calibra.calibrate.Calibrator#andThen}.
 *
 * <ul>
 *   <li>{@link io.calibra.calibrate.ContextualCalibration}: contextual calibration, Zhao et al.
 *       2021, "Calibrate Before Use: Improving Few-Shot Performance of Language Models".
 *   <li>{@link io.calibra.calibrate.DomainContextCalibration}: domain-context calibration, Fei et
 *       al. 2023, "Mitigating Label Biases for In-context Learning".
 *   <li>{@link io.calibra.calibrate.BatchCalibration}: batch calibration, Zhou et al. 2024, "Batch
 *       Calibration: Rethinking Calibration for In-Context Learning and Prompt Engineering".
 *   <li>{@link io.calibra.calibrate.TemperatureScaling}, {@link io.calibra.calibrate.VectorScaling}
 *       and {@link io.calibra.calibrate.MatrixScaling}: Guo et al. 2017, "On Calibration of Modern
 *       Neural Networks".
 * </ul>
 *
 * <p>Every calibrator takes and returns probability distributions over one {@link
 * io.calibra.label.LabelSet}. Inputs are validated (NaN, infinity, negative values, a wrong width
 * or another label set give an {@link java.lang.IllegalArgumentException}); outputs are always
 * valid distributions, so no NaN ever leaves a calibrator. Fitting steps reject empty input, and
 * the supervised ones fewer than two rows or a single gold class.
 */
package io.calibra.calibrate;
