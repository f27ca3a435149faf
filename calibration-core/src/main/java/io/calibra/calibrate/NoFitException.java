package io.calibra.calibrate;

/**
 * A fitted calibration method refused its labelled rows because its maximum-likelihood fit does not
 * exist or is not identified there: the rows are separable in the method's family (every row's gold
 * label can be put strictly on top, so scaling the parameters up drives the NLL to 0 and the "fit"
 * is an ever sharper, overconfident map), the scores point away from the gold labels (the optimum
 * is at infinite temperature), or the optimiser stopped at a parameter bound. A calibrator fitted
 * anyway would be silent harm: on rows the model gets wrong it gives the gold label a probability
 * near 0.
 *
 * <p>The message is one line: the method, why, and what to do (add labelled rows the model gets
 * wrong, use a method that needs no labels such as contextual calibration, or keep the raw scores).
 * It is an {@link IllegalArgumentException}: the rows, not the program, are the cause; the CLI
 * reports it as bad input data (exit 3).
 */
public final class NoFitException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What the message suggests doing instead, after the reason. */
  static final String REMEDY =
      "add labelled rows the model gets wrong, use a method that needs no labels (such as"
          + " contextual calibration), or keep the raw scores (method identity)";

  /**
   * A refusal of {@code method} for {@code reason}: "METHOD has no maximum-likelihood fit: REASON;
   * " then {@link #REMEDY}.
   *
   * @param method the method's name, such as {@code "temperature scaling"}
   * @param reason why its fit does not exist, in a few words
   */
  NoFitException(String method, String reason) {
    this(method + " has no maximum-likelihood fit: " + reason);
  }

  /** A refusal whose first sentence is {@code message}, followed by "; " and {@link #REMEDY}. */
  NoFitException(String message) {
    super(message + "; " + REMEDY);
  }

  private NoFitException(String prefix, NoFitException cause) {
    super(prefix + cause.getMessage(), cause);
  }

  /** {@code e} with {@code prefix} (such as "fold 2 of 3: ") before its message. */
  static NoFitException inFold(String prefix, NoFitException e) {
    return new NoFitException(prefix, e);
  }
}
