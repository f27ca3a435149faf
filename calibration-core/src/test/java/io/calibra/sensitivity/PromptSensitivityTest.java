package io.calibra.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.MethodFit;
import io.calibra.label.LabelSet;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prompt sensitivity on a scorer whose answers are known by hand: the positive logit is the count
 * of "good" minus the count of "bad" in the prompt, plus 0.7 for each demonstration answered "pos"
 * and minus 0.7 for each answered "neg" (a majority-label bias, as Zhao et al. 2021 describe). The
 * bias shifts the logit of every input of a prompt alike, so contextual calibration from the
 * prompt's content-free inputs removes it exactly.
 */
class PromptSensitivityTest {
  static final LabelSet LABELS = LabelSet.builder().add("neg", " neg").add("pos", " pos").build();

  /** Pool: four "pos" then two "neg" demonstrations with neutral texts. */
  static final List<Demonstration> POOL =
      List.of(
          new Demonstration("d0", "pos"),
          new Demonstration("d1", "pos"),
          new Demonstration("d2", "pos"),
          new Demonstration("d3", "pos"),
          new Demonstration("d4", "neg"),
          new Demonstration("d5", "neg"));

  static final List<PromptTemplate> TEMPLATES =
      List.of(
          PromptTemplate.builder(LABELS)
              .inputPrefix("Review: ")
              .inputAnswerSeparator("\n")
              .answerPrefix("Sentiment:")
              .demonstrationSeparator("\n\n")
              .build(),
          PromptTemplate.builder(LABELS)
              .inputPrefix("Text: ")
              .inputAnswerSeparator(" ")
              .answerPrefix("Sentiment:")
              .demonstrationSeparator("\n")
              .build());

  /** Rows: logits without bias 1, 2, -1, -1, 1, -1; the last two are wrong without bias. */
  static final List<String> TEXTS =
      List.of("good", "good good", "bad", "good bad bad", "good", "bad");

  static final int[] GOLD = {1, 1, 0, 0, 0, 1};

  /** The hand-made scorer; records the prompt prefixes it is given. */
  static final class BiasedScorer implements Scorer {
    final List<String> prefixes = new ArrayList<>();

    @Override
    public String modelId() {
      return "biased";
    }

    @Override
    public String fingerprint() {
      return "biased";
    }

    @Override
    public ScoreKind kind() {
      return ScoreKind.LOGIT;
    }

    @Override
    public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
      List<LabelScores> out = new ArrayList<>();
      for (String p : prompts) {
        double s =
            count(p, "good")
                - count(p, "bad")
                + 0.7 * count(p, "Sentiment: pos")
                - 0.7 * count(p, "Sentiment: neg");
        out.add(LabelScores.of(labels, ScoreKind.LOGIT, 0, s));
      }
      return out;
    }

    @Override
    public Scorer withPromptPrefix(String prefix) {
      prefixes.add(prefix);
      return this;
    }

