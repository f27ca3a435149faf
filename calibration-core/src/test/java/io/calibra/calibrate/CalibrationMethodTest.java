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
  private static final LabelSet AB = LabelSet.of("a", "b");

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
      out.add(MethodFits.fitOn(m, d));
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
    assertThatThrownBy(() -> CalibrationMethod.VECTOR.read(ABC, Map.of("weights", new double[3])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stage 'vector' has no 'bias' array");
    assertThatThrownBy(() -> CalibrationMethod.TEMPERATURE.write(Calibrator.identity(ABC)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stage is a identity calibrator; expected temperature");
    MethodFit.UnlabelledRows batch =
        CalibrationMethod.BATCH.fitting(MethodFit.UnlabelledRows.class).orElseThrow();
    List<LabelDistribution> mixed =
        List.of(
            data.distribution(0),
            LabelDistribution.normalise(LabelSet.of("x", "y", "z"), new double[] {1, 1, 1}));
    assertThatThrownBy(() -> batch.fit(mixed)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> batch.fit(data.distributions(), FitOptions.defaults().withBins(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch takes no bins; only histogram-binning and scaling-binning do");
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
    // batch calibration is cross-validated as prototypical calibration is: fitted on the
    // training folds' rows without their labels
    MethodSelection.Candidate batch = MethodSelection.Candidate.of(CalibrationMethod.BATCH, null);
    assertThat(batch.fit().apply(data)).isEqualTo(BatchCalibration.fit(data.distributions()));
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

  /**
   * Each method's fitting is typed by the data its registry entry says it is fitted on, and names
   * the method back: the type, not a run-time refusal, says what a fit takes.
   */
  @Test
  void everyMethodsFittingIsTypedByWhatItIsFittedOn() {
    Map<CalibrationMethod.FitsOn, Class<? extends MethodFit>> kinds =
        Map.of(
            CalibrationMethod.FitsOn.NOTHING, MethodFit.Fixed.class,
            CalibrationMethod.FitsOn.LABELLED_ROWS, MethodFit.LabelledRows.class,
            CalibrationMethod.FitsOn.CONTENT_FREE_ROWS, MethodFit.ContentFreeRows.class,
            CalibrationMethod.FitsOn.UNLABELLED_ROWS, MethodFit.UnlabelledRows.class,
            CalibrationMethod.FitsOn.DEMONSTRATIONS, MethodFit.Demonstrations.class,
            CalibrationMethod.FitsOn.SAMPLED_INPUTS, MethodFit.SampledInputs.class,
            CalibrationMethod.FitsOn.STAGES, MethodFit.Stages.class);
    for (CalibrationMethod m : CalibrationMethod.values()) {
      assertThat(m.fitting()).as("%s", m).isInstanceOf(kinds.get(m.fitsOn()));
      assertThat(m.fitting().method()).isSameAs(m);
      assertThat(m.fitting(kinds.get(m.fitsOn())).<Object>map(f -> f)).contains(m.fitting());
      assertThat(m.fitting(MethodFit.Stages.class).isPresent())
          .isEqualTo(m == CalibrationMethod.PIPELINE);
    }
    // the pipeline's fitting joins calibrators fitted each by its own method
    Calibrator t = TemperatureScaling.of(ABC, 2);
    Calibrator joined =
        CalibrationMethod.PIPELINE
            .fitting(MethodFit.Stages.class)
            .orElseThrow()
            .fit(List.of(Calibrator.identity(ABC), t));
    assertThat(joined).isEqualTo(Calibrator.identity(ABC).andThen(t));
    assertThat(CalibrationMethod.PIPELINE.parameterNames()).isEmpty();
    assertThat(CalibrationMethod.SCALING_BINNING.parameterNames())
        .containsExactly("temperature", "counts", "edges", "values");
  }

  /** Settings reach the methods they apply to, and a setting for another method is refused. */
  @Test
  void fitOptionsApplyToTheirMethodsOnly() {
    LabelledSet data = RandomData.labelledSet(ABC, 80, new Random(9));
    MethodFit.LabelledRows vector = MethodFits.labelled(CalibrationMethod.VECTOR);
    assertThat(vector.fit(data, FitOptions.defaults().withLambda(0.5)))
        .isEqualTo(VectorScaling.fit(data, 0.5));
    assertThat(MethodFits.labelled(CalibrationMethod.MATRIX).fit(data))
        .isEqualTo(MatrixScaling.fit(data, MatrixScaling.DEFAULT_LAMBDA));
    MethodFit.UnlabelledRows batch =
        CalibrationMethod.BATCH.fitting(MethodFit.UnlabelledRows.class).orElseThrow();
    assertThat(batch.fit(data.distributions(), FitOptions.defaults().withStrength(0.5)))
        .isEqualTo(BatchCalibration.fit(data.distributions(), 0.5));
    MethodFit.UnlabelledRows prototypical =
        CalibrationMethod.PROTOTYPICAL.fitting(MethodFit.UnlabelledRows.class).orElseThrow();
    assertThat(prototypical.fit(data.distributions(), FitOptions.defaults().withSeed(3)))
        .isEqualTo(PrototypicalCalibration.fit(data.distributions(), 3));
    assertThatThrownBy(
            () ->
                MethodFits.labelled(CalibrationMethod.TEMPERATURE)
                    .fit(data, FitOptions.defaults().withLambda(1)))
        .hasMessage("temperature takes no lambda; only vector and matrix do");
    assertThatThrownBy(
            () ->
                MethodFits.labelled(CalibrationMethod.VECTOR)
                    .fit(data, FitOptions.defaults().withOdir(1, 1)))
        .hasMessage("vector takes no ODIR strengths; only dirichlet do");
    assertThatThrownBy(() -> vector.fit(data, FitOptions.defaults().withSeed(1)))
        .hasMessage("vector takes no seed; only prototypical do");
    assertThatThrownBy(() -> vector.fit(data, FitOptions.defaults().withStrength(1)))
        .hasMessage("vector takes no strength; only batch do");
  }

  /** Dirichlet calibration tells the log the ODIR strengths it chose, or uses the given ones. */
  @Test
  void dirichletTellsTheLogWhatItChose() {
    LabelledSet data = RandomData.labelledSet(ABC, 200, new Random(5));
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    FitOptions.Log log =
        new FitOptions.Log() {
          @Override
          public void warning(String message) {
            warnings.add(message);
          }

          @Override
          public void note(String message) {
            notes.add(message);
          }
        };
    MethodFit.LabelledRows dirichlet = MethodFits.labelled(CalibrationMethod.DIRICHLET);
    Calibrator chosen = dirichlet.fit(data, FitOptions.defaults().withLog(log));
    assertThat(chosen).isEqualTo(DirichletCalibration.fit(data));
    assertThat(notes).singleElement().asString().startsWith("dirichlet: lambda = ");
    notes.clear();
    assertThat(dirichlet.fit(data, FitOptions.defaults().withOdir(0.1, 0.01).withLog(log)))
        .isEqualTo(DirichletCalibration.fit(data, 0.1, 0.01));
    assertThat(notes).isEmpty();
    // an optimiser cut short after one iteration: its warning reaches the log, never silence
    ScalingFit cut = AffineFit.fit(FitData.of(data, "matrix scaling"), ABC, false, 0.0, 1, false);
    assertThat(AffineFit.reportWarning(cut, FitOptions.defaults().withLog(log)))
        .isSameAs(cut.calibrator());
    assertThat(warnings).containsExactly(cut.warning().orElseThrow());
  }

  @Test
  void aCountOfIntMaxIsWholeAndThenFailsTheLengthCheck() {
    Map<String, double[]> p =
        Map.of(
            "counts", new double[] {1, Integer.MAX_VALUE},
            "thresholds", new double[] {0.5, 0.5, 1.0},
            "values", new double[] {0.5, 0.5, 1.0});
    assertThatThrownBy(() -> CalibrationMethod.ISOTONIC.read(AB, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 3 thresholds; expected 2147483648, the sum of the counts");
    Map<String, double[]> over =
        Map.of(
            "counts", new double[] {1, Integer.MAX_VALUE + 1.0},
            "thresholds", new double[] {0.5, 0.5, 1.0},
            "values", new double[] {0.5, 0.5, 1.0});
    assertThatThrownBy(() -> CalibrationMethod.ISOTONIC.read(AB, over))
        .hasMessageContaining("count for label 'b' is 2.147483648E9; expected a whole number >= 1");
  }

  @Test
  void onlyVectorAndMatrixAreRegularised() {
    for (CalibrationMethod m : CalibrationMethod.values()) {
      assertThat(m.isRegularised())
          .as("%s", m)
          .isEqualTo(m == CalibrationMethod.VECTOR || m == CalibrationMethod.MATRIX);
    }
  }

  @Test
  void readRejectsAPcfRuleOnlyWhereThereIsNone() {
    assertThatThrownBy(
            () ->
                CalibrationMethod.TEMPERATURE.read(
                    AB,
                    Map.of("temperature", new double[] {2}),
                    Optional.of(ContextualCalibration.Rule.RAW_MASS)))
        .hasMessageContaining("has a 'pcf' field");
  }

  /**
   * Parameter counts from the formulas in the documentation, hand computed for K = 2, 3 and 4:
   * vector 2K; matrix and Dirichlet K^2 + K; prototypical (K - 1) + K^2 + K * K(K + 1)/2, that is 1
   * + 4 + 6 = 11, 2 + 9 + 18 = 29 and 3 + 16 + 40 = 59; the bias corrections K.
   */
  @Test
  void parameterCountsFollowTheDocumentedFormulas() {
    assertThat(CalibrationMethod.VECTOR.parameterCount(2)).hasValue(4);
    assertThat(CalibrationMethod.VECTOR.parameterCount(3)).hasValue(6);
    assertThat(CalibrationMethod.MATRIX.parameterCount(3)).hasValue(12);
    assertThat(CalibrationMethod.DIRICHLET.parameterCount(4)).hasValue(20);
    assertThat(CalibrationMethod.PROTOTYPICAL.parameterCount(2)).hasValue(11);
    assertThat(CalibrationMethod.PROTOTYPICAL.parameterCount(3)).hasValue(29);
    assertThat(CalibrationMethod.PROTOTYPICAL.parameterCount(4)).hasValue(59);
    assertThat(CalibrationMethod.TEMPERATURE.parameterCount(5)).hasValue(1);
    assertThat(CalibrationMethod.PLATT.parameterCount(2)).hasValue(2);
    assertThat(CalibrationMethod.BETA.parameterCount(2)).hasValue(3);
    assertThat(CalibrationMethod.CONTEXTUAL.parameterCount(3)).hasValue(3);
    assertThat(CalibrationMethod.ISOTONIC.parameterCount(3)).isEmpty();
    assertThatThrownBy(() -> CalibrationMethod.VECTOR.parameterCount(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected at least 2 labels; found 1");
  }

  /**
   * Exactly isotonic regression, histogram binning and prototypical calibration can output
   * probabilities of 0 or 1 by construction, as the method's documentation argues; every other
   * method cannot.
   */
  @Test
  void onlyStepBinAndMixtureMethodsCanOutputCertainty() {
    EnumSet<CalibrationMethod> certain = EnumSet.noneOf(CalibrationMethod.class);
    for (CalibrationMethod m : CalibrationMethod.values()) {
      if (m.canOutputCertainty()) {
        certain.add(m);
      }
    }
    assertThat(certain)
        .containsExactlyInAnyOrder(
            CalibrationMethod.ISOTONIC,
            CalibrationMethod.HISTOGRAM_BINNING,
            CalibrationMethod.PROTOTYPICAL);
  }
}
