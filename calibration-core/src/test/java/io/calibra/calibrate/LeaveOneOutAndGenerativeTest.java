package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorers;
import io.calibra.backend.TextSampler;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leave-one-out contextual calibration and generative calibration. Expected values from numpy via
 * scripts/loo_generative_reference.py on the same numbers.
 */
class LeaveOneOutAndGenerativeTest {
  private static final LabelSet AB = LabelSet.of("a", "b");

  static final LabelSet ABC = LabelSet.of("a", "b", "c");
  static final double[][] LOO = {
    {-1.2, -2.3, -3.1},
    {-0.7, -2.9, -2.2},
    {-2.5, -0.9, -1.8},
    {-1.9, -1.4, -0.6},
    {-3.0, -1.1, -2.7}
  };
  static final int[] LOO_LABELS = {0, 0, 1, 2, 1};
  static final double[] TEST = {-1.5, -1.0, -2.0};
  static final double[][] GEN = {
    {-0.4, -1.6, -2.8}, {-2.2, -0.3, -3.3}, {-1.1, -1.2, -1.3}, {-0.9, -2.6, -0.8}
  };

  @TempDir Path tmp;

  static List<LabelDistribution> d(double[][] v) {
    List<LabelDistribution> out = new ArrayList<>();
    for (double[] row : v) {
      out.add(LabelDistribution.ofLogProbabilities(ABC, row));
    }
    return out;
  }

