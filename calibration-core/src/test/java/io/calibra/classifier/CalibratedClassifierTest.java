package io.calibra.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CalibratedClassifierTest {
  private static final LabelSet LABELS =
      LabelSet.builder().add("negative", " bad").add("positive", " good").build();
  private static final PromptTemplate TEMPLATE =
      PromptTemplate.builder(LABELS)
          .inputPrefix("Review: ")
          .inputAnswerSeparator("\n")
          .answerPrefix("Sentiment:")
          .build();

  /** A toy model: counts "good" and "bad" in the prompt, biased towards positive by +1. */
  private static double[] toyScores(String prompt) {
    String text = prompt.substring("Review: ".length(), prompt.length() - "\nSentiment:".length());
    double good = text.split("good", -1).length - 1;
    double bad = text.split("bad", -1).length - 1;
    return new double[] {bad, good + 1};
  }

  private static List<String> texts(int n, long seed, int[] gold) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int g = random.nextInt(5);
      int b = random.nextInt(5);
      out.add("good ".repeat(g) + "bad ".repeat(b) + "film");
      gold[i] = g > b ? 1 : 0;
    }
    return out;
  }

  @Test
  void pipelineMatchesStepByStepCalibrationAndQueriesContentFreeOnce() {
    AtomicInteger calls = new AtomicInteger();
    Scorer scorer =
        Scorers.fromClassifier(
            "toy",
            ScoreKind.LOGIT,
            p -> {
              calls.incrementAndGet();
              return toyScores(p);
            });
    int[] devGold = new int[200];
    List<String> dev = texts(200, 1, devGold);
    for (int i = 0; i < devGold.length; i += 7) {
      devGold[i] = 1 - devGold[i]; // label noise: without it T* runs to the search bound
    }
    CalibratedClassifier clf =
        CalibratedClassifier.builder(scorer, TEMPLATE)
            .contextual()
            .temperature(dev, devGold)
            .build();
    assertThat(calls.get()).isEqualTo(3 + 200);

    // the same by hand: p_cf from "N/A", "", "[MASK]" (all score (0, 1)), then T fitted on dev
    Calibrator contextual =
        ContextualCalibration.fit(
            List.of(
                LabelDistribution.ofLogits(LABELS, 0, 1),
                LabelDistribution.ofLogits(LABELS, 0, 1),
                LabelDistribution.ofLogits(LABELS, 0, 1)));
    List<LabelDistribution> devRaw = new ArrayList<>();
    for (String t : dev) {
      devRaw.add(LabelDistribution.ofLogits(LABELS, toyScores(TEMPLATE.render(t))));
    }
    Calibrator t = TemperatureScaling.fit(LabelledSet.of(contextual.applyAll(devRaw), devGold));
    Prediction p = clf.classify("good good bad film");
    LabelDistribution raw = LabelDistribution.ofLogits(LABELS, 1, 3);
    assertThat(p.raw()).isEqualTo(raw);
    assertThat(p.calibrated().toArray())
        .containsExactly(t.apply(contextual.apply(raw)).toArray(), within(1e-12));

    // Independently, by hand: p_cf = softmax(0, 1), so contextual calibration maps logits
    // (bad, good + 1) to softmax(bad, good): a row is the logit difference d = good - bad. The NLL
    // of softmax(beta (bad, good)) is mean log(1 + exp(-beta s d)) (s = +1 for positive gold, -1
    // for negative), whose derivative mean (sigmoid(beta d) - y) d is increasing in beta: its root,
    // found here by bisection, is 1/T. "good good bad film" has d = 1: q(positive) = sigmoid(beta).
    double[] d = new double[dev.size()];
    for (int i = 0; i < d.length; i++) {
      String text = dev.get(i);
      d[i] = (text.split("good", -1).length - 1) - (text.split("bad", -1).length - 1);
    }
    double lo = 1e-3;
    double hi = 1e3;
    for (int iter = 0; iter < 200; iter++) {
      double mid = Math.sqrt(lo * hi);
      double derivative = 0;
      for (int i = 0; i < d.length; i++) {
        derivative += (1 / (1 + Math.exp(-mid * d[i])) - devGold[i]) * d[i];
      }
      if (derivative > 0) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    double beta = Math.sqrt(lo * hi);
    double temperature = clf.calibrator().stages().get(1).parameters().get("temperature")[0];
    assertThat(temperature).isCloseTo(1 / beta, within(1e-9));
    double positive = 1 / (1 + Math.exp(-beta));
    assertThat(p.calibrated().toArray())
        .containsExactly(new double[] {1 - positive, positive}, within(1e-9));
    assertThat(p.label()).isEqualTo("positive");
    assertThat(p.abstained()).isFalse();
    assertThat(clf.calibrator().stages()).hasSize(2);
    assertThat(clf.provenance().method()).isEqualTo("contextual+temperature");
    assertThat(clf.provenance().fittingRows()).isEqualTo(200);
    assertThat(clf.provenance().templateFingerprint()).isEqualTo(TEMPLATE.fingerprint());
    assertThat(clf.provenance().modelId()).isEqualTo("toy");
  }

  @Test
  void abstainsBelowTheThresholdChosenForATargetRisk() {
    Scorer scorer =
        Scorers.fromClassifier("toy", ScoreKind.LOGIT, CalibratedClassifierTest::toyScores);
    int[] gold = new int[300];
    List<String> dev = texts(300, 2, gold);
    CalibratedClassifier clf =
        CalibratedClassifier.builder(scorer, TEMPLATE)
            .contextual()
            .abstainForTargetRisk(0.1, dev, gold)
            .build();
    assertThat(clf.policy().orElseThrow().devRisk()).isLessThanOrEqualTo(0.1);
    List<Prediction> predictions = clf.classifyAll(dev);
    long wrongAccepted = 0;
    long accepted = 0;
    for (int i = 0; i < dev.size(); i++) {
      Prediction p = predictions.get(i);
      assertThat(p.abstained()).isEqualTo(p.confidence() < clf.policy().orElseThrow().threshold());
      if (!p.abstained()) {
        accepted++;
        wrongAccepted += p.calibrated().argmax() == gold[i] ? 0 : 1;
      }
    }
    assertThat((double) wrongAccepted / accepted).isLessThanOrEqualTo(0.1);
    CalibratedClassifier fixed =
        CalibratedClassifier.builder(scorer, TEMPLATE).abstainBelow(0.99).build();
    assertThat(fixed.classify("film").abstained()).isTrue();
  }

  /**
   * Gold labels given by name fit exactly what their indices fit; an unknown name is an
   * IllegalArgumentException naming it and listing the labels.
   */
  @Test
  void goldLabelsByNameFitWhatTheirIndicesFit() {
    Scorer scorer =
        Scorers.fromClassifier("toy", ScoreKind.LOGIT, CalibratedClassifierTest::toyScores);
    int[] gold = new int[200];
    List<String> dev = texts(200, 4, gold);
    // every seventh label flipped: on rows the model gets all right (or tied) temperature and
    // vector scaling have no maximum-likelihood fit and refuse
    for (int i = 0; i < gold.length; i += 7) {
      gold[i] = 1 - gold[i];
    }
    List<String> names = java.util.Arrays.stream(gold).mapToObj(LABELS::name).toList();
    CalibratedClassifier byIndex =
        CalibratedClassifier.builder(scorer, TEMPLATE)
            .contextual()
            .temperature(dev, gold)
            .vectorScaling(dev, gold)
            .abstainForTargetRisk(0.2, dev, gold)
            .build();
    CalibratedClassifier byName =
        CalibratedClassifier.builder(scorer, TEMPLATE)
            .contextual()
            .temperature(dev, names)
            .vectorScaling(dev, names)
            .abstainForTargetRisk(0.2, dev, names)
            .build();
    assertThat(byName.calibrator()).isEqualTo(byIndex.calibrator());
    assertThat(byName.policy()).isEqualTo(byIndex.policy());
    List<String> wrong = new ArrayList<>(names);
    wrong.set(7, "neutral");
    for (java.util.function.Consumer<CalibratedClassifier.Builder> call :
        List.<java.util.function.Consumer<CalibratedClassifier.Builder>>of(
            b -> b.temperature(dev, wrong),
            b -> b.vectorScaling(dev, wrong),
            b -> b.abstainForTargetRisk(0.2, dev, wrong))) {
      assertThatThrownBy(() -> call.accept(CalibratedClassifier.builder(scorer, TEMPLATE)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "unknown label 'neutral' at position 7; expected one of [negative, positive]");
    }
  }

  @Test
  void threadsGetTheSerialResults() throws Exception {
    Scorer scorer =
        Scorers.fromClassifier("toy", ScoreKind.LOGIT, CalibratedClassifierTest::toyScores);
    CalibratedClassifier clf = CalibratedClassifier.builder(scorer, TEMPLATE).contextual().build();
    int[] gold = new int[100];
    List<String> inputs = texts(100, 3, gold);
    List<Prediction> serial = clf.classifyAll(inputs);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Prediction>>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> clf.classifyAll(inputs)));
      }
      for (Future<List<Prediction>> f : futures) {
        assertThat(f.get()).isEqualTo(serial);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aCalibratorOverOtherLabelsIsRejected() {
    Scorer scorer =
        Scorers.fromClassifier("toy", ScoreKind.LOGIT, CalibratedClassifierTest::toyScores);
    assertThatThrownBy(
            () ->
                CalibratedClassifier.builder(scorer, TEMPLATE)
                    .calibrator(TemperatureScaling.of(LabelSet.of("x", "y"), 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets");
  }
}
