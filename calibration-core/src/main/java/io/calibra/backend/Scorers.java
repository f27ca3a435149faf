package io.calibra.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Static factories for scorers: by backend name through {@link ServiceLoader}, or from a function.
 *
 * <pre>{@code
 * // a classifier you already have: text in, one logit per label out
 * Scorer mine = Scorers.fromClassifier("sentiment-v3", ScoreKind.LOGIT, text -> model.logits(text));
 * LabelScores s = mine.score("a charming story", LabelSet.of("negative", "positive"));
 *
 * // a backend found on the class or module path by name (here onnx-backend's encoder)
 * try (Scorer encoder = Scorers.open("onnx-encoder", Map.of())) {
 *   ...
 * }
 * }</pre>
 */
public final class Scorers {
  private Scorers() {}

  /**
   * Wraps a classifier the user already has. The returned scorer is as thread-safe as {@code
   * classifier}; its scores are validated (wrong width, NaN, {@code +infinity} give an {@link
   * IllegalArgumentException} naming the prompt and the label).
   *
   * @param modelId a stable name for the classifier, used in cache keys and provenance: its
   *     fingerprint is a hash of this name and {@code kind}, so give differently configured
   *     classifiers (another model version, other label descriptions) different names
   * @param kind whether the classifier returns logits or log-probabilities
   */
  public static Scorer fromClassifier(String modelId, ScoreKind kind, TextClassifier classifier) {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(classifier, "classifier");
    return new FunctionScorer(modelId, kind, classifier);
  }

  /**
   * The view of {@code scorer} for prompts rendered by {@code template}: {@code
   * scorer.withPromptPrefix(template.prefix())}, which reuses the work done on the template's fixed
   * part (instruction, demonstrations, input prefix) where the scorer can, with the same scores; or
   * {@code scorer} itself when that part is empty. The view shares the scorer's resources: close
   * the scorer, not the view.
   */
  public static Scorer forTemplate(Scorer scorer, io.calibra.prompt.PromptTemplate template) {
    Objects.requireNonNull(scorer, "scorer");
    String prefix = Objects.requireNonNull(template, "template").prefix();
    return prefix.isEmpty() ? scorer : scorer.withPromptPrefix(prefix);
  }

  /** The providers on the class path, by name. */
  public static Map<String, ScorerProvider> available() {
    Map<String, ScorerProvider> byName = new TreeMap<>();
    for (ScorerProvider p : ServiceLoader.load(ScorerProvider.class)) {
      ScorerProvider previous = byName.put(p.name(), p);
      if (previous != null) {
        throw new IllegalStateException(
            "two scorer providers are named '"
                + p.name()
                + "': "
                + previous.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
    }
    return byName;
  }

  /**
   * Opens the backend called {@code name} with {@code options}.
   *
   * @throws IllegalArgumentException if no provider has that name (listing those that exist), or
   *     the provider rejects the options
   */
  public static Scorer open(String name, Map<String, String> options) {
    Map<String, ScorerProvider> providers = available();
    ScorerProvider provider = providers.get(name);
    if (provider == null) {
      throw new IllegalArgumentException(
          "no scorer backend named '"
              + name
              + "'; expected one of "
              + new ArrayList<>(providers.keySet())
              + " (is the backend's module on the class path?)");
    }
    return provider.open(Map.copyOf(options));
  }

  /** The names of the providers on the class path. */
  public static List<String> names() {
    return new ArrayList<>(available().keySet());
  }
}
