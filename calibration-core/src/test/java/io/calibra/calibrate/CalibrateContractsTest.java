package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contracts of the calibrate package's small pieces: validation that must name the wrong input
 * (a label set of the same size with other names, a bias that is not a distribution, a wrong
 * width), boundaries that must be accepted, and the value methods (equals, hashCode, toString,
 * parameters) of pipelines and identity. Expected values are hand computed unless stated.
 */
class CalibrateContractsTest {
  private static final LabelSet AB = LabelSet.of("a", "b");
  private static final LabelSet XY = LabelSet.of("x", "y");
  private static final LabelSet ABC = LabelSet.of("a", "b", "c");

  private static LabelDistribution d(LabelSet labels, double... p) {
    return LabelDistribution.ofProbabilities(labels, p);
  }

  // ---- label sets of the same size but other names are refused, naming both ----

  @Test
  void sameSizeOtherNamesIsRefusedEverywhere() {
    LabelDistribution ab = d(AB, 0.4, 0.6);
    LabelDistribution xy = d(XY, 0.4, 0.6);
    assertThatThrownBy(() -> BatchCalibration.fit(List.of(ab, xy)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for batch calibration distribution 1")
        .hasMessageContaining("[a, b]")
        .hasMessageContaining("[x, y]");
    assertThatThrownBy(() -> Calibrator.identity(AB).apply(xy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for identity calibration input");
    OnlineBatchCalibration online = BatchCalibration.online(AB, 1.0);
    assertThatThrownBy(() -> online.update(xy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for online batch calibration input");
    assertThat(online.count()).isZero();
    LabelScores sAb = LabelScores.of(AB, ScoreKind.LOG_PROBABILITY, Math.log(0.4), Math.log(0.6));
    LabelScores sXy = LabelScores.of(XY, ScoreKind.LOG_PROBABILITY, Math.log(0.4), Math.log(0.6));
    assertThatThrownBy(
            () ->
                ContextualCalibration.estimateBias(
                    List.of(sAb, sXy), ContextualCalibration.Rule.RAW_MASS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for contextual calibration score 1");
    assertThatThrownBy(() -> LeaveOneOutCalibration.fit(List.of(ab, xy, ab), new int[] {0, 1, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for leave-one-out distribution 1");
    assertThatThrownBy(() -> MethodSelection.defaultCandidatesFromScores(AB, List.of(sXy)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mismatched label sets for content-free score");
  }

  // ---- bias vectors must be distributions ----

  @Test
  void aBiasThatIsNotADistributionIsRefused() {
    // 0.5 + 0.7 = 1.2: every entry is in (0, 1], only the sum is wrong
    assertThatThrownBy(() -> BatchCalibration.fromBias(AB, new double[] {0.5, 0.7}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probabilities sum to 1.2");
    assertThatThrownBy(
            () ->
                ContextualCalibration.fromBias(
                    AB,
                    new double[] {0.5, 0.7},
                    ContextualCalibration.Form.SUBTRACTIVE,
                    ContextualCalibration.Rule.NORMALISED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probabilities sum to 1.2");
  }

  // ---- diagonal bias correction: strength boundaries and the log-space path with gamma != 1 ----

  @Test
  void batchStrengthZeroAndTheMaximumAreAccepted() {
    // gamma = 0: q = normalise(p / bias^0) = p
    Calibrator none = BatchCalibration.fromBias(AB, new double[] {0.2, 0.8}, 0.0);
    assertThat(none.apply(d(AB, 0.3, 0.7)).toArray()).containsExactly(0.3, 0.7);
    assertThat(((Calibrator.BiasCorrection) none).strength()).isEqualTo(0.0);
    Calibrator max =
        BatchCalibration.fromBias(AB, new double[] {0.2, 0.8}, Calibrator.MAX_PARAMETER_MAGNITUDE);
    assertThat(((Calibrator.BiasCorrection) max).strength())
        .isEqualTo(Calibrator.MAX_PARAMETER_MAGNITUDE);
    assertThatThrownBy(
            () ->
                BatchCalibration.fromBias(
                    AB, new double[] {0.2, 0.8}, Math.nextUp(Calibrator.MAX_PARAMETER_MAGNITUDE)))
        .hasMessageContaining("strength (gamma) is");
  }

  /**
   * Bias (1e-320, .5, .5), gamma 2, row (1e-320, 1, 0): every product underflows, so the log-space
   * path runs: q is proportional to p / bias^2 = (1e-320 / 1e-640, 1 / .25, 0) = (1e320, 4, 0),
   * hence q = (1, 4e-320, 0) up to subnormal rounding (hand computed). Dropping gamma in log space
   * would give softmax(0, log 2, -inf) = (1/3, 2/3, 0).
   */
  @Test
  void logSpacePathAppliesTheStrength() {
    Calibrator c = BatchCalibration.fromBias(ABC, new double[] {1e-320, 0.5, 0.5}, 2.0);
    double[] out = new double[3];
    c.applyInto(new double[] {1e-320, 1, 0}, 0, out, 0);
    assertThat(out[0]).isEqualTo(1.0);
    assertThat(out[1]).isGreaterThan(3e-320).isLessThan(5e-320);
    assertThat(out[2]).isEqualTo(0.0);
  }

  /**
   * A uniform bias makes every factor min/bias_i exactly 1, so the direct path returns the row
   * bit-for-bit (each row's two doubles sum to exactly 1, asserted, so the normaliser is 1). The
   * log-space path (log p - log bias, then softmax) rounds: for 0.1 it gives 0.10000000000000002.
   */
  @Test
  void uniformBiasReturnsTheRowBitForBit() {
    Calibrator c = BatchCalibration.fromBias(AB, new double[] {0.5, 0.5});
    double[][] rows = {{0.3, 0.7}, {0.1, 0.9}, {0.375, 0.625}, {0.123, 0.877}, {0.01, 0.99}};
    for (double[] row : rows) {
      assertThat(row[0] + row[1]).as("row %s sums to exactly one", row[0]).isEqualTo(1.0);
      double[] out = new double[2];
      c.applyInto(row, 0, out, 0);
      assertThat(out).as("row %s", java.util.Arrays.toString(row)).containsExactly(row);
    }
  }

  @Test
  void biasAccessorsReturnTheEstimateAndDefaultStrength() {
    Calibrator.BiasCorrection diag =
        (Calibrator.BiasCorrection) BatchCalibration.fromBias(AB, new double[] {0.25, 0.75});
    assertThat(diag.bias()).isEqualTo(d(AB, 0.25, 0.75));
    Calibrator.BiasCorrection sub =
        (Calibrator.BiasCorrection)
            ContextualCalibration.fromBias(
                AB,
                new double[] {0.25, 0.75},
                ContextualCalibration.Form.SUBTRACTIVE,
                ContextualCalibration.Rule.NORMALISED);
    // the interface's documented default: 1 for every method but batch with another strength
    assertThat(sub.strength()).isEqualTo(1.0);
  }

  // ---- fromBias factories ----

  @Test
  void fromBiasFactoriesBuildTheirMethod() {
    LabelDistribution bias = d(AB, 0.25, 0.75);
    Calibrator batch = BatchCalibration.fromBias(bias);
    assertThat(batch.kind()).isEqualTo(CalibrationMethod.BATCH);
    // q = normalise(p / bias) = normalise(.5/.25, .5/.75) = normalise(2, 2/3) = (.75, .25)
    assertThat(batch.apply(d(AB, 0.5, 0.5)).toArray())
        .containsExactly(new double[] {0.75, 0.25}, within(1e-15));
    Calibrator domain = DomainContextCalibration.fromBias(bias);
    assertThat(domain.kind()).isEqualTo(CalibrationMethod.DOMAIN_CONTEXT);
    assertThat(((Calibrator.BiasCorrection) domain).bias()).isEqualTo(bias);
    Calibrator domainArray = DomainContextCalibration.fromBias(AB, new double[] {0.25, 0.75});
    assertThat(domainArray).isEqualTo(domain);
    assertThat(ContextualCalibration.rule(domainArray))
        .contains(ContextualCalibration.Rule.NORMALISED);
  }

  // ---- identity ----

  @Test
  void identityCopiesIntoAnotherArrayAndItsParametersAreAFreshMap() {
    Calibrator id = Calibrator.identity(ABC);
    double[] in = {0.9, 0.2, 0.3, 0.5, 0.2};
    double[] out = new double[5];
    id.applyInto(in, 2, out, 1);
    assertThat(out).containsExactly(0, 0.3, 0.5, 0.2, 0);
    double[] sameOffset = new double[3];
    id.applyInto(new double[] {0.2, 0.3, 0.5}, 0, sameOffset, 0);
    assertThat(sameOffset).containsExactly(0.2, 0.3, 0.5);
    double[] shared = {0.2, 0.3, 0.5, 0, 0, 0}; // one array, another offset
    id.applyInto(shared, 0, shared, 3);
    assertThat(shared).containsExactly(0.2, 0.3, 0.5, 0.2, 0.3, 0.5);
    // in place is a no-op
    id.applyInto(in, 2, in, 2);
    assertThat(in).containsExactly(0.9, 0.2, 0.3, 0.5, 0.2);
    Map<String, double[]> p = id.parameters();
    assertThat(p).isEmpty();
    // parameters() is a copy the caller owns, as for every other calibrator
    p.put("x", new double[] {1});
    assertThat(id.parameters()).isEmpty();
  }

  // ---- pipelines ----

  @Test
  void pipelineAppliesEveryStageInOrderAndIsAValue() {
    Calibrator batch = BatchCalibration.fromBias(AB, new double[] {0.25, 0.75});
    Calibrator temperature = TemperatureScaling.of(AB, 2.0);
    Calibrator pipe = batch.andThen(temperature);
    LabelDistribution p = d(AB, 0.5, 0.5);
    // batch: (.75, .25); temperature 2: softmax(log(.75)/2, log(.25)/2) = (sqrt .75, sqrt .25)
    // normalised = (.8660254, .5) / 1.3660254 (hand computed)
    double s = Math.sqrt(0.75) + 0.5;
    assertThat(pipe.apply(p).toArray())
        .containsExactly(new double[] {Math.sqrt(0.75) / s, 0.5 / s}, within(1e-15));
    double[] out = new double[2];
    pipe.applyInto(new double[] {0.5, 0.5}, 0, out, 0);
    assertThat(out).containsExactly(new double[] {Math.sqrt(0.75) / s, 0.5 / s}, within(1e-15));

    Calibrator same =
        BatchCalibration.fromBias(AB, new double[] {0.25, 0.75})
            .andThen(TemperatureScaling.of(AB, 2.0));
    Calibrator other = batch.andThen(TemperatureScaling.of(AB, 3.0));
    assertThat(pipe).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
    assertThat(pipe).isNotEqualTo(batch);
    assertThat(pipe.hashCode()).isEqualTo(List.of(batch, temperature).hashCode());
    assertThat(pipe.toString()).isEqualTo("Pipeline" + List.of(batch, temperature));
    assertThat(pipe.parameters()).isEmpty();
    Map<String, double[]> params = pipe.parameters();
    params.put("x", new double[] {1});
    assertThat(pipe.parameters()).isEmpty();
  }

  // ---- hash codes spread (not required by the contract, but a constant hash is a defect) ----

  @Test
  void hashCodesOfDifferentCalibratorsDiffer() {
    Set<Integer> hashes = new HashSet<>();
    for (int i = 1; i <= 10; i++) {
      hashes.add(TemperatureScaling.of(AB, i * 0.5).hashCode());
    }
    assertThat(hashes).hasSizeGreaterThan(1);
    Calibrator raw =
        ContextualCalibration.fromBias(
            AB,
            new double[] {0.25, 0.75},
            ContextualCalibration.Form.DIAGONAL,
            ContextualCalibration.Rule.RAW_MASS);
    Calibrator normalised =
        ContextualCalibration.fromBias(
            AB,
            new double[] {0.25, 0.75},
            ContextualCalibration.Form.DIAGONAL,
            ContextualCalibration.Rule.NORMALISED);
    assertThat(raw).isNotEqualTo(normalised);
    assertThat(raw.hashCode()).isNotEqualTo(normalised.hashCode());
  }

  // ---- online batch ----

  @Test
  void onlineBatchPriorBoundariesLabelsAndToString() {
    OnlineBatchCalibration zero = BatchCalibration.online(AB, 0.0);
    assertThat(zero.labels()).isEqualTo(AB);
    assertThat(zero.toString()).isEqualTo("OnlineBatchCalibration{labels=[a, b], rows=0}");
    zero.update(d(AB, 0.25, 0.75));
    assertThat(zero.toString()).isEqualTo("OnlineBatchCalibration{labels=[a, b], rows=1}");
    assertThatThrownBy(() -> BatchCalibration.online(AB, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priorStrength is Infinity; expected a finite value >= 0");
    assertThatThrownBy(() -> BatchCalibration.online(AB, -Double.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a finite value >= 0");
    // the largest finite prior is accepted
    assertThat(BatchCalibration.online(AB, Double.MAX_VALUE).count()).isZero();
  }

  // ---- temperature checks ----

  @Test
  void temperatureBoundaries() {
    assertThatThrownBy(() -> TemperatureScaling.of(AB, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature is Infinity; expected a finite value > 0");
    assertThatThrownBy(() -> TemperatureScaling.of(AB, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature is 0.0; expected a finite value > 0");
    // the smallest accepted temperature (its inverse is just under 1e300: no double T has 1/T equal
    // to 1e300 exactly) is accepted, the next smaller one is not
    double t = 1.0 / Calibrator.MAX_PARAMETER_MAGNITUDE;
    while (1.0 / t > Calibrator.MAX_PARAMETER_MAGNITUDE) {
      t = Math.nextUp(t);
    }
    while (1.0 / Math.nextDown(t) <= Calibrator.MAX_PARAMETER_MAGNITUDE) {
      t = Math.nextDown(t);
    }
    double smallest = t;
    // 1/T is monotone in T: the smallest accepted T's inverse is below 1e300 and the next smaller
    // T's above it, so no T has 1/T == 1e300 exactly
    assertThat(1.0 / smallest).isLessThan(Calibrator.MAX_PARAMETER_MAGNITUDE);
    assertThat(1.0 / Math.nextDown(smallest)).isGreaterThan(Calibrator.MAX_PARAMETER_MAGNITUDE);
    assertThat(((Calibrator.Temperature) TemperatureScaling.of(AB, smallest)).temperature())
        .isEqualTo(smallest);
    assertThatThrownBy(() -> TemperatureScaling.of(AB, Math.nextDown(smallest)))
        .hasMessageContaining("expected a value >= 1e-300");
  }

  // ---- scaling-binning checks ----

  @Test
  void scalingBinningChecksWidthsAndEdges() {
    double[][] edges = {{0.5, 1.0}, {0.5, 1.0}};
    double[][] values = {{0.2, 0.8}, {0.2, 0.8}};
    double[][] three = {{0.5, 1.0}, {0.5, 1.0}, {0.5, 1.0}};
    assertThatThrownBy(() -> ScalingBinning.of(AB, 1.0, three, values))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaling-binning has edges for 3 labels; expected 2");
    assertThatThrownBy(() -> ScalingBinning.of(AB, 1.0, edges, three))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaling-binning has values for 3 labels; expected 2");
    // a first edge of exactly 0 is in [0, 1]
    Calibrator zeroEdge =
        ScalingBinning.of(AB, 1.0, new double[][] {{0.0, 1.0}, {0.0, 1.0}}, values);
    assertThat(zeroEdge.kind()).isEqualTo(CalibrationMethod.SCALING_BINNING);
    // equal edges are not strictly increasing
    assertThatThrownBy(
            () ->
                ScalingBinning.of(
                    AB,
                    1.0,
                    new double[][] {{0.5, 0.5, 1.0}, {0.2, 0.5, 1.0}},
                    new double[][] {{0.1, 0.2, 0.8}, {0.1, 0.2, 0.8}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaling-binning label 'a' edge 1 is 0.5")
        .hasMessageContaining("expected strictly increasing edges in [0, 1]");
    // one bin is the smallest count
    LabelledSet data =
        LabelledSet.of(
            List.of(d(AB, 0.8, 0.2), d(AB, 0.3, 0.7), d(AB, 0.6, 0.4), d(AB, 0.1, 0.9)),
            new int[] {0, 1, 1, 1}); // the third row wrong: the temperature step has a fit
    assertThat(ScalingBinning.fit(data, 1).kind()).isEqualTo(CalibrationMethod.SCALING_BINNING);
    assertThatThrownBy(() -> ScalingBinning.fit(data, 0))
        .hasMessageContaining("scaling-binning bins is 0; expected a value in [1, 1000000]");
    assertThatThrownBy(() -> ScalingBinning.fit(data, HistogramBinning.MAX_BINS + 1))
        .hasMessageContaining("scaling-binning bins is 1000001; expected a value in [1, 1000000]");
  }

  // ---- saved counts ----

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

  // ---- method table ----

  @Test
  void onlyVectorAndMatrixAreRegularised() {
    for (CalibrationMethod m : CalibrationMethod.values()) {
      assertThat(m.isRegularised())
          .as("%s", m)
          .isEqualTo(m == CalibrationMethod.VECTOR || m == CalibrationMethod.MATRIX);
    }
  }

  // ---- batch arrays: the bad row in a later chunk is named ----

  @Test
  void applyBatchNamesABadRowInTheSecondChunk() {
    int rows = io.calibra.internal.Parallel.CHUNK_ROWS + 10;
    double[] in = new double[rows * 2];
    for (int r = 0; r < rows; r++) {
      in[2 * r] = 0.25;
      in[2 * r + 1] = 0.75;
    }
    int bad = io.calibra.internal.Parallel.CHUNK_ROWS + 5;
    in[2 * bad] = 0.5; // row sums to 1.25
    double[] out = new double[rows * 2];
    Calibrator c = TemperatureScaling.of(AB, 2.0);
    assertThatThrownBy(() -> c.applyBatch(in, out, rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("row " + bad + ": ");
  }

  // ---- content-free inputs ----

  @Test
  void contentFreeDistributionsScoreEachRenderedInput() {
    PromptTemplate template = PromptTemplate.builder(AB).inputPrefix("Q: ").build();
    Map<String, double[]> table =
        Map.of(
            template.render("N/A"), new double[] {Math.log(0.2), Math.log(0.8)},
            template.render(""), new double[] {Math.log(0.6), Math.log(0.4)});
    var scorer = Scorers.fromClassifier("table", ScoreKind.LOG_PROBABILITY, table::get);
    List<LabelDistribution> got =
        ContextualCalibration.contentFreeDistributions(scorer, template, List.of("N/A", ""));
    assertThat(got).hasSize(2);
    assertThat(got.get(0).toArray()).containsExactly(new double[] {0.2, 0.8}, within(1e-15));
    assertThat(got.get(1).toArray()).containsExactly(new double[] {0.6, 0.4}, within(1e-15));
    assertThatThrownBy(
            () -> ContextualCalibration.contentFreeDistributions(scorer, template, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected at least one content-free input; found none");
  }

  @Test
  void domainContextInputsBoundaries() {
    List<String> one = DomainContextCalibration.contentFreeInputs(List.of("w"), 1, 3);
    assertThat(one).containsExactly("w");
    assertThatThrownBy(() -> DomainContextCalibration.contentFreeInputs(List.of("w"), 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count is 0; expected at least 1");
    assertThatThrownBy(() -> DomainContextCalibration.contentFreeInputs(List.of(), 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs an in-domain corpus; found no texts");
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

  @Test
  void twoRowsOfTwoClassesAreEnoughToFit() {
    // the second row's gold is below the other label: a finite T > 0 is the optimum
    LabelledSet two = LabelledSet.of(List.of(d(AB, 0.7, 0.3), d(AB, 0.6, 0.4)), new int[] {0, 1});
    Calibrator t = TemperatureScaling.fit(two);
    assertThat(((Calibrator.Temperature) t).temperature()).isBetween(0.01, 100.0);
    // both rows' gold is the argmax: the NLL falls for ever as T falls, so there is no fit
    LabelledSet separable =
        LabelledSet.of(List.of(d(AB, 0.7, 0.3), d(AB, 0.4, 0.6)), new int[] {0, 1});
    assertThatThrownBy(() -> TemperatureScaling.fit(separable))
        .isInstanceOf(NoFitException.class)
        .hasMessageContaining("all 2 labelled rows have their gold label on top");
    assertThatThrownBy(
            () -> TemperatureScaling.fit(LabelledSet.of(List.of(d(AB, 0.7, 0.3)), new int[] {0})))
        .hasMessageContaining("needs at least 2 labelled rows to fit; found 1");
  }

  @Test
  void dirichletCrossValidationChecks() {
    LabelledSet oneClass =
        LabelledSet.of(
            List.of(d(AB, 0.7, 0.3), d(AB, 0.4, 0.6), d(AB, 0.2, 0.8)), new int[] {0, 0, 0});
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(oneClass, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dirichlet calibration needs rows of at least 2 gold classes to fit");
    // along p0 = 0.1, ..., 0.8 the gold labels change five times: no map a ln p0 + b ln p1 + c
    // (which changes sign at most twice) separates any seven of the eight rows, and the gold
    // labels lean to the larger probability, so every leave-one-out fold has a fit
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = {1, 1, 0, 1, 0, 1, 0, 0};
    for (int i = 0; i < 8; i++) {
      double p = 0.1 + 0.1 * i;
      rows.add(d(AB, p, 1 - p));
    }
    LabelledSet eight = LabelledSet.of(rows, gold);
    // folds == rows (leave-one-out) is allowed; every training fold keeps both classes
    assertThat(DirichletCalibration.chooseOdir(eight, 8, 0)).isNotNull();
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(eight, 9, 0))
        .hasMessageContaining("dirichlet cross-validation with 9 folds");
    // separable rows: a fold's fit does not exist, and the choice says which fold
    LabelledSet four =
        LabelledSet.of(
            List.of(d(AB, 0.7, 0.3), d(AB, 0.4, 0.6), d(AB, 0.8, 0.2), d(AB, 0.3, 0.7)),
            new int[] {0, 1, 0, 1});
    assertThatThrownBy(() -> DirichletCalibration.chooseOdir(four, 4, 0))
        .isInstanceOf(NoFitException.class)
        .hasMessageStartingWith(
            "dirichlet cross-validation fold 1 of 4: dirichlet calibration"
                + " has no maximum-likelihood fit");
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
}