  static void close(double[] actual, double... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(1e-12));
    }
  }

  @Test
  void leaveOneOutBiasIsClassBalancedAsTheReference() {
    Calibrator c = LeaveOneOutCalibration.fit(d(LOO), LOO_LABELS);
    assertThat(c.method()).isEqualTo("leave-one-out");
    close(c.parameters().get("bias"), 0.32949565526490754, 0.3651944430142419, 0.30530990172085054);
    close(
        c.apply(LabelDistribution.ofLogProbabilities(ABC, TEST)).toArray(),
        0.3182552129991383,
        0.47342185080861776,
        0.208322936192244);
    // the plain mean differs: the balancing matters on these numbers
    assertThat(ContextualCalibration.estimateBias(d(LOO)).probability(2))
        .isCloseTo(0.25021847118707385, within(1e-12));
  }

  @Test
  void generativeBiasAsTheReference() {
    Calibrator c = GenerativeCalibration.fit(d(GEN));
    assertThat(c.method()).isEqualTo("generative");
    close(c.parameters().get("bias"), 0.41184993938305897, 0.36556102253527806, 0.222589038081663);
    close(
        c.apply(LabelDistribution.ofLogProbabilities(ABC, TEST)).toArray(),
        0.2512729932582583,
        0.46673694278139577,
        0.28199006396034604);
  }

  static PromptTemplate template() {
    return PromptTemplate.builder(ABC)
        .instruction("Classify.\n\n")
        .inputPrefix("Q: ")
        .inputAnswerSeparator("\n")
        .answerPrefix("A:")
        .demonstrationSeparator("\n\n")
        .demonstration("one", "a")
        .demonstration("two", "a")
        .demonstration("three", "b")
        .build();
  }

  @Test
  void leaveOneOutPromptsLeaveOutEachDemonstrationAndAskAboutIt() {
    // hand written from the template's layout
    assertThat(LeaveOneOutCalibration.prompts(template()))
        .containsExactly(
            "Classify.\n\nQ: two\nA:a\n\nQ: three\nA:b\n\nQ: one\nA:",
            "Classify.\n\nQ: one\nA:a\n\nQ: three\nA:b\n\nQ: two\nA:",
            "Classify.\n\nQ: one\nA:a\n\nQ: two\nA:a\n\nQ: three\nA:");
    assertThat(LeaveOneOutCalibration.demonstrationLabels(template())).containsExactly(0, 0, 1);
    // a scorer whose scores are the LOO numbers, looked up by prompt
    List<String> prompts = LeaveOneOutCalibration.prompts(template());
    Map<String, double[]> table =
        Map.of(prompts.get(0), LOO[0], prompts.get(1), LOO[1], prompts.get(2), LOO[2]);
    var scorer = Scorers.fromClassifier("table", ScoreKind.LOG_PROBABILITY, table::get);
    Calibrator viaScorer = LeaveOneOutCalibration.fit(scorer, template());
    Calibrator direct =
        LeaveOneOutCalibration.fit(d(new double[][] {LOO[0], LOO[1], LOO[2]}), new int[] {0, 0, 1});
    assertThat(viaScorer).isEqualTo(direct);
  }

  @Test
  void generativeSamplesAfterTheInputSlotAndStopsAtTheSeparator() {
    assertThat(GenerativeCalibration.inputSlotPrefix(template()))
        .isEqualTo("Classify.\n\nQ: one\nA:a\n\nQ: two\nA:a\n\nQ: three\nA:b\n\nQ: ");
    List<String> asked = new ArrayList<>();
    TextSampler sampler =
        (prompt, stop, maxTokens, count, seed) -> {
          asked.add(prompt + "|" + stop + "|" + maxTokens + "|" + count + "|" + seed);
          List<String> out = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            out.add("s" + i);
          }
          return out;
        };
    Map<String, double[]> table = new java.util.HashMap<>();
    for (int i = 0; i < GEN.length; i++) {
      table.put(template().render("s" + i), GEN[i]);
    }
    var scorer = Scorers.fromClassifier("table", ScoreKind.LOG_PROBABILITY, table::get);
    Calibrator c = GenerativeCalibration.fit(scorer, sampler, template(), 4, 7, 42);
    assertThat(asked)
        .containsExactly(GenerativeCalibration.inputSlotPrefix(template()) + "|\n|7|4|42");
    assertThat(c).isEqualTo(GenerativeCalibration.fit(d(GEN)));
  }

  @Test
  void bothRoundTripThroughAFile() {
    for (Calibrator c :
        List.of(
            LeaveOneOutCalibration.fit(d(LOO), LOO_LABELS), GenerativeCalibration.fit(d(GEN)))) {
      Path f = tmp.resolve("c.json");
      CalibratorFiles.save(c, Provenance.now(c.method(), null, null, null), f);
      assertThat(CalibratorFiles.load(f).calibrator()).isEqualTo(c);
      assertThat(ContextualCalibration.rule(CalibratorFiles.load(f).calibrator())).isEmpty();
    }
  }

  @Test
  void errors() {
    PromptTemplate one = PromptTemplate.builder(ABC).demonstration("x", "a").build();
    assertThatThrownBy(() -> LeaveOneOutCalibration.prompts(one))
        .hasMessageContaining("needs a template with at least 2 demonstrations; found 1");
    assertThatThrownBy(() -> LeaveOneOutCalibration.fit(d(LOO), new int[] {0, 1}))
        .hasMessageContaining("expected one label per distribution");
    assertThatThrownBy(() -> LeaveOneOutCalibration.fit(d(LOO), new int[] {0, 1, 2, 3, 0}))
        .hasMessageContaining("has label index 3; expected 0..2");
    assertThatThrownBy(() -> LeaveOneOutCalibration.fit(List.of(), new int[0]))
        .hasMessageContaining("leave-one-out calibration needs at least one distribution");
    TextSampler none = (p, s, m, c, seed) -> List.of();
    assertThatThrownBy(() -> GenerativeCalibration.sampleInputs(none, template(), 0, 5, 1))
        .hasMessageContaining("samples 0 inputs; expected at least 1");
    assertThatThrownBy(() -> GenerativeCalibration.sampleInputs(none, template(), 3, 0, 1))
        .hasMessageContaining("token limit is 0; expected at least 1");
    assertThatThrownBy(() -> GenerativeCalibration.sampleInputs(none, template(), 3, 5, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the sampler returned 0 inputs; expected 3");
    assertThatThrownBy(() -> GenerativeCalibration.fit(List.of()))
        .hasMessageContaining("generative calibration needs at least one distribution");
  }

  @Test
  void generativeAndLeaveOneOutSmallestAcceptedSizes() {
    PromptTemplate two =
        PromptTemplate.builder(AB)
            .inputAnswerSeparator("\n")
            .demonstration("x", "a")
            .demonstration("y", "b")
            .build();
    assertThat(LeaveOneOutCalibration.prompts(two)).hasSize(2);
    io.calibra.backend.TextSampler sampler = (p, s, max, count, seed) -> List.of("z");
    assertThat(GenerativeCalibration.sampleInputs(sampler, two, 1, 1, 5)).containsExactly("z");
  }
}
