package io.calibra.backend;

/**
 * A scorer that can count a prompt's tokens against its model's context length. Pass {@code
 * countTokens} and {@code maxTokens} to {@code PromptTemplate.renderWithin} to drop the oldest
 * demonstrations of a prompt that does not fit.
 */
public interface TokenBudget {
  /** The number of tokens {@code text} becomes, special tokens included. */
  int countTokens(String text);

  /** The most tokens the model takes in one sequence. */
  int maxTokens();
}
