package io.calibra.metrics;

/**
 * One non-empty bin of a reliability diagram: rows whose score lies in {@code (lower, upper]} (the
 * first bin also holds 0).
 *
 * @param lower the bin's lower edge
 * @param upper the bin's upper edge
 * @param count the number of rows in the bin (at least 1)
 * @param meanConfidence the mean score of those rows
 * @param accuracy the fraction of those rows that are correct (or, classwise, of the class)
 */
public record ReliabilityBin(
    double lower, double upper, long count, double meanConfidence, double accuracy) {

  /** {@code |accuracy - meanConfidence|}, the bin's calibration gap. */
  public double gap() {
    return Math.abs(accuracy - meanConfidence);
  }
}
