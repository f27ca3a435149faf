package io.calibra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.DirichletCalibration;
import io.calibra.calibrate.DomainContextCalibration;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.calibrate.MethodSelection;
import io.calibra.calibrate.PrototypicalCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Metrics;
import io.calibra.metrics.MetricsAccumulator;
import io.calibra.selective.RiskCoverage;
import io.calibra.selective.SelectivePolicy;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One exception convention over the public API (docs/errors.md): a null argument is a
 * NullPointerException (guava-testlib's NullPointerTester calls every public method with each
 * non-primitive argument null in turn), a bad index an IndexOutOfBoundsException, and value types
 * obey equals/hashCode (EqualsTester).
 */
class ApiConventionTest {
  private static final LabelSet AB =
      LabelSet.builder().add("a", " alpha").add("b", " beta").build();
  private static final LabelDistribution P = LabelDistribution.ofProbabilities(AB, 0.3, 0.7);
  private static final LabelledSet DATA = RandomData.labelledSet(AB, 40, new Random(1));

  private static NullPointerTester tester() {
    NullPointerTester t = new NullPointerTester();
    t.setDefault(LabelSet.class, AB);
    t.setDefault(LabelDistribution.class, P);
    t.setDefault(LabelledSet.class, DATA);
    t.setDefault(Calibrator.class, TemperatureScaling.of(AB, 2));
    t.setDefault(List.class, List.of(P, P));
    t.setDefault(ContextualCalibration.Form.class, ContextualCalibration.Form.DIAGONAL);
    t.setDefault(CalibrationMethod.class, CalibrationMethod.TEMPERATURE);
    t.setDefault(ScoreKind.class, ScoreKind.LOGIT);
    t.setDefault(
        io.calibra.prompt.PromptTemplate.class, io.calibra.prompt.PromptTemplate.identity(AB));
    t.setDefault(double[].class, new double[] {0.5, 0.5});
    t.setDefault(int[].class, new int[] {0, 1});
    t.setDefault(io.calibra.calibrate.FitOptions.class, io.calibra.calibrate.FitOptions.defaults());
    t.setDefault(io.calibra.calibrate.FitControl.class, io.calibra.calibrate.FitControl.DEFAULT);
    t.setDefault(
        io.calibra.calibrate.FitOptions.Log.class, io.calibra.calibrate.FitOptions.Log.NONE);
    t.setDefault(ContextualCalibration.Rule.class, ContextualCalibration.Rule.NORMALISED);
    return t;
  }

