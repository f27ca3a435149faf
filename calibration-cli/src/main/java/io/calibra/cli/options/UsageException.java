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

  /**
   * The usage error for a library's refusal of what the options gave it (a server URL, a backend's
   * options, label words, a prompt draw), with {@code context} before its message; {@code refused}
   * itself when it is already a usage error or bad data.
   */
  public static IllegalArgumentException refusal(String context, IllegalArgumentException refused) {
    if (refused instanceof UsageException || refused instanceof io.calibra.io.DataFileException) {
      return refused;
    }
    return new UsageException(context + refused.getMessage());
  }
}
