package io.calibra.backend;

import java.util.Map;

/**
 * A service-provider entry for a backend, listed in {@code
 * META-INF/services/io.calibra.backend.ScorerProvider} and found through {@link
 * java.util.ServiceLoader} by {@link Scorers#open}.
 */
public interface ScorerProvider {

  /** The name users choose this backend by, such as {@code onnx-encoder}. Unique. */
  String name();

  /** One line on what the backend scores and which options it takes. */
  String description();

  /**
   * Opens a scorer.
   *
   * @param options backend-specific options (for example {@code model-dir}); unknown keys are an
   *     error
   * @throws IllegalArgumentException on a missing or bad option or model, saying which
   */
  Scorer open(Map<String, String> options);
}