    private static int count(String text, String word) {
      int n = 0;
      for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
        n++;
      }
      return n;
    }
  }

  static PromptSensitivity.Builder study() {
    return PromptSensitivity.builder(LABELS)
        .templates(TEMPLATES)
        .demonstrations(POOL)
        .shots(3)
        .prompts(4)
        .seed(5);
  }

  /**
   * Seed 5, 2 templates, 6 demonstrations, 3 shots, 4 prompts: template and pool indices from the
   * documented scheme transcribed to Python (golden/sensitivity/prompt_draws.py 5 2 6 3 4).
   */
  @Test
  void drawsFollowTheDocumentedScheme() {
    List<PromptDraw> draws = study().build().draws();
    assertThat(draws).extracting(PromptDraw::template).containsExactly(1, 0, 0, 1);
    assertThat(draws)
        .extracting(PromptDraw::demonstrations)
        .containsExactly(List.of(0, 5, 1), List.of(3, 0, 4), List.of(3, 1, 2), List.of(3, 1, 0));
    // prompt 1: template 2 with d0, d5, d1 in that order
    assertThat(draws.get(0).prompt().render("x"))
        .isEqualTo(
            "Text: d0 Sentiment: pos\nText: d5 Sentiment: neg\nText: d1 Sentiment: pos\n"
                + "Text: x Sentiment:");
    assertThat(study().build().draws()).isEqualTo(draws);
    assertThat(study().seed(6).build().draws()).isNotEqualTo(draws);
  }

  /**
   * By hand: prompts 1 and 2 have two "pos" answers and one "neg" (bias +0.7): predictions pos,
   * pos, neg, neg, pos, neg, accuracy 4/6; prompts 3 and 4 have three "pos" (bias +2.1): every row
   * pos, accuracy 3/6. Mean 7/12, sample sd sqrt(4 (1/12)^2 / 3) = 0.0962250. Contextual
   * calibration removes the bias: 4/6 under every prompt, sd 0.
   */
  @Test
  void rawAccuracySwingsWithThePromptAndContextualCalibrationRemovesTheBias() {
    BiasedScorer scorer = new BiasedScorer();
    SensitivityReport r = study().build().run(PromptScoring.rendering(scorer), TEXTS, GOLD);
    assertThat(r.methods()).containsExactly("raw", "contextual");
    assertThat(r.accuracies("raw")).containsExactly(4 / 6.0, 4 / 6.0, 3 / 6.0, 3 / 6.0);
    assertThat(r.accuracies("contextual")).containsExactly(4 / 6.0, 4 / 6.0, 4 / 6.0, 4 / 6.0);
    Spread raw = r.spread().get("raw").get("accuracy");
    assertThat(raw.mean()).isCloseTo(7 / 12.0, within(1e-12));
    assertThat(raw.standardDeviation()).isCloseTo(Math.sqrt(4 / 144.0 / 3), within(1e-12));
    assertThat(raw.min()).isEqualTo(0.5);
    assertThat(raw.max()).isEqualTo(4 / 6.0);
    Spread contextual = r.spread().get("contextual").get("accuracy");
    assertThat(contextual.standardDeviation()).isZero();
    assertThat(r.spread().get("raw").keySet()).containsExactlyElementsOf(PromptMetrics.KEYS);
    // the raw scores kept per prompt are the scorer's for the rendered rows
    PromptResult first = r.prompts().get(0);
    assertThat(first.scores().get(1).score(1)).isCloseTo(2 + 0.7, within(1e-12));
    // each prompt's fixed part went to the scorer once, for its prefix cache
    assertThat(scorer.prefixes)
        .containsExactly(
            r.prompts().get(0).draw().prompt().prefix(),
            r.prompts().get(1).draw().prompt().prefix(),
            r.prompts().get(2).draw().prompt().prefix(),
            r.prompts().get(3).draw().prompt().prefix());
  }

  @Test
  void aMethodFittedOnDevRowsIsMeasuredToo() {
    SensitivityReport r =
        study()
            .fitted(
                CalibrationMethod.TEMPERATURE.fitting(MethodFit.LabelledRows.class).orElseThrow(),
                TEXTS,
                GOLD)
            .build()
            .run(PromptScoring.rendering(new BiasedScorer()), TEXTS, GOLD);
    assertThat(r.methods()).containsExactly("raw", "contextual", "temperature");
    for (PromptResult p : r.prompts()) {
      Map<String, PromptMetrics> m = p.metrics();
      // a temperature keeps every argmax: the accuracy is the raw one
      assertThat(m.get("temperature").accuracy()).isEqualTo(m.get("raw").accuracy());
      // fitted on these very rows, it cannot raise their NLL
      assertThat(m.get("temperature").nll()).isLessThanOrEqualTo(m.get("raw").nll() + 1e-9);
    }
  }

  @Test
  void badSettingsAreRejectedSayingWhatWasExpected() {
    assertThatThrownBy(() -> study().shots(7).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shots is 7 with 6 demonstrations to draw from; expected 0 to 6");
    assertThatThrownBy(() -> study().prompts(1).build())
        .hasMessageContaining("prompts is 1; expected at least 2");
    assertThatThrownBy(
            () ->
                study()
                    .templates(
                        List.of(PromptTemplate.builder(LABELS).demonstration("a", "pos").build()))
                    .build())
        .hasMessageContaining("template 1 has 1 demonstrations; expected none");
    assertThatThrownBy(
            () -> study().demonstrations(List.of(new Demonstration("a", "neutral"))).build())
        .hasMessageContaining("demonstration 1 has label 'neutral'");
    assertThatThrownBy(() -> study().build().run((p, in, l) -> List.of(), TEXTS, GOLD))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("prompt 1: the scoring returned 0 scores for 9 inputs");
  }

  @Test
  void spreadIsTheSampleStandardDeviation() {
    // by hand: mean 0.75, deviations -0.25, 0, 0.25: sd sqrt(0.125 / 2) = 0.25
    assertThat(Spread.of(new double[] {0.5, 0.75, 1.0}))
        .isEqualTo(new Spread(0.75, 0.25, 0.5, 1.0));
    assertThatThrownBy(() -> Spread.of(new double[] {0.5}))
        .hasMessageContaining("at least 2 values");
    assertThatThrownBy(() -> Spread.of(new double[] {0.5, Double.NaN})).hasMessageContaining("NaN");
  }
}
