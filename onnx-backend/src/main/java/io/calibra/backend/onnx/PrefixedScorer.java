package io.calibra.backend.onnx;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.TokenBudget;
import io.calibra.label.LabelSet;
import java.util.List;

/**
 * A causal scorer's view for prompts that start with a fixed prefix: the prefix's key/value cache
 * is computed once and reused. Same scores and fingerprint as the scorer; closing it does nothing.
 */
final class PrefixedScorer implements Scorer, TokenBudget {
  private final CausalLmScorer scorer;
  private final String prefix;

  PrefixedScorer(CausalLmScorer scorer, String prefix) {
    this.scorer = scorer;
    this.prefix = prefix;
  }

  @Override
  public String modelId() {
    return scorer.modelId();
  }

  @Override
  public String fingerprint() {
    return scorer.fingerprint();
  }

  @Override
  public ScoreKind kind() {
    return scorer.kind();
  }

  @Override
  public int maxBatchSize() {
    return scorer.maxBatchSize();
  }

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    return scorer.scoreBatch(prompts, labels, prefix);
  }

  @Override
  public Scorer withPromptPrefix(String other) {
    return scorer.withPromptPrefix(other);
  }

  @Override
  public int countTokens(String text) {
    return scorer.countTokens(text);
  }

  @Override
  public int maxTokens() {
    return scorer.maxTokens();
  }

  /** Does nothing: the scorer this view belongs to owns the session. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "PrefixedScorer{" + scorer.modelId() + ", " + prefix.length() + " chars}";
  }
}
