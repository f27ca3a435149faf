package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.RandomData;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
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
import org.junit.jupiter.api.Test;

/** Each calibrator on small inputs with hand-computed expected values, and its input checks. */
class CalibratorsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  private static LabelDistribution p(double a) {
    return LabelDistribution.ofProbabilities(AB, a, 1 - a);
  }

  @Test
  void contextualDiagonalFormDividesByPcfAndRenormalises() {
    // p_cf = mean of (0.8, 0.2) and (0.6, 0.4) = (0.7, 0.3); p = (0.5, 0.5) ->
    // (0.5/0.7, 0.5/0.3) normalised = (0.3, 0.7)
    Calibrator c = ContextualCalibration.fit(List.of(p(0.8), p(0.6)));
    assertThat(c.method()).isEqualTo("contextual");
    assertThat(c.parameters().get("bias")).containsExactly(new double[] {0.7, 0.3}, within(1e-15));
    assertThat(c.apply(p(0.5)).toArray()).containsExactly(new double[] {0.3, 0.7}, within(1e-15));
    assertThat(c.apply(p(0.7)).toArray()).containsExactly(new double[] {0.5, 0.5}, within(1e-15));
  }

  @Test
  void contextualSubtractiveFormIsSoftmaxOfDifference() {
    Calibrator c =
        ContextualCalibration.fit(List.of(p(0.7)), ContextualCalibration.Form.SUBTRACTIVE);
    // p - p_cf = (0.9 - 0.7, 0.1 - 0.3) = (0.2, -0.2): softmax = (e^.2, e^-.2) / sum
    double a = Math.exp(0.2) / (Math.exp(0.2) + Math.exp(-0.2));
    assertThat(c.apply(p(0.9)).toArray()).containsExactly(new double[] {a, 1 - a}, within(1e-15));
    assertThat(c.method()).isEqualTo("contextual-subtractive");
  }

  @Test
  void zeroPcfEntryIsAnErrorNamingTheLabel() {
    assertThatThrownBy(() -> ContextualCalibration.fit(List.of(p(1.0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 'b'")
        .hasMessageContaining("0.0");
  }

  @Test
  void extremeBiasesStayFiniteThroughLogSpaceFallback() {
    // p_cf (1 - 1e-300, 1e-300) and an input (1e-300, 1 - 1e-300): the ratio is huge but finite
    Calibrator c =
        ContextualCalibration.fromBias(
            LabelDistribution.ofLogits(AB, 0, -700), ContextualCalibration.Form.DIAGONAL);
    double[] q = c.apply(LabelDistribution.ofLogits(AB, 0, 700)).toArray();
    assertThat(q).containsExactly(0.0, 1.0);
    double[] r = c.apply(LabelDistribution.ofLogits(AB, 0, -745)).toArray();
    assertThat(r[0] + r[1]).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void temperatureSoftensAndSharpens() {
    // p = (0.8, 0.2), T = 2: (sqrt .8, sqrt .2) normalised = (2/3, 1/3)
    assertThat(TemperatureScaling.of(AB, 2).apply(p(0.8)).toArray())
        .containsExactly(new double[] {2.0 / 3, 1.0 / 3}, within(1e-15));
    // T = 0.5: (.64, .04) normalised = (16/17, 1/17)
    assertThat(TemperatureScaling.of(AB, 0.5).apply(p(0.8)).toArray())
        .containsExactly(new double[] {16.0 / 17, 1.0 / 17}, within(1e-15));
    assertThatThrownBy(() -> TemperatureScaling.of(AB, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature is 0.0");
    assertThatThrownBy(() -> TemperatureScaling.of(AB, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }

  @Test
  void temperatureFitRecoversAKnownTemperature() {
    // Gold labels sampled from softmax(z) while the model reports softmax(2z): T* is near 2.
    Random random = new Random(7);
    List<LabelDistribution> rows = new ArrayList<>();
    int n = 20000;
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      double z = random.nextGaussian() * 2;
      double pa = 1 / (1 + Math.exp(-z));
      gold[i] = random.nextDouble() < pa ? 0 : 1;
      rows.add(LabelDistribution.ofLogits(AB, 2 * z, 0));
    }
    double t =
        TemperatureScaling.fit(LabelledSet.of(rows, gold)).parameters().get("temperature")[0];
    // Near 2 up to sampling noise; exactly, the NLL optimum on these rows is 2.0139229726735586
    // (scipy, replaying java.util.Random: golden/fits/calibrators_test.py).
    assertThat(t).isCloseTo(2.0139229726735586, within(1e-9));
  }

  @Test
  void vectorScalingCorrectsAPerLabelBiasThatTemperatureCannot() {
    // The model adds +1.5 to label a's logit; gold follows the unbiased logits.
    Random random = new Random(11);
    int n = 5000;
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      double z = random.nextGaussian() * 2;
      gold[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 0 : 1;
      rows.add(LabelDistribution.ofLogits(AB, z + 1.5, 0));
    }
    LabelledSet data = LabelledSet.of(rows, gold);
    double temperatureNll = nll(TemperatureScaling.fit(data), data);
    Calibrator vector = VectorScaling.fit(data);
    double vectorNll = nll(vector, data);
    // Reference values: scipy on the same rows (golden/fits/calibrators_test.py replays
    // java.util.Random and minimises the same objective): NLL to 1e-9, probabilities to 1e-6.
    assertThat(temperatureNll).isCloseTo(0.5564668323770017, within(1e-9));
    assertThat(vectorNll).isCloseTo(0.45434104461363006, within(1e-9));
    // b_a - b_b undoes the +1.5 shift: logits (1.5, 0) go back to about even odds.
    assertThat(vector.apply(LabelDistribution.ofLogits(AB, 1.5, 0)).probability(0))
        .isCloseTo(0.5049222779969088, within(1e-6));
    Calibrator matrix = MatrixScaling.fit(data);
    assertThat(nll(matrix, data)).isCloseTo(0.45434725685524446, within(1e-9));
    assertThat(matrix.apply(LabelDistribution.ofLogits(AB, 1.5, 0)).probability(0))
        .isCloseTo(0.5066723729990508, within(1e-6));
  }

  private static double nll(Calibrator c, LabelledSet data) {
    return RandomData.exactNll(LabelledSet.of(c.applyAll(data.distributions()), data.goldArray()));
  }

  @Test
  void fittingRejectsTooFewRowsAndOneClass() {
    LabelledSet one = LabelledSet.of(List.of(p(0.6)), new int[] {0});
    LabelledSet oneClass = LabelledSet.of(List.of(p(0.6), p(0.3), p(0.9)), new int[] {1, 1, 1});
    for (var fit :
        List.<java.util.function.Function<LabelledSet, Calibrator>>of(
            TemperatureScaling::fit, VectorScaling::fit, MatrixScaling::fit)) {
      assertThatThrownBy(() -> fit.apply(one))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 2 labelled rows")
          .hasMessageContaining("found 1");
      assertThatThrownBy(() -> fit.apply(oneClass))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 2 gold classes")
          .hasMessageContaining("'b'");
    }
    assertThatThrownBy(() -> ContextualCalibration.fit(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(
            () -> VectorScaling.fit(LabelledSet.of(List.of(p(.6), p(.3)), new int[] {0, 1}), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1.0");
  }

  @Test
  void calibratorsRejectBadRowsAndOtherLabelSets() {
    Calibrator c = ContextualCalibration.fit(List.of(p(0.7)));
    assertThatThrownBy(() -> c.apply(LabelDistribution.uniform(LabelSet.of("x", "y"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets");
    assertThatThrownBy(() -> c.applyInto(new double[] {0.5, Double.NaN}, 0, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'b'")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> c.applyInto(new double[] {1.5, -0.5}, 0, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> c.applyInto(new double[] {1.0}, 0, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2 probabilities");
    assertThatThrownBy(() -> c.applyBatch(new double[] {0.5, 0.5, 0.2, 0.2}, new double[4], 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1")
        .hasMessageContaining("sum to 0.4");
    assertThatThrownBy(() -> c.andThen(TemperatureScaling.of(LabelSet.of("x", "y"), 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets");
  }

  @Test
  void batchPathEqualsRowPathInPlace() {
    Calibrator c =
        ContextualCalibration.fit(List.of(p(0.7))).andThen(TemperatureScaling.of(AB, 1.7));
    double[] rows = {0.1, 0.9, 0.5, 0.5, 0.99, 0.01};
    double[] expected = new double[6];
    for (int r = 0; r < 3; r++) {
      c.apply(p(rows[2 * r])).copyInto(expected, 2 * r);
    }
    c.applyBatch(rows, rows, 3);
    assertThat(rows).containsExactly(expected, within(1e-15));
  }

  @Test
  void batchCalibrationUsesTheBatchMean() {
    // mean of (0.9, 0.1), (0.5, 0.5) = (0.7, 0.3), same as the contextual example
    Calibrator c = BatchCalibration.fit(List.of(p(0.9), p(0.5)));
    assertThat(c.method()).isEqualTo("batch");
    assertThat(c.apply(p(0.5)).toArray()).containsExactly(new double[] {0.3, 0.7}, within(1e-15));
  }

  @Test
  void onlineBatchCalibrationUpdatesItsEstimate() {
    OnlineBatchCalibration online = BatchCalibration.online(AB, 2);
    // prior: 2 uniform observations, sum (1, 1); after (0.9, 0.1): sum (1.9, 1.1) / 3
    LabelDistribution first = online.update(p(0.9));
    double a = 0.9 / (1.9 / 3);
    double b = 0.1 / (1.1 / 3);
    assertThat(first.probability(0)).isCloseTo(a / (a + b), within(1e-15));
    assertThat(online.count()).isEqualTo(1);
    online.update(p(0.5));
    // sum (2.4, 1.6): bias (0.6, 0.4)
    assertThat(online.snapshot().parameters().get("bias"))
        .containsExactly(new double[] {0.6, 0.4}, within(1e-15));
    assertThatThrownBy(() -> BatchCalibration.online(AB, 0).snapshot())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> BatchCalibration.online(AB, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlineBatchCalibrationIsThreadSafe() throws Exception {
    OnlineBatchCalibration online = BatchCalibration.online(AB, 1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  online.update(p(0.75));
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(online.count()).isEqualTo(8000);
    // sum = (0.5 + 6000, 0.5 + 2000) / 8001
    assertThat(online.snapshot().parameters().get("bias")[0])
        .isCloseTo(6000.5 / 8001, within(1e-12));
  }

  @Test
  void domainContextInputsAreSeededWordsOfMeanLength() {
    List<String> corpus = List.of("a great film", "dull and slow plot", "fine");
    // 8 words over 3 texts: mean length round(2.67) = 3
    List<String> inputs = DomainContextCalibration.contentFreeInputs(corpus, 20, 42);
    assertThat(inputs).hasSize(20);
    List<String> vocabulary = List.of("a", "great", "film", "dull", "and", "slow", "plot", "fine");
    for (String s : inputs) {
      assertThat(s.split(" ")).hasSize(3).allSatisfy(w -> assertThat(vocabulary).contains(w));
    }
    assertThat(DomainContextCalibration.contentFreeInputs(corpus, 20, 42)).isEqualTo(inputs);
    assertThat(DomainContextCalibration.contentFreeInputs(corpus, 20, 43)).isNotEqualTo(inputs);
    assertThatThrownBy(() -> DomainContextCalibration.contentFreeInputs(List.of(" ", ""), 5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void fitThroughAScorerAndTemplate() {
    LabelSet labels = LabelSet.builder().add("negative", " bad").add("positive", " good").build();
    PromptTemplate template =
        PromptTemplate.builder(labels)
            .inputPrefix("Review: ")
            .inputAnswerSeparator("\n")
            .answerPrefix("Sentiment:")
            .build();
    List<String> seen = new ArrayList<>();
    // A model that prefers "positive" by a logit of ln 3 whatever the input: p_cf = (1/4, 3/4)
    Scorer scorer =
        Scorers.fromClassifier(
            "biased",
            ScoreKind.LOGIT,
            text -> {
              seen.add(text);
              return new double[] {0, Math.log(3)};
            });
    Calibrator c = ContextualCalibration.fit(scorer, template);
    assertThat(seen)
        .containsExactly(
            "Review: N/A\nSentiment:", "Review: \nSentiment:", "Review: [MASK]\nSentiment:");
    assertThat(c.parameters().get("bias"))
        .containsExactly(new double[] {0.25, 0.75}, within(1e-15));
    Calibrator dc = DomainContextCalibration.fit(scorer, template, List.of("good movie", "bad"), 3);
    assertThat(seen).hasSize(3 + DomainContextCalibration.DEFAULT_COUNT);
    assertThat(dc.method()).isEqualTo("domain-context");
  }

  @Test
  void calibratorsHaveValueSemantics() {
    assertThat(TemperatureScaling.of(AB, 2))
        .isEqualTo(TemperatureScaling.of(AB, 2))
        .hasSameHashCodeAs(TemperatureScaling.of(AB, 2))
        .isNotEqualTo(TemperatureScaling.of(AB, 3));
    assertThat(TemperatureScaling.of(AB, 2).toString()).contains("temperature=[2.0]");
    Calibrator c = ContextualCalibration.fit(List.of(p(0.7)));
    assertThat(c.andThen(TemperatureScaling.of(AB, 2)))
        .isEqualTo(c.andThen(TemperatureScaling.of(AB, 2)));
    assertThat(c.andThen(c).andThen(c).stages()).hasSize(3);
  }
}
