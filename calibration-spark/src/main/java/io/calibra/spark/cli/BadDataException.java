package io.calibra.spark.cli;

import io.calibra.io.DataFileException;
import org.apache.spark.SparkThrowable;

/**
 * A score file Spark could not use (exit 3): the message names the file and what is wrong with it,
 * on one line.
 */
final class BadDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private BadDataException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code file} and the problem, as {@code calibra} names a bad file: {@code FILE: PROBLEM}. */
  static BadDataException of(String file, String problem) {
    return new BadDataException(file + ": " + problem, null);
  }

  /**
   * {@code failure} as bad data of {@code file} when it is: a {@link DataFileException} (as it is),
   * a check of calibra's on the rows or columns ({@link IllegalArgumentException}, on the driver or
   * in a task) or a record Spark's CSV reader could not parse; otherwise {@code failure} itself.
   * Spark throws its checked {@code SparkException} from methods that do not declare it, so any
   * exception is looked at.
   */
  static Exception classify(String file, Exception failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DataFileException named) {
        return named; // names its file already
      }
      if (t instanceof IllegalArgumentException) {
        return new BadDataException(file + ": " + firstLine(t.getMessage()), failure);
      }
      if (t instanceof SparkThrowable s
          && s.getCondition() != null
          && s.getCondition().startsWith("MALFORMED_RECORD")) {
        return new BadDataException(
            file + ": a malformed CSV record (" + firstLine(t.getMessage()) + ")", failure);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return failure;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    String s = message.strip();
    int newline = s.indexOf('\n');
    return newline < 0 ? s : s.substring(0, newline).strip();
  }
}
