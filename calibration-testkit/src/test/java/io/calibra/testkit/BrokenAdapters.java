package io.calibra.testkit;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Deliberately broken adapters, run through the contract by {@link ScorerContractTestTest}. Their
 * names do not end in Test, so the build does not run them on their own.
 */
final class BrokenAdapters {
  private BrokenAdapters() {}

  /** Scores every prompt by its length, but returns a batch's results in reverse order. */
  static final class ReversedOrderContract extends ScorerContractTest {
    @Override
    protected Scorer createScorer() {
      return new Scorer() {
        @Override
        public String modelId() {
          return "reversed";
        }

        @Override
        public String fingerprint() {
          return "fingerprint:" + modelId();
        }

        @Override
        public ScoreKind kind() {
          return ScoreKind.LOGIT;
        }

        @Override
        public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
          List<LabelScores> out = new ArrayList<>();
          for (String p : prompts) {
            if (p == null) {
              throw new IllegalArgumentException("null prompt");
            }
            out.add(LabelScores.of(labels, ScoreKind.LOGIT, p.length(), 0));
          }
          Collections.reverse(out);
          return out;
        }
      };
    }

    @Override
    protected LabelSet labels() {
      return LabelSet.of("a", "b");
    }
  }

  /** Forgets to check its input and throws NullPointerException on a null prompt. */
  static final class NullUnsafeContract extends ScorerContractTest {
    @Override
    protected Scorer createScorer() {
      return new Scorer() {
        @Override
        public String modelId() {
          return "null-unsafe";
        }

        @Override
        public String fingerprint() {
          return "fingerprint:" + modelId();
        }

        @Override
        public ScoreKind kind() {
          return ScoreKind.LOGIT;
        }

        @Override
        public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
          List<LabelScores> out = new ArrayList<>();
          for (String p : prompts) {
            out.add(LabelScores.of(labels, ScoreKind.LOGIT, p.length(), 1));
          }
          return out;
        }
      };
    }

    @Override
    protected LabelSet labels() {
      return LabelSet.of("a", "b");
    }
  }

  /** Scores correctly but gives a new fingerprint every time it is asked (a random UUID). */
  static final class UnstableFingerprintContract extends ScorerContractTest {
    @Override
    protected Scorer createScorer() {
      return new Scorer() {
        @Override
        public String modelId() {
          return "unstable";
        }

        @Override
        public String fingerprint() {
          return java.util.UUID.randomUUID().toString();
        }

        @Override
        public ScoreKind kind() {
          return ScoreKind.LOGIT;
        }

        @Override
        public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
          List<LabelScores> out = new ArrayList<>();
          for (String p : prompts) {
            if (p == null) {
              throw new IllegalArgumentException("null prompt");
            }
            out.add(LabelScores.of(labels, ScoreKind.LOGIT, p.length(), 1));
          }
          return out;
        }
      };
    }

    @Override
    protected LabelSet labels() {
      return LabelSet.of("a", "b");
    }
  }
}
