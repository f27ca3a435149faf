package io.calibra.sensitivity;

/**
 * The spread of one metric across prompts.
 *
 * @param mean the mean over prompts
 * @param standardDeviation the sample standard deviation (divisor {@code n - 1}, as {@code
 *     numpy.std(values, ddof=1)})
 * @param min the smallest value
 * @param max the largest value
 */
public record Spread(double mean, double standardDeviation, double min, double max) {
  /** Checks that the values are finite and ordered. */
  public Spread {
    if (!(min <= mean && mean <= max && standardDeviation >= 0)
        || !Double.isFinite(min)
        || !Double.isFinite(max)
        || !Double.isFinite(standardDeviation)) {
      throw new IllegalArgumentException(
          "spread mean "
              + mean
              + ", sd "
              + standardDeviation
              + ", min "
              + min
              + ", max "
              + max
              + "; expected finite min <= mean <= max and sd >= 0");
    }
  }

  /**
   * The spread of {@code values}.
   *
   * @throws IllegalArgumentException if there are fewer than 2 values or one is NaN or infinite
   */
  public static Spread of(double[] values) {
    if (values.length < 2) {
      throw new IllegalArgumentException(
          "a spread needs at least 2 values; found " + values.length);
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("a value is " + v + "; expected finite values");
      }
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    // rounding can put the mean of equal values a hair outside [min, max]
    mean = Math.min(max, Math.max(min, mean));
    return new Spread(mean, Math.sqrt(squares / (values.length - 1)), min, max);
  }
}
