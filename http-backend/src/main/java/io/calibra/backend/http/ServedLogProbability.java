package io.calibra.backend.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one rule for a log-probability a server returns, applied to answers and cached entries alike:
 * a JSON number that is finite and at most 0. Servers compute in float32 and round, so a value up
 * to {@link #ROUNDING} above 0 is read as 0; anything larger, {@code -1e999} (parsed as -Infinity),
 * NaN or a non-number is refused.
 */
final class ServedLogProbability {
  /** The largest positive value read as rounding of 0: the core's one rule. */
  static final double ROUNDING = io.calibra.label.LabelDistribution.LOG_PROBABILITY_TOLERANCE;

  /** What the messages say is expected. */
  static final String EXPECTED = "expected a finite number <= 0";

  private ServedLogProbability() {}

  /** The log-probability in {@code node}, clamped to 0 within rounding; NaN when refused. */
  static double of(JsonNode node) {
    if (node == null || !node.isNumber()) {
      return Double.NaN;
    }
    double v = node.asDouble();
    return v > Double.NEGATIVE_INFINITY && io.calibra.label.LabelDistribution.isLogProbability(v)
        ? Math.min(0, v)
        : Double.NaN;
  }

  /**
   * Whether every log-probability anywhere in {@code answer} obeys the rule: each non-null element
   * of a {@code token_logprobs} array and each {@code logprob} field, used by the scorer or not. A
   * cached entry must pass this (a server's answer is checked only where it is used), so an entry
   * edited to hold {@code -1e999} is fetched again whatever token it sits on.
   */
  static boolean allValid(JsonNode answer) {
    if (answer.isObject()) {
      for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = answer.fields();
          it.hasNext(); ) {
        java.util.Map.Entry<String, JsonNode> field = it.next();
        JsonNode v = field.getValue();
        if (field.getKey().equals("logprob") && Double.isNaN(of(v))) {
          return false;
        }
        if (field.getKey().equals("token_logprobs") && v.isArray()) {
          for (JsonNode e : v) {
            if (!e.isNull() && Double.isNaN(of(e))) {
              return false;
            }
          }
        }
        if (!allValid(v)) {
          return false;
        }
      }
    } else if (answer.isArray()) {
      for (JsonNode e : answer) {
        if (!allValid(e)) {
          return false;
        }
      }
    }
    return true;
  }
}
