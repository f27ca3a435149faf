package io.calibra.backend;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores prompts against a label set: for each prompt, one log-score per label.
 *
 * <p>A scorer may hold native resources, so it is {@link AutoCloseable}; use it in
 * try-with-resources. Implementations say whether they are thread-safe (the ONNX scorers are).
 * Results come back in the order of the prompts. Scores are validated by {@link LabelScores}: NaN
 * and {@code +infinity} are never returned.
 */
public interface Scorer extends AutoCloseable {

  /** A stable identifier of the model (a name, a path or a content hash), for messages. */
  String modelId();

  /**
   * A stable fingerprint of everything that changes this scorer's scores: the model's content hash,
   * the kind of scorer, its prototypes or label descriptions, scale, pooling, tokenizer and length
   * limits (build one with {@link Fingerprint}). Two scorers that can give different scores for the
   * same prompt and labels must have different fingerprints; the same configuration gives the same
   * fingerprint across runs and machines. {@link ContentFreeCache} keys on it, and saved
   * calibrators record it in their provenance, so a calibrator is not silently used with another
   * scorer.
   */
  String fingerprint();

  /** What the scores are: log-probabilities or logits. */
  ScoreKind kind();

  /** The largest number of prompts {@link #scoreBatch} is given at once by {@link #scoreAll}. */
  default int maxBatchSize() {
    return 32;
  }

  /**
   * Scores one batch of prompts.
   *
   * @return one {@link LabelScores} per prompt, in order
   * @throws IllegalArgumentException if a prompt cannot be scored (naming it)
   */
  List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels);

  /**
   * Scores any number of prompts in batches of at most {@link #maxBatchSize()}, in order.
   *
   * @throws IllegalStateException if the scorer returns the wrong number of results for a batch
   */
  default List<LabelScores> scoreAll(List<String> prompts, LabelSet labels) {
    int batch = Math.max(1, maxBatchSize());
    List<LabelScores> out = new ArrayList<>(prompts.size());
    for (int start = 0; start < prompts.size(); start += batch) {
      List<String> slice = prompts.subList(start, Math.min(prompts.size(), start + batch));
      List<LabelScores> scored = scoreBatch(slice, labels);
      if (scored.size() != slice.size()) {
        throw new IllegalStateException(
            "scorer "
                + modelId()
                + " returned "
                + scored.size()
                + " results for a batch of "
                + slice.size()
                + " prompts starting at prompt "
                + start);
      }
      out.addAll(scored);
    }
    return out;
  }

  /** Scores a single prompt. */
  default LabelScores score(String prompt, LabelSet labels) {
    return scoreBatch(List.of(prompt), labels).get(0);
  }

  /**
   * A view of this scorer for prompts that start with {@code prefix} (such as {@link
   * io.calibra.prompt.PromptTemplate#prefix()}), which may reuse work done on the prefix across
   * prompts. It gives the same scores and the same {@link #fingerprint()} as this scorer for every
   * prompt, also for prompts that do not start with the prefix; closing it does nothing (this
   * scorer owns the resources). By default it is this scorer.
   *
   * @throws IllegalArgumentException if {@code prefix} is null
   */
  default Scorer withPromptPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prompt prefix is null; expected a string");
    }
    return this;
  }

  /** Releases the scorer's resources; does nothing by default. Never throws a checked exception. */
  @Override
  default void close() {}
}
