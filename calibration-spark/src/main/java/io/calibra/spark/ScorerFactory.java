package io.calibra.spark;

import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes the {@link Scorer} that executors score with. It travels to every executor with the tasks
 * (so it is serialisable and small: a backend's name and options, not a model), and {@link
 * SparkScoring} creates one scorer per executor JVM from it, keyed by the factory's equality. A
 * record is the natural implementation.
 */
@FunctionalInterface
public interface ScorerFactory extends Serializable {
  /** Creates a scorer; called once per executor JVM and factory. */
  Scorer create();

  /**
   * The backend found through {@link java.util.ServiceLoader} under {@code name} (as {@link
   * Scorers#open}), with {@code options}; the backend's module must be on the executors' class
   * path.
   */
  static ScorerFactory provider(String name, Map<String, String> options) {
    return new Provider(name, new TreeMap<>(options));
  }

  /** A backend by provider name and options. */
  record Provider(String name, TreeMap<String, String> options) implements ScorerFactory {
    /** Validates and copies. */
    public Provider {
      java.util.Objects.requireNonNull(name, "name");
      options = new TreeMap<>(options);
    }

    @Override
    public Scorer create() {
      return Scorers.open(name, options);
    }
  }
}
