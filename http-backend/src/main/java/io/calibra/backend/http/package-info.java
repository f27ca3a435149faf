/**
 * Scorers over OpenAI-compatible HTTP servers (OpenAI, vLLM, llama.cpp's {@code llama-server}, LM
 * Studio and others), behind {@link io.calibra.backend.Scorer}. {@link
 * io.calibra.backend.http.OpenAiScorers} builds them; the providers named {@code
 * openai-completions} and {@code openai-chat} open them through {@link
 * io.calibra.backend.Scorers#open}.
 *
 * <p>The completions scorer is exact: it sends each prompt followed by each label word to {@code
 * /completions} with {@code echo} and sums the echoed log-probabilities of the word's tokens. It
 * refuses any response that does not echo the prompt. The chat scorer reads the first generated
 * token's {@code top_logprobs} from {@code /chat/completions}; a label outside the top k gets an
 * upper bound and its row is counted as bounded.
 *
 * <p>Every request has connect and total timeouts and is retried with exponential backoff and
 * jitter on 429, 500, 502, 503, 504, timeouts and broken connections, honouring {@code
 * Retry-After}. The API key is sent as {@code Authorization: Bearer} and never appears in messages,
 * fingerprints or files. An optional on-disk cache keeps the responses, written atomically. Scorers
 * are thread-safe; {@code close()} stops their request threads.
 */
package io.calibra.backend.http;
