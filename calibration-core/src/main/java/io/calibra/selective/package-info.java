/**
 * Selective classification: abstain when the model is unsure. {@link
 * io.calibra.selective.RiskCoverage} gives the risk-coverage curve, AURC and E-AURC (Geifman et al.
 * 2019, "Bias-Reduced Uncertainty Estimation for Deep Neural Classifiers"); {@link
 * io.calibra.selective.SelectivePolicy} chooses a confidence threshold on a labelled dev set for a
 * target risk or coverage (Geifman and El-Yaniv 2017, "Selective Classification for Deep Neural
 * Networks"); {@link io.calibra.selective.RiskControl} chooses one whose risk is at most the target
 * with probability {@code 1 - delta} (Clopper-Pearson bounds over fixed candidate thresholds,
 * Bonferroni or fixed-sequence testing); {@link io.calibra.selective.SelectiveAccumulator} counts
 * abstentions, mergeably.
 *
 * <p>Confidence is the top-label probability. Rows are ranked by confidence, most confident first;
 * ties keep row order. Everything here is immutable and thread-safe except the accumulator, which
 * is mutable and meant for one thread at a time. Empty inputs and targets outside [0, 1] (or NaN)
 * are an {@link java.lang.IllegalArgumentException}.
 */
package io.calibra.selective;
