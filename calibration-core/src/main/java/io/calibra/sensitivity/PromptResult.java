package io.calibra.sensitivity;

import io.calibra.backend.LabelScores;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One prompt's results.
 *
 * @param draw the prompt
 * @param scores the raw scores of the evaluated rows under it, in row order
 * @param metrics the metrics by method ({@code raw}, {@code contextual}, then any fitted method's
 *     name), in that order
 */
public record PromptResult(
    PromptDraw draw, List<LabelScores> scores, Map<String, PromptMetrics> metrics) {
  /** Copies the list and the map. */
  public PromptResult {
    Objects.requireNonNull(draw, "draw");
    scores = List.copyOf(scores);
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }
}
