package io.calibra.sensitivity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of every drawn prompt and the spread of each metric across prompts.
 *
 * @param prompts each prompt's results, in draw order
 * @param methods the methods, in order: {@code raw}, {@code contextual}, then any fitted method
 * @param spread by method, then by metric key ({@link PromptMetrics#KEYS}): the spread across
 *     prompts
 */
public record SensitivityReport(
    List<PromptResult> prompts, List<String> methods, Map<String, Map<String, Spread>> spread) {
  /** Copies the lists and maps. */
  public SensitivityReport {
    prompts = List.copyOf(prompts);
    methods = List.copyOf(methods);
    Map<String, Map<String, Spread>> copy = new LinkedHashMap<>();
    spread.forEach((m, s) -> copy.put(m, Collections.unmodifiableMap(new LinkedHashMap<>(s))));
    spread = Collections.unmodifiableMap(copy);
  }

  /** The accuracy of every prompt under {@code method}, in draw order. */
  public double[] accuracies(String method) {
    if (!methods.contains(method)) {
      throw new IllegalArgumentException("method '" + method + "' is not among " + methods);
    }
    return prompts.stream().mapToDouble(p -> p.metrics().get(method).accuracy()).toArray();
  }
}