  @Test
  void nullArgumentsAreNullPointerExceptions() throws Exception {
    NullPointerTester t = tester();
    List<String> failures = new java.util.ArrayList<>();
    // documented as accepting null: "contentFree ... when given (not null or empty)"
    t.ignore(MethodSelection.class.getMethod("defaultCandidates", LabelSet.class, List.class));
    t.ignore(MethodSelection.Candidate.class.getMethod("of", CalibrationMethod.class, List.class));
    for (Class<?> c :
        List.of(
            LabelSet.class,
            LabelDistribution.class,
            LabelledSet.class,
            LabelScores.class,
            Calibrator.class,
            CalibrationMethod.class,
            TemperatureScaling.class,
            VectorScaling.class,
            MatrixScaling.class,
            ContextualCalibration.class,
            BatchCalibration.class,
            DirichletCalibration.class,
            PrototypicalCalibration.class,
            DomainContextCalibration.class,
            MethodSelection.class,
            Metrics.class,
            SelectivePolicy.class,
            RiskCoverage.class)) {
      for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
        if (java.lang.reflect.Modifier.isStatic(m.getModifiers())
            && java.lang.reflect.Modifier.isPublic(m.getModifiers())
            && !m.isSynthetic()
            && !m.getName().equals("defaultCandidates")) {
          check(failures, () -> t.testMethod(null, m));
        }
      }
    }
    // the numeric kernels of Probabilities are not API; its checks are
    check(
        failures,
        () ->
            t.testMethod(
                null,
                Probabilities.class.getMethod("checkRow", List.class, double[].class, int.class)));
    check(
        failures,
        () ->
            t.testMethod(
                null,
                Probabilities.class.getMethod("checkDistribution", List.class, double[].class)));
    List<Object> instances =
        List.of(
            AB,
            P,
            DATA,
            LabelScores.of(AB, ScoreKind.LOGIT, 1, 2),
            Calibrator.identity(AB),
            TemperatureScaling.of(AB, 2),
            VectorScaling.of(AB, new double[] {1, 2}, new double[] {0, 1}),
            MatrixScaling.of(AB, new double[] {1, 0, 0, 1}, new double[] {0, 1}),
            ContextualCalibration.fromBias(P, ContextualCalibration.Form.DIAGONAL),
            ContextualCalibration.fromBias(P, ContextualCalibration.Form.SUBTRACTIVE),
            BatchCalibration.fromBias(P),
            BatchCalibration.fromBias(AB, P.toArray(), 0.5),
            DirichletCalibration.of(AB, new double[] {1, 0, 0, 1}, new double[] {0, 1}),
            PrototypicalCalibration.of(
                AB,
                new double[] {0.5, 0.5},
                new double[] {-0.1, -2, -2, -0.1},
                new double[] {1, 0, 0, 1, 1, 0, 0, 1}),
            TemperatureScaling.of(AB, 2).andThen(Calibrator.identity(AB)),
            CalibrationMethod.VECTOR,
            io.calibra.calibrate.FitOptions.defaults(),
            CalibrationMethod.IDENTITY.fitting(),
            CalibrationMethod.TEMPERATURE.fitting(),
            CalibrationMethod.CONTEXTUAL.fitting(),
            CalibrationMethod.BATCH.fitting(),
            CalibrationMethod.LEAVE_ONE_OUT.fitting(),
            CalibrationMethod.GENERATIVE.fitting(),
            CalibrationMethod.PIPELINE.fitting(),
            new MetricsAccumulator(AB),
            SelectivePolicy.threshold(0.5));
    for (Object o : instances) {
      check(failures, () -> t.testAllPublicInstanceMethods(o));
    }
    assertThat(failures).isEmpty();
  }

  private interface Check {
    void run() throws Exception;
  }

  private static void check(List<String> failures, Check check) {
    try {
      check.run();
    } catch (AssertionError | Exception e) {
      failures.add(e.getMessage());
    }
  }

  @Test
  void badIndicesAreIndexOutOfBounds() {
    LabelScores scores = LabelScores.of(AB, ScoreKind.LOGIT, 1, 2);
    for (int bad : new int[] {-1, 2, Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> scores.score(bad))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessage("label index " + bad + " out of range; expected 0..1");
      assertThatThrownBy(() -> P.probability(bad))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessage("label index " + bad + " out of range; expected 0..1");
      assertThatThrownBy(() -> AB.name(bad)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> AB.words(bad)).isInstanceOf(IndexOutOfBoundsException.class);
    }
    assertThatThrownBy(() -> DATA.gold(40))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("row 40 out of range; expected 0..39");
    assertThatThrownBy(() -> DATA.distribution(-1))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("row -1 out of range; expected 0..39");
    assertThatThrownBy(() -> DATA.goldName(40)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void valueTypesHaveValueEquality() {
    LabelSet ab2 = LabelSet.builder().add("a", " alpha").add("b", " beta").build();
    new EqualsTester()
        .addEqualityGroup(AB, ab2)
        .addEqualityGroup(LabelSet.of("a", "b"))
        .addEqualityGroup(LabelSet.builder().add("a", " alpha").add("b", " beta", " bravo").build())
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(P, LabelDistribution.ofProbabilities(ab2, 0.3, 0.7))
        .addEqualityGroup(LabelDistribution.ofProbabilities(AB, 0.7, 0.3))
        .addEqualityGroup(LabelDistribution.ofProbabilities(LabelSet.of("a", "b"), 0.3, 0.7))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(DATA, LabelledSet.of(DATA.distributions(), DATA.goldArray()))
        .addEqualityGroup(LabelledSet.of(List.of(P), new int[] {0}))
        .addEqualityGroup(LabelledSet.of(List.of(P), new int[] {1}))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(Calibrator.identity(AB), Calibrator.identity(ab2))
        .addEqualityGroup(TemperatureScaling.of(AB, 1.0), TemperatureScaling.of(ab2, 1.0))
        .addEqualityGroup(TemperatureScaling.of(AB, 2.0))
        .addEqualityGroup(VectorScaling.of(AB, new double[] {1, 2}, new double[] {0, 1}))
        .addEqualityGroup(
            MatrixScaling.of(AB, new double[] {1, 0, 0, 1}, new double[] {0, 1}),
            MatrixScaling.of(ab2, new double[] {1, 0, 0, 1}, new double[] {0, 1}))
        .addEqualityGroup(
            ContextualCalibration.fromBias(P, ContextualCalibration.Form.DIAGONAL),
            ContextualCalibration.fit(List.of(P)))
        .addEqualityGroup(ContextualCalibration.fromBias(P, ContextualCalibration.Form.SUBTRACTIVE))
        .addEqualityGroup(
            BatchCalibration.fromBias(P), BatchCalibration.fromBias(AB, P.toArray(), 1))
        .addEqualityGroup(
            BatchCalibration.fromBias(AB, P.toArray(), 0.5),
            BatchCalibration.fromBias(ab2, P.toArray(), 0.5))
        .addEqualityGroup(
            DirichletCalibration.of(AB, new double[] {1, 0, 0, 1}, new double[] {0, 1}),
            DirichletCalibration.of(ab2, new double[] {1, 0, 0, 1}, new double[] {0, 1}))
        .addEqualityGroup(
            PrototypicalCalibration.of(
                AB,
                new double[] {0.5, 0.5},
                new double[] {-0.1, -2, -2, -0.1},
                new double[] {1, 0, 0, 1, 1, 0, 0, 1}),
            PrototypicalCalibration.of(
                ab2,
                new double[] {0.5, 0.5},
                new double[] {-0.1, -2, -2, -0.1},
                new double[] {1, 0, 0, 1, 1, 0, 0, 1}))
        .addEqualityGroup(
            PrototypicalCalibration.of(
                AB,
                new double[] {0.25, 0.75},
                new double[] {-0.1, -2, -2, -0.1},
                new double[] {1, 0, 0, 1, 1, 0, 0, 1}))
        .addEqualityGroup(DomainContextCalibration.fromBias(P))
        .addEqualityGroup(
            TemperatureScaling.of(AB, 2.0).andThen(Calibrator.identity(AB)),
            TemperatureScaling.of(ab2, 2.0).andThen(Calibrator.identity(ab2)))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(
            new SelectivePolicy(0.5, 0.25, 0.125), new SelectivePolicy(0.5, 0.25, 0.125))
        .addEqualityGroup(SelectivePolicy.threshold(0.5))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(
            LabelScores.of(AB, ScoreKind.LOGIT, 1, 2), LabelScores.of(ab2, ScoreKind.LOGIT, 1, 2))
        .addEqualityGroup(LabelScores.of(AB, ScoreKind.LOGIT, 2, 1))
        .testEquals();
    assertThat(Calibrator.identity(AB).hashCode()).isEqualTo(Calibrator.identity(ab2).hashCode());
  }
}
