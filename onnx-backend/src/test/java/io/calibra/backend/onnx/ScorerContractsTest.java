package io.calibra.backend.onnx;

import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import io.calibra.testkit.ScorerContractTest;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** Each ONNX scorer keeps the Scorer contract of the test kit. */
class ScorerContractsTest {

  @Nested
  class Encoder extends ScorerContractTest {
    @Override
    protected Scorer createScorer() {
      return OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build();
    }

    @Override
    protected LabelSet labels() {
      return EncoderScorerTest.SENTIMENT;
    }
  }

  @Nested
  class CausalGpt2WithPast extends ScorerContractTest {
    @Override
    protected Scorer createScorer() {
      // the BOS token lets the empty prompt be scored
      return OnnxScorers.causalLm(Gpt2FixtureTest.withPast())
          .beginningOfSequence("<|endoftext|>")
          .build();
    }

    @Override
    protected LabelSet labels() {
      return LabelSet.builder()
          .add("negative", " bad", " not good")
          .add("positive", " good")
          .build();
    }
  }

  @Nested
  class Masked extends ScorerContractTest {
    @Override
    protected Scorer createScorer() {
      return OnnxScorers.maskedLm(ExactFixtures.source("masked-exact")).build();
    }

    @Override
    protected LabelSet labels() {
      return ExactFixtures.LABELS;
    }

    @Override
    protected List<String> prompts() {
      return List.of(
          "[MASK]", "the movie was [MASK]", "review : the movie was very [MASK] ok", "[MASK] bad");
    }
  }

  @Nested
  class Classifier extends ScorerContractTest {
    @Override
    protected Scorer createScorer() {
      return OnnxScorers.classifier(ExactFixtures.source("classifier-exact")).build();
    }

    @Override
    protected LabelSet labels() {
      return LabelSet.of("negative", "neutral", "positive");
    }

    /** The fixture's word-level tokenizer adds no special tokens: "" has none, and is an error. */
    @Override
    protected List<String> prompts() {
      return List.of("the movie was great", "bad", "review : very good ok ok", "N/A");
    }
  }
}
