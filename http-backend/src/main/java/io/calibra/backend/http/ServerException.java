package io.calibra.backend.http;

/**
 * A server that failed or misbehaved: it could not be reached, did not answer in time, answered
 * with an HTTP error, or answered something that is not the documented response (bad JSON, no
 * log-probabilities, an answer larger than the size limit). The message is one line that names the
 * server's URL (never a user name, password or API key) and the prompts of the request.
 *
 * <p>An {@link IllegalStateException}, as every misbehaving model in calibra; its own type lets a
 * program (the command line) tell an expected server failure, reported in one line, from a bug.
 */
public class ServerException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public ServerException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public ServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
