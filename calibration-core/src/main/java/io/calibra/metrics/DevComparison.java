package io.calibra.metrics;

import io.calibra.label.LabelledSet;
import java.util.Locale;

/**
 * The NLL and accuracy of labelled dev rows before and after a calibration step, to tell when the
 * step made things worse (contextual calibration can: its content-free estimate is a guess).
 *
 * @param step what was applied, such as {@code "contextual"}
 * @param rows the number of dev rows
 * @param nllBefore the mean NLL before the step (as {@link CalibrationMetrics#nll()})
 * @param nllAfter the mean NLL after it
 * @param accuracyBefore the accuracy before the step
 * @param accuracyAfter the accuracy after it
 */
public record DevComparison(
    String step,
    int rows,
    double nllBefore,
    double nllAfter,
    double accuracyBefore,
    double accuracyAfter) {

  /**
   * Compares the same rows (same gold labels) before and after a step.
   *
   * @throws IllegalArgumentException if the sets differ in size or gold labels
   */
  public static DevComparison of(String step, LabelledSet before, LabelledSet after) {
    if (before.size() != after.size()
        || !java.util.Arrays.equals(before.goldArray(), after.goldArray())) {
      throw new IllegalArgumentException(
          "the dev rows before and after "
              + step
              + " differ: "
              + before.size()
              + " and "
              + after.size()
              + " rows; expected the same rows and gold labels");
    }
    CalibrationMetrics b = Metrics.evaluate(before);
    CalibrationMetrics a = Metrics.evaluate(after);
    return new DevComparison(step, before.size(), b.nll(), a.nll(), b.accuracy(), a.accuracy());
  }

  /** Whether the step raised the dev NLL or lowered the dev accuracy. */
  public boolean worse() {
    return nllAfter > nllBefore || accuracyAfter < accuracyBefore;
  }

  /**
   * One line: {@code contextual on 200 dev rows: NLL 0.9620 -> 1.1440, accuracy 0.6400 -> 0.5530},
   * followed by {@code ; worse: consider leaving contextual out} when the step made things worse.
   */
  public String summary() {
    String line =
        String.format(
            Locale.ROOT,
            "%s on %d dev rows: NLL %.4f -> %.4f, accuracy %.4f -> %.4f",
            step,
            rows,
            nllBefore,
            nllAfter,
            accuracyBefore,
            accuracyAfter);
    return worse() ? line + "; worse: consider leaving " + step + " out" : line;
  }

  /** The warning to show when {@link #worse()}: {@code "STEP calibration made ... worse: "}. */
  public String warning() {
    return step + " calibration made the dev set worse: " + summary();
  }
}
