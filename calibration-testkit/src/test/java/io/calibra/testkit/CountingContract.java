package io.calibra.testkit;

import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A good adapter that counts how often the contract creates and closes it, for {@link
 * ScorerContractTestTest}.
 */
class CountingContract extends ScorerContractTest {
  static final AtomicInteger CREATED = new AtomicInteger();
  static final AtomicInteger CLOSED = new AtomicInteger();

  @Override
  protected Scorer createScorer() {
    CREATED.incrementAndGet();
    Scorer inner =
        Scorers.fromClassifier(
            "counting-model", ScoreKind.LOGIT, text -> new double[] {text.length(), 1.0});
    return new Scorer() {
      @Override
      public String modelId() {
        return inner.modelId();
      }

      @Override
      public String fingerprint() {
        return inner.fingerprint();
      }

      @Override
      public ScoreKind kind() {
        return inner.kind();
      }

      @Override
      public java.util.List<io.calibra.backend.LabelScores> scoreBatch(
          java.util.List<String> prompts, LabelSet labels) {
        return inner.scoreBatch(prompts, labels);
      }

      @Override
      public void close() {
        CLOSED.incrementAndGet();
        inner.close();
      }
    };
  }

  @Override
  protected LabelSet labels() {
    return LabelSet.of("negative", "positive");
  }
}
