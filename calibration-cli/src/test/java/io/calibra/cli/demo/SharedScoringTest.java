package io.calibra.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several tasks on the same texts: each text scored once, each task its own scores back. */
class SharedScoringTest {
  /**
   * A scorer whose score for a label depends on the text and that label's words only (the
   * characters they share, their lengths), as the encoder's does, counting how often it is given
   * each text.
   */
  private static final class CountingScorer implements Scorer {
    final Map<String, Integer> seen = new HashMap<>();

    @Override
    public String modelId() {
      return "counting";
    }

    @Override
    public String fingerprint() {
      return "counting";
    }

    @Override
    public ScoreKind kind() {
      return ScoreKind.LOGIT;
    }

    @Override
    public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
      List<LabelScores> out = new ArrayList<>();
      for (String p : prompts) {
        seen.merge(p, 1, Integer::sum);
        double[] s = new double[labels.size()];
        for (int k = 0; k < labels.size(); k++) {
          for (String word : labels.words(k)) {
            s[k] += word.chars().filter(c -> p.indexOf(c) >= 0).count() / 10.0;
            s[k] += (p.length() * word.length()) % 7 / 3.0;
          }
        }
        out.add(LabelScores.of(labels, ScoreKind.LOGIT, s));
      }
      return out;
    }
  }

  private static final DemoData.Split DEV =
      new DemoData.Split(List.of("a fine film", "dull", "a dull, long film"), new int[] {1, 0, 0});
  private static final DemoData.Split TEST =
      new DemoData.Split(
          List.of("great acting", "bad", "the worst", "a very good and moving story"),
          new int[] {1, 0, 0, 1});

  private static QuantizationStudy.Task zeroShot() {
    return new QuantizationStudy.Task("zero", DemoCommand.LABELS, DEV, TEST, Map.of());
  }

  private static QuantizationStudy.Task fewShot() {
    return new QuantizationStudy.Task(
        "few",
        DemoCommand.LABELS,
        DEV,
        TEST,
        Map.of("negative", List.of("awful", "boring film"), "positive", List.of("lovely")));
  }

  private static List<LabelDistribution> alone(Scorer s, List<String> texts, LabelSet labels) {
    return QuantizationStudy.distributions(s.scoreAll(texts, labels));
  }

  @Test
  void eachTextIsScoredOnceAndEachTaskGetsWhatScoringItAloneGives() {
    CountingScorer scorer = new CountingScorer();
    List<QuantizationStudy.Task> tasks = List.of(zeroShot(), fewShot());
    List<QuantizationStudy.Scored> scored = SharedScoring.score(scorer, tasks, "test");
    for (String text : DEV.texts()) {
      assertThat(scorer.seen.get(text)).as(text).isEqualTo(1);
    }
    for (String text : TEST.texts()) {
      assertThat(scorer.seen.get(text)).as(text).isEqualTo(1);
    }
    for (String text : ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS) {
      assertThat(scorer.seen.get(text)).as(text).isEqualTo(1);
    }
    CountingScorer reference = new CountingScorer();
    for (int t = 0; t < tasks.size(); t++) {
      LabelSet labels = tasks.get(t).prototypes();
      QuantizationStudy.Scored s = scored.get(t);
      // distributions over the task's own labels (names as the task has them), in text order
      assertThat(s.test()).allSatisfy(d -> assertThat(d.labels()).isEqualTo(DemoCommand.LABELS));
      assertThat(probabilities(s.test()))
          .isEqualTo(probabilities(alone(reference, TEST.texts(), labels)));
      assertThat(probabilities(s.dev()))
          .isEqualTo(probabilities(alone(reference, DEV.texts(), labels)));
      assertThat(probabilities(s.contentFree()))
          .isEqualTo(
              probabilities(
                  alone(reference, ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS, labels)));
    }
    // the two tasks differ (their label words differ)
    assertThat(probabilities(scored.get(0).test()))
        .isNotEqualTo(probabilities(scored.get(1).test()));
  }

  /**
   * The few-shot task's columns, scored by the zero-shot encoder with the examples as label words,
   * are the few-shot encoder's scores.
   */
  @Test
  void fewShotColumnsAreTheFewShotEncodersScores() {
    QuantizationStudy.Task few = fewShot();
    List<QuantizationStudy.Scored> scored;
    try (Scorer zero = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
      scored = SharedScoring.score(zero, List.of(zeroShot(), few), "test");
    }
    List<LabelDistribution> expected;
    try (Scorer prototypes =
        OnnxScorers.encoder(ModelSource.embeddedMiniLm()).fewShot(few.fewShot()).build()) {
      expected = alone(prototypes, TEST.texts(), DemoCommand.LABELS);
    }
    double[][] got = probabilities(scored.get(1).test());
    double[][] want = probabilities(expected);
    for (int i = 0; i < want.length; i++) {
      for (int k = 0; k < want[i].length; k++) {
        assertThat(got[i][k]).as("row %d label %d", i, k).isCloseTo(want[i][k], within());
      }
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    // float32 embeddings in batches of other lengths: equal to rounding
    return org.assertj.core.data.Offset.offset(1e-5);
  }

  /**
   * Texts only one task needs (random in-domain strings) come back as distributions over the task's
   * own labels, scored against its few-shot examples.
   */
  @Test
  void textsOfOneTaskAreDistributionsOverItsOwnLabels() {
    CountingScorer scorer = new CountingScorer();
    QuantizationStudy.Task few = fewShot();
    List<String> texts = List.of("x y z", "film");
    List<LabelDistribution> d = SharedScoring.score(scorer, few, texts);
    assertThat(d).allSatisfy(x -> assertThat(x.labels()).isEqualTo(DemoCommand.LABELS));
    assertThat(probabilities(d))
        .isEqualTo(probabilities(alone(new CountingScorer(), texts, few.prototypes())));
  }

  @Test
  void tasksOnDifferentTextsAreRefused() {
    QuantizationStudy.Task other =
        new QuantizationStudy.Task(
            "other",
            DemoCommand.LABELS,
            DEV,
            new DemoData.Split(List.of("x"), new int[] {0}),
            Map.of());
    assertThatThrownBy(
            () -> SharedScoring.score(new CountingScorer(), List.of(zeroShot(), other), "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tasks 'zero' and 'other' have different dev or test texts");
    assertThatThrownBy(() -> SharedScoring.score(new CountingScorer(), List.of(), "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no tasks to score");
  }

  private static double[][] probabilities(List<LabelDistribution> d) {
    return d.stream().map(LabelDistribution::toArray).toArray(double[][]::new);
  }
}
