package io.calibra.metrics;

/**
 * Spiegelhalter's (1986) test of calibration on top-label confidences {@code c_i} and correctness
 * {@code y_i}: {@code z = sum (y_i - c_i)(1 - 2 c_i) / sqrt(sum (1 - 2 c_i)^2 c_i (1 - c_i))},
 * standard normal under perfect calibration; the p-value is two-sided, {@code 2 (1 - Phi(|z|))}
 * (computed as {@code erfc(|z| / sqrt 2)}, accurate far into the tail). A positive {@code z} means
 * more correct predictions than the confidences claim (under-confidence).
 *
 * @param z the statistic, finite
 * @param pValue the two-sided p-value in [0, 1]
 */
public record SpiegelhalterTest(double z, double pValue) {
  /** Checks the values. */
  public SpiegelhalterTest {
    if (!Double.isFinite(z) || !(pValue >= 0 && pValue <= 1)) {
      throw new IllegalArgumentException(
          "Spiegelhalter z " + z + ", p " + pValue + "; expected finite z and p in [0, 1]");
    }
  }

  /** The test from its two sums; {@code variance} must be positive. */
  static SpiegelhalterTest of(double numerator, double variance) {
    if (!(variance > 0)) {
      throw new IllegalStateException(
          "the Spiegelhalter test is undefined: every confidence is 1/2 or 1, so its variance is "
              + variance);
    }
    double z = numerator / Math.sqrt(variance);
    return new SpiegelhalterTest(
        z, org.apache.commons.math3.special.Erf.erfc(Math.abs(z) / Math.sqrt(2)));
  }
}
