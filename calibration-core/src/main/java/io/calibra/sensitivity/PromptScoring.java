package io.calibra.sensitivity;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.List;
import java.util.Objects;

/**
 * Scores inputs under one prompt: the scores of each input, in order. {@link PromptSensitivity}
 * calls it once per drawn prompt with every input that prompt needs (the rows, the content-free
 * inputs and any dev rows), from one thread.
 */
@FunctionalInterface
public interface PromptScoring {
  /**
   * The scores of {@code inputs} under {@code prompt}.
   *
   * @return one {@link LabelScores} per input, in order
   */
  List<LabelScores> score(PromptTemplate prompt, List<String> inputs, LabelSet labels);

  /**
   * Renders each input with the prompt and scores it with {@code scorer} through {@link
   * Scorers#forTemplate}, so a scorer that caches prompt prefixes (the ONNX causal scorer) computes
   * each prompt's fixed part once. The scorer is not closed.
   */
  static PromptScoring rendering(Scorer scorer) {
    Objects.requireNonNull(scorer, "scorer");
    return (prompt, inputs, labels) ->
        Scorers.forTemplate(scorer, prompt).scoreAll(prompt.renderAll(inputs), labels);
  }
}
