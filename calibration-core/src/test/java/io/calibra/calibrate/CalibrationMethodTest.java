package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.RandomData;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sealed calibrator hierarchy, its typed accessors, the identity, and the one method registry
 * {@link CalibrationMethod}.
 */
class CalibrationMethodTest {
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  /**
   * One calibrator of every stage method, fitted through the registry: over three labels, or two
   * for the methods that need two (Platt, beta).
   */
  private static List<Calibrator> everyStage(Random random) {
    LabelSet ab = LabelSet.of("a", "b");
    LabelledSet data = RandomData.labelledSet(ABC, 200, random);
    LabelledSet two = RandomData.labelledSet(ab, 200, random);
    List<Calibrator> out = new ArrayList<>();
    for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
      LabelledSet d = m.appliesTo(ABC) ? data : two;
      List<LabelDistribution> rows = d.distributions().subList(0, 20);
      // leave-one-out fits on labelled demonstration rows
      boolean labelled = m.needsLabels() || m.fitsOn() == CalibrationMethod.FitsOn.DEMONSTRATIONS;
      out.add(labelled ? m.fit(d) : m.fit(d.labels(), rows));
    }
    return out;
  }

  @Test
  void everyStageMethodFitsSavesAndLoadsThroughTheRegistry(
      @org.junit.jupiter.api.io.TempDir Path tmp) {
    List<Calibrator> fitted = everyStage(new Random(3));
    EnumSet<CalibrationMethod> seen = EnumSet.noneOf(CalibrationMethod.class);
    for (Calibrator c : fitted) {
      seen.add(c.kind());
      // write then read gives an equal calibrator, without going through JSON
      Map<String, double[]> saved = c.kind().write(c);
      // batch calibration saves its strength only when it is not 1 (files from before it load)
      List<String> expectedNames =
          c.kind() == CalibrationMethod.BATCH ? List.of("bias") : c.kind().parameterNames();
      assertThat(saved.keySet()).containsExactlyElementsOf(expectedNames);
      assertThat(c.kind().read(c.labels(), saved)).isEqualTo(c);
      // and through a file
      Path file = tmp.resolve(c.kind() + ".json");
      CalibratorFiles.save(c, Provenance.now(c.kind().methodName(), null, null, null), file);
      assertThat(CalibratorFiles.load(file).calibrator()).isEqualTo(c);
      // the deprecated name is derived from the registry
      @SuppressWarnings("deprecation")
      String name = c.method();
      assertThat(name).isEqualTo(c.kind().methodName());
      assertThat(CalibrationMethod.ofName(name)).isSameAs(c.kind());
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(CalibrationMethod.stageMethods());
  }

  @Test
  void typedAccessorsGiveTheParameters() {
    Calibrator.Temperature t = (Calibrator.Temperature) TemperatureScaling.of(ABC, 1.75);
    assertThat(t.temperature()).isEqualTo(1.75);
    Calibrator.Scaling m =
        (Calibrator.Scaling)
            MatrixScaling.of(
                ABC, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new double[] {1, 0, -1});
    assertThat(m.diagonal()).isFalse();
    assertThat(m.weights()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(m.biases()).containsExactly(1, 0, -1);
    m.weights()[0] = 99; // a copy
    assertThat(m.weights()[0]).isEqualTo(1);
    Calibrator.BiasCorrection b =
        (Calibrator.BiasCorrection)
            ContextualCalibration.fromBias(
                ABC, new double[] {0.5, 0.25, 0.25}, ContextualCalibration.Form.SUBTRACTIVE);
    assertThat(b.kind()).isEqualTo(CalibrationMethod.CONTEXTUAL_SUBTRACTIVE);
    assertThat(b.bias().toArray()).containsExactly(0.5, 0.25, 0.25);
    Calibrator pipeline = t.andThen(m).andThen(Calibrator.identity(ABC));
    assertThat(pipeline).isInstanceOf(Calibrator.Pipeline.class);
    assertThat(pipeline.kind()).isEqualTo(CalibrationMethod.PIPELINE);
    assertThat(pipeline.stages()).hasSize(3);
    assertThat(pipeline.stages().get(0)).isSameAs(t);
  }

  /** A pattern over the sealed hierarchy: every calibrator is one of the ten kinds. */
  @Test
  void everyCalibratorIsOneOfTheTenKinds() {
    for (Calibrator c : everyStage(new Random(4))) {
      int kinds =
          (c instanceof Calibrator.Identity ? 1 : 0)
              + (c instanceof Calibrator.BiasCorrection ? 1 : 0)
              + (c instanceof Calibrator.Temperature ? 1 : 0)
              + (c instanceof Calibrator.Scaling ? 1 : 0)
              + (c instanceof Calibrator.Mixture ? 1 : 0)
              + (c instanceof Calibrator.Pipeline ? 1 : 0)
              + (c instanceof Calibrator.Isotonic ? 1 : 0)
              + (c instanceof Calibrator.HistogramBinning ? 1 : 0)
              + (c instanceof Calibrator.ScalingBinning ? 1 : 0)
              + (c instanceof Calibrator.Logistic ? 1 : 0);
      assertThat(kinds).as(c.toString()).isEqualTo(1);
    }
    assertThat(Calibrator.class.isSealed()).isTrue();
  }

  @Test
  void identityReturnsEveryDistributionUnchangedButStillRejectsBadRows() {
    Calibrator id = Calibrator.identity(ABC);
    Random random = new Random(8);
    for (LabelDistribution d : RandomData.labelledSet(ABC, 100, random).distributions()) {
      assertThat(id.apply(d)).isEqualTo(d);
    }
    double[] batch = {0.2, 0.3, 0.5, 1, 0, 0};
    double[] out = new double[6];
    id.applyBatch(batch, out, 2);
    assertThat(out).containsExactly(batch);
    assertThatThrownBy(() -> id.applyInto(new double[] {0.5, Double.NaN, 0.5}, 0, out, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probability for label 'b' (index 1) is NaN");
    assertThat(id).isEqualTo(Calibrator.identity(LabelSet.of("a", "b", "c")));
    assertThat(id).isNotEqualTo(TemperatureScaling.of(ABC, 1.0));
    assertThat(id.toString()).contains("identity");
  }

  @Test
  void theRegistryDescribesWhatEachMethodNeeds() {
    assertThat(CalibrationMethod.TEMPERATURE.needsLabels()).isTrue();
    assertThat(CalibrationMethod.CONTEXTUAL.needsContentFree()).isTrue();
    assertThat(CalibrationMethod.DOMAIN_CONTEXT.needsContentFree()).isTrue();
    assertThat(CalibrationMethod.BATCH.needsLabels()).isFalse();
    assertThat(CalibrationMethod.BATCH.needsContentFree()).isFalse();
    assertThat(CalibrationMethod.PIPELINE.isStage()).isFalse();
    assertThat(CalibrationMethod.stageMethods()).doesNotContain(CalibrationMethod.PIPELINE);
    assertThat(CalibrationMethod.VECTOR.toString()).isEqualTo("vector");
    assertThat(CalibrationMethod.find("contextual-subtractive"))
        .contains(CalibrationMethod.CONTEXTUAL_SUBTRACTIVE);
    assertThat(CalibrationMethod.find("Temperature")).isEmpty();
  }

  @Test
  void wrongUsesOfTheRegistryAreClearErrors() {
    assertThatThrownBy(() -> CalibrationMethod.ofName("venn-abers"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "unknown method 'venn-abers'; expected one of identity, contextual,"
                + " contextual-subtractive, domain-context, batch, leave-one-out, generative,"
                + " temperature, vector, matrix, dirichlet, prototypical, ")
        .hasMessageContaining("isotonic, histogram-binning, scaling-binning, platt, beta");
    assertThatThrownBy(() -> CalibrationMethod.ofName("pipeline"))
        .hasMessageContaining("unknown method 'pipeline'");
    LabelledSet data = RandomData.labelledSet(ABC, 20, new Random(1));
    assertThatThrownBy(() -> CalibrationMethod.CONTEXTUAL.fit(data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("contextual is fitted on content-free rows, not on labelled rows");
    assertThatThrownBy(() -> CalibrationMethod.TEMPERATURE.fit(ABC, data.distributions()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature is fitted on labelled rows, not on unlabelled rows");
    assertThatThrownBy(() -> CalibrationMethod.VECTOR.read(ABC, Map.of("weights", new double[3])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stage 'vector' has no 'bias' array");
    assertThatThrownBy(() -> CalibrationMethod.TEMPERATURE.write(Calibrator.identity(ABC)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stage is a identity calibrator; expected temperature");
    assertThatThrownBy(
            () ->
                CalibrationMethod.BATCH.fit(
                    LabelSet.of("x", "y"), data.distributions().subList(0, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch fitting rows");
  }

  /** MethodSelection's default candidates come from the registry. */
  @Test
  void methodSelectionCandidatesComeFromTheRegistry() {
    LabelledSet data = RandomData.labelledSet(ABC, 60, new Random(2));
    List<String> names =
        MethodSelection.defaultCandidates(ABC, data.distributions().subList(0, 3)).stream()
            .map(MethodSelection.Candidate::name)
            .toList();
    assertThat(names)
        .containsSubsequence(
            "none",
            "temperature",
            "vector",
            "matrix",
            "dirichlet",
            "isotonic",
            "histogram-binning",
            "scaling-binning",
            "prototypical",
            "contextual",
            "contextual+temperature")
        .doesNotContain("platt", "beta"); // three labels: Platt and beta do not apply
    assertThat(
            MethodSelection.defaultCandidates(LabelSet.of("x", "y"), null).stream()
                .map(MethodSelection.Candidate::name)
                .toList())
        .contains("platt", "beta");
    MethodSelection.Candidate t = MethodSelection.Candidate.of(CalibrationMethod.TEMPERATURE, null);
    assertThat(((Calibrator.Temperature) t.fit().apply(data)).temperature())
        .isCloseTo(
            ((Calibrator.Temperature) TemperatureScaling.fit(data)).temperature(), within(0.0));
    assertThatThrownBy(() -> MethodSelection.Candidate.of(CalibrationMethod.CONTEXTUAL, List.of()))
        .hasMessage("contextual needs content-free rows; found none");
    assertThatThrownBy(() -> MethodSelection.Candidate.of(CalibrationMethod.BATCH, null))
        .hasMessage("batch cannot be cross-validated: it is fitted on the rows it calibrates");
  }

  /**
   * The p_cf rule goes through the registry: recorded by the contextual and domain-context stages
   * (absent means normalised), refused by every other bias correction.
   */
  @Test
  void pcfRuleIsReadThroughTheRegistry() {
    Map<String, double[]> bias = Map.of("bias", new double[] {0.2, 0.3, 0.5});
    ContextualCalibration.Rule raw = ContextualCalibration.Rule.RAW_MASS;
    for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
      if (m.hasPcfRule()) {
        assertThat(ContextualCalibration.rule(m.read(ABC, bias, Optional.of(raw)))).contains(raw);
        assertThat(ContextualCalibration.rule(m.read(ABC, bias)))
            .contains(ContextualCalibration.Rule.NORMALISED);
      }
    }
    for (CalibrationMethod m :
        List.of(
            CalibrationMethod.BATCH,
            CalibrationMethod.LEAVE_ONE_OUT,
            CalibrationMethod.GENERATIVE)) {
      assertThat(m.hasPcfRule()).isFalse();
      assertThatThrownBy(() -> m.read(ABC, bias, Optional.of(raw)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("stage '" + m.methodName() + "' has a 'pcf' field");
      Calibrator c = m.read(ABC, bias);
      assertThat(c).isInstanceOf(Calibrator.BiasCorrection.class);
      assertThat(c.kind()).isSameAs(m);
      assertThat(ContextualCalibration.rule(c)).isEmpty();
    }
  }

  /** Leave-one-out and generative cannot be cross-validated by method selection. */
  @Test
  void demonstrationAndSampledInputMethodsAreNotCandidates() {
    assertThatThrownBy(() -> MethodSelection.Candidate.of(CalibrationMethod.LEAVE_ONE_OUT, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fitted on the prompt's demonstrations");
    assertThatThrownBy(() -> MethodSelection.Candidate.of(CalibrationMethod.GENERATIVE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fitted on inputs sampled from the model");
  }
}
