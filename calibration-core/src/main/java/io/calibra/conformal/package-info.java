/**
 * Split conformal prediction sets: from {@code n} labelled calibration rows and a miscoverage level
 * {@code alpha}, sets of labels that contain the gold label of a new exchangeable row with
 * probability at least {@code 1 - alpha} (and, without ties among scores, at most {@code 1 - alpha
 * + 1/(n + 1)}).
 *
 * <p>Method (split or inductive conformal prediction: Vovk, Gammerman and Shafer 2005, "Algorithmic
 * Learning in a Random World"; Papadopoulos et al. 2002; Lei, G'Sell, Rinaldo, Tibshirani and
 * Wasserman 2018, "Distribution-Free Predictive Inference for Regression"): a nonconformity score
 * {@code s(x, y)} is computed for each calibration row at its gold label; {@code qhat} is the
 * {@code ceil((n + 1)(1 - alpha))}-th smallest of them ({@code +Infinity}, so that every set is
 * full, when that rank exceeds {@code n}); the set of a new row is {@code {k : s(x, k) <= qhat}}.
 * The product {@code (n + 1)(1 - alpha)} is lowered by a relative {@code 1e-12} before the ceiling,
 * so that the binary rounding of {@code alpha} (0.1 is not exact) never adds one to the rank.
 *
 * <p>Scores ({@link io.calibra.conformal.ConformalScore}), with {@code p} the row's distribution:
 *
 * <ul>
 *   <li>LAC, least ambiguous set-valued classifier (Sadinle, Lei and Wasserman 2019): {@code s = 1
 *       - p_y};
 *   <li>APS, adaptive prediction sets (Romano, Sesia and Candès 2020, "Classification with Valid
 *       and Adaptive Coverage"): labels ranked by {@code p} (descending, ties to the lower index),
 *       {@code s = sum of p over the labels ranked above y + u * p_y}, with {@code u = 1}
 *       (non-randomised) or {@code u ~ Uniform[0, 1)} drawn from a seed (randomised);
 *   <li>RAPS, regularised APS (Angelopoulos, Bates, Malik and Jordan 2021, "Uncertainty Sets for
 *       Image Classifiers using Conformal Prediction"): the APS score plus {@code lambda * max(0,
 *       rank(y) - k_reg)} with {@code rank} 1-based.
 * </ul>
 *
 * <p>Mondrian (class-conditional) conformal prediction (Vovk et al. 2005, ch. 4; Vovk 2012,
 * "Conditional validity of inductive conformal predictors"): one {@code qhat_c} per gold class
 * {@code c}, computed from the calibration rows of class {@code c} alone ({@code n_c} of them; a
 * class with no calibration rows gets {@code +Infinity}), and {@code k} is in the set when {@code
 * s(x, k) <= qhat_k}. The coverage guarantee then holds within each class.
 *
 * <p>Fitted predictors are immutable and thread-safe.
 */
package io.calibra.conformal;
