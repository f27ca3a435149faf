/**
 * Calibration and accuracy metrics as accumulators that can be combined, for streaming and
 * distributed evaluation, with one-shot helpers in {@link io.calibra.metrics.Metrics}.
 *
 * <p>Definitions follow the conventions of the golden cases: top-label ECE with equal-width bins
 * {@code (lo, hi]} (bin index {@code clamp(ceil(c * B) - 1, 0, B - 1)}), equal-mass ECE with groups
 * split as {@code numpy.array_split} splits the sorted array (rows tied in confidence counted with
 * their tie's mean correctness, so that row order does not matter), MCE, classwise ECE (mean over
 * classes), Brier (sum over labels, mean over rows), NLL with {@code p_gold} clipped to {@code
 * [1e-15, 1]}, accuracy and macro-F1 (a class with no predictions and no gold rows counts 0).
 * Argmax ties go to the lowest label index. References: Guo et al. 2017 (ECE, reliability
 * diagrams); Nixon et al. 2019, "Measuring Calibration in Deep Learning" (classwise and equal-mass
 * ECE).
 *
 * <p>Accumulators are mutable and not thread-safe: use one per thread and {@code merge} them. Rows
 * are validated as they are added (NaN, infinity, negative values, a wrong width or a gold index
 * out of range give an {@link java.lang.IllegalArgumentException}), so every result is finite.
 * Asking for a result before any row is added is an {@link java.lang.IllegalStateException}.
 */
package io.calibra.metrics;
