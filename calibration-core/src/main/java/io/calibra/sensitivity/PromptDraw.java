package io.calibra.sensitivity;

import io.calibra.prompt.PromptTemplate;
import java.util.List;
import java.util.Objects;

/**
 * One drawn prompt: which template, which demonstrations of the pool in which order, and the prompt
 * they make.
 *
 * @param index the prompt's number, from 0
 * @param template the index of its template in the given list
 * @param demonstrations the indices of its demonstrations in the pool, in prompt order
 * @param prompt the template with those demonstrations
 */
public record PromptDraw(
    int index, int template, List<Integer> demonstrations, PromptTemplate prompt) {
  /** Copies the list; checks the indices are not negative. */
  public PromptDraw {
    Objects.requireNonNull(prompt, "prompt");
    demonstrations = List.copyOf(demonstrations);
    if (index < 0 || template < 0 || demonstrations.stream().anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException(
          "prompt "
              + index
              + ", template "
              + template
              + ", demonstrations "
              + demonstrations
              + "; expected indices >= 0");
    }
  }
}
