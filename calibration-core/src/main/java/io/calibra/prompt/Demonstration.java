package io.calibra.prompt;

/**
 * A labelled example shown in a few-shot prompt.
 *
 * @param text the example's input text
 * @param label the name of its label
 */
public record Demonstration(String text, String label) {
  /** Rejects null text or label with an {@link IllegalArgumentException}. */
  public Demonstration {
    if (text == null || label == null) {
      throw new IllegalArgumentException(
          "demonstration needs text and label; found text=" + text + ", label=" + label);
    }
  }
}
