package io.calibra.backend.http;

/**
 * A server that failed or misbehaved: it could not be reached, did not answer in time, answered
 * with an HTTP error, or answered something that is not the documented response (bad JSON, no
 * log-probabilities, an answer larger than the size limit). The message is one line that names the
 * server's URL (never a user name, password or API key) and the prompts of the request; control
 * characters in it (a newline in a token or in the server's own message) are shown as escapes, as
 * {@code \n}, so that it stays one line.
 *
 * <p>An {@link IllegalStateException}, as every misbehaving model in calibra; its own type lets a
 * program (the command line) tell an expected server failure, reported in one line, from a bug.
 */
public class ServerException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public ServerException(String message) {
    super(oneLine(message));
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public ServerException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** {@code text} with control characters shown as escapes: a newline as {@code \n}. */
  static String oneLine(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
