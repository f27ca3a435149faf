package io.calibra.backend;

import java.util.List;

/**
 * Draws continuations of a prompt from a language model, for generative calibration: ancestral
 * sampling (each token drawn from the model's full distribution at temperature 1), stopping at a
 * stop string or a token limit. Implementations say how reproducible a seed makes the draws.
 */
public interface TextSampler {
  /**
   * {@code count} continuations of {@code prompt}.
   *
   * @param prompt the text to continue
   * @param stop a continuation ends before the first occurrence of this text (which is not part of
   *     it); null or empty for none
   * @param maxTokens the most tokens a continuation has, at least 1
   * @param count how many continuations, at least 1
   * @param seed the random seed
   * @return the continuations, in draw order, without the stop text
   * @throws IllegalArgumentException if {@code maxTokens} or {@code count} is below 1
   */
  List<String> sample(String prompt, String stop, int maxTokens, int count, long seed);
}
