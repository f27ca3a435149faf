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
 *   <li>{@link io.calibra.calibrate.IsotonicCalibration} (scikit-learn's isotonic regression,
 *       classwise), {@link io.calibra.calibrate.HistogramBinning} (Zadrozny and Elkan 2001) and
 *       {@link io.calibra.calibrate.ScalingBinning} (Kumar et al. 2019, "Verified Uncertainty
 *       Calibration").
 *   <li>{@link io.calibra.calibrate.LogisticCalibration}: Platt scaling and beta calibration (Kull
 *       et al. 2017, "Beta calibration"), for two labels.
 * </ul>
 *
 * <p>Every calibrator takes and returns probability distributions over one {@link
 * io.calibra.label.LabelSet}. Inputs are validated (NaN, infinity, negative values, a wrong width
 * or another label set give an {@link java.lang.IllegalArgumentException}); outputs are always
 * valid distributions, so no NaN ever leaves a calibrator. Fitting steps reject empty input, and
 * the supervised ones fewer than two rows or a single gold class (except isotonic regression and
 * histogram binning, which fit any non-empty labelled set).
 */
package io.calibra.calibrate;
