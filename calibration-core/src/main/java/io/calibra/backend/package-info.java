/**
 * The backend interface: a {@link io.calibra.backend.Scorer} turns prompts into per-label
 * log-scores, in batches. Backends (such as the ONNX Runtime one) are found through {@link
 * java.util.ServiceLoader} as {@link io.calibra.backend.ScorerProvider}s and chosen by name with
 * {@link io.calibra.backend.Scorers#open}; {@link io.calibra.backend.Scorers#fromClassifier} wraps
 * any classifier a user already has.
 *
 * <p>Scores may be {@code -infinity} (probability zero) but never NaN or {@code +infinity}: those
 * are rejected with an {@link java.lang.IllegalArgumentException} naming the prompt and the label.
 * Thread safety is a property of each scorer and is stated by its provider; the adapters here are
 * as thread-safe as the function they wrap.
 */
package io.calibra.backend;
