package io.calibra.backend.http;

/**
 * The served model's tokenizer, for the chat scorer's {@code logit_bias} request ({@link
 * OpenAiScorers.ChatBuilder#logitBias}): it names the label words' first tokens by id. It must be
 * the tokenizer of the model on the server, or the bias lands on the wrong tokens (which the scorer
 * then reports). Implementations must be thread-safe.
 */
public interface LabelTokenizer {

  /** The token ids of {@code text}, without special tokens. */
  long[] encode(String text);

  /** The text of token {@code id}, as the server writes it in {@code top_logprobs}. */
  String decode(long id);
}
