package io.calibra.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.backend.ContentFreeCache;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.GenerativeCalibration;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java pipeline scores a template's prompts through the scorer's prefix view ({@link
 * Scorer#withPromptPrefix} with {@link PromptTemplate#prefix()}), for inputs, fitting texts,
 * content-free inputs and generated inputs. A recording scorer notes which prompts reached the base
 * scorer and which reached a view (with its prefix); the scores are {@link ToyModel}'s either way.
 */
class PromptPrefixRoutingTest {
  static final PromptTemplate TEMPLATE =
      PromptTemplate.builder(ToyModel.LABELS)
          .instruction("Rate it.\n")
          .inputPrefix("Review: ")
          .inputAnswerSeparator("\n")
          .answerPrefix("Sentiment:")
          .demonstrationSeparator("\n\n")
          .demonstration("good good", "positive")
          .build();

  /** Counts prompts scored by the base scorer and by views; checks each view's prompts. */
  static final class Recording implements Scorer {
    final List<String> base = Collections.synchronizedList(new ArrayList<>());
    final List<String> viewed = Collections.synchronizedList(new ArrayList<>());
    final List<String> prefixes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String modelId() {
      return "recording";
    }

    @Override
    public String fingerprint() {
      return "recording-fp";
    }

    @Override
    public ScoreKind kind() {
      return ScoreKind.LOGIT;
    }

    @Override
    public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
      base.addAll(prompts);
      return scores(prompts, labels);
    }

    static List<LabelScores> scores(List<String> prompts, LabelSet labels) {
      List<LabelScores> out = new ArrayList<>();
      for (String p : prompts) {
        String text = p.substring(p.lastIndexOf("Review: "));
        out.add(LabelScores.of(labels, ScoreKind.LOGIT, ToyModel.scores(text)));
      }
      return out;
    }

    @Override
    public Scorer withPromptPrefix(String prefix) {
      prefixes.add(prefix);
      Recording outer = this;
      return new Scorer() {
        @Override
        public String modelId() {
          return outer.modelId();
        }

        @Override
        public String fingerprint() {
          return outer.fingerprint();
        }

        @Override
        public ScoreKind kind() {
          return outer.kind();
        }

        @Override
        public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
          for (String p : prompts) {
            assertThat(p).startsWith(prefix);
          }
          viewed.addAll(prompts);
          return scores(prompts, labels);
        }
      };
    }
  }

  @Test
  void scoresEveryPromptOfTheClassifierThroughThePrefixView() {
    Recording scorer = new Recording();
    int[] gold = new int[40];
    List<String> texts = ToyModel.texts(40, 5, gold);
    CalibratedClassifier c =
        CalibratedClassifier.builder(scorer, TEMPLATE)
            .contextual(List.of("N/A", ""))
            .temperature(texts, gold)
            .build();
    List<Prediction> predictions = c.classifyAll(List.of("good film", "bad bad"));
    assertThat(predictions).hasSize(2);
    assertThat(scorer.base).isEmpty();
    // content-free (2), fitting texts (40), classified texts (2)
    assertThat(scorer.viewed).hasSize(44).contains(TEMPLATE.render("N/A"), TEMPLATE.render(""));
    assertThat(scorer.prefixes).isNotEmpty().containsOnly(TEMPLATE.prefix());
    assertThat(TEMPLATE.prefix())
        .isEqualTo("Rate it.\nReview: good good\nSentiment: good\n\nReview: ");
  }

  @Test
  void contentFreeCacheAndGenerativeFitUseThePrefixView() {
    Recording scorer = new Recording();
    List<LabelScores> cf =
        new ContentFreeCache()
            .scores(scorer, TEMPLATE, ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS);
    assertThat(cf).hasSize(ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS.size());
    GenerativeCalibration.fit(
        scorer,
        (prompt, stop, max, count, seed) -> Collections.nCopies(count, "good"),
        TEMPLATE,
        3,
        4,
        1);
    assertThat(scorer.base).isEmpty();
    assertThat(scorer.viewed).hasSize(cf.size() + 3);
  }

  @Test
  void anEmptyPrefixKeepsTheScorerItself() {
    Recording scorer = new Recording();
    PromptTemplate identity = PromptTemplate.identity(ToyModel.LABELS);
    assertThat(Scorers.forTemplate(scorer, identity)).isSameAs(scorer);
    assertThat(scorer.prefixes).isEmpty();
  }
}
