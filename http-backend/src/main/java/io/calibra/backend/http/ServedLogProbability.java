package io.calibra.backend.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one rule for a log-probability a server returns, applied to answers and cached entries alike:
 * a JSON number that is finite and at most 0. Servers compute in float32 and round, so a value up
 * to {@link #ROUNDING} above 0 is read as 0; anything larger, {@code -1e999} (parsed as -Infinity),
 * NaN or a non-number is refused.
 */
final class ServedLogProbability {
  /** The largest positive value read as rounding of 0. */
  static final double ROUNDING = 1e-6;

  /** What the messages say is expected. */
  static final String EXPECTED = "expected a finite number <= 0";

  private ServedLogProbability() {}

  /** The log-probability in {@code node}, clamped to 0 within rounding; NaN when refused. */
  static double of(JsonNode node) {
    if (node == null || !node.isNumber()) {
      return Double.NaN;
    }
    double v = node.asDouble();
    return Double.isFinite(v) && v <= ROUNDING ? Math.min(0, v) : Double.NaN;
  }
}
