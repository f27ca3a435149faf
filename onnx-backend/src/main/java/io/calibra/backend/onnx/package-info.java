/**
 * ONNX Runtime scorers for local models, behind {@link io.calibra.backend.Scorer}: the embedded
 * all-MiniLM-L6-v2 sentence encoder (zero-shot label descriptions or few-shot prototypes), causal
 * language models in the Hugging Face export layout, masked language models and sequence
 * classifiers. {@link io.calibra.backend.onnx.OnnxScorers} builds them; the providers named {@code
 * onnx-encoder}, {@code onnx-causal}, {@code onnx-masked} and {@code onnx-classifier} open them
 * through {@link io.calibra.backend.Scorers#open}.
 *
 * <p>All scorers share one {@code OrtEnvironment}, batch prompts in length-sorted buckets and
 * return results in input order. They are thread-safe: many threads may score through one instance.
 * Every tensor and result is closed after use; {@code close()} releases the session. A missing,
 * truncated or wrong-shaped model or tokenizer is an {@link java.lang.IllegalArgumentException}
 * naming the file and what is wrong; native errors during scoring are wrapped in an {@link
 * java.lang.IllegalStateException} with the model's identifier. A prompt longer than the model's
 * context is an {@link java.lang.IllegalArgumentException} naming the prompt and its length.
 */
package io.calibra.backend.onnx;
