package io.calibra.testkit;

import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelSet;

/** calibra's own classifier adapter keeps the contract. */
class FunctionScorerContractTest extends ScorerContractTest {
  @Override
  protected Scorer createScorer() {
    return Scorers.fromClassifier(
        "length-model",
        ScoreKind.LOGIT,
        text -> new double[] {text.length() % 7, text.indexOf('a')});
  }

  @Override
  protected LabelSet labels() {
    return LabelSet.of("negative", "positive");
  }
}
