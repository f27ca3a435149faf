package io.calibra.cli.options;

/**
 * Bad usage found after parsing, for a rule picocli cannot declare (one that depends on a file's
 * contents or on another option's value): one line on standard error and exit 2.
 */
public class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A usage error with its one-line message. */
  public UsageException(String message) {
    super(message);
  }
}
