package io.calibra.backend.onnx;

/** A scorer that can count a prompt's tokens against its model's context length. */
public interface TokenBudget {
  /** The number of tokens {@code text} becomes, special tokens included. */
  int countTokens(String text);

  /** The most tokens the model takes in one sequence. */
  int maxTokens();
}
