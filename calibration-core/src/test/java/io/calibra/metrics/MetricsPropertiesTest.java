package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.RandomData;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties of the metrics over seeded random inputs. */
class MetricsPropertiesTest {

  static IntStream seeds() {
    return IntStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void eceAndMceLieInUnitInterval(int seed) {
    Random random = new Random(seed);
    LabelSet labels = RandomData.labels(2 + random.nextInt(20));
    LabelledSet data = RandomData.labelledSet(labels, 2 + random.nextInt(300), random);
    CalibrationMetrics m = Metrics.evaluate(data, 1 + random.nextInt(30));
    assertThat(m.ece()).isBetween(0.0, 1.0);
    assertThat(m.eceEqualMass().orElseThrow()).isBetween(0.0, 1.0);
    assertThat(m.mce()).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(m.ece() - 1e-15);
    assertThat(m.classwiseEce()).isBetween(0.0, 1.0);
    assertThat(m.brier()).isBetween(0.0, 2.0);
    assertThat(m.nll()).isBetween(0.0, -Math.log(1e-15));
    assertThat(m.accuracy()).isBetween(0.0, 1.0);
    assertThat(m.macroF1()).isBetween(0.0, 1.0);
  }

  /** Splits the rows at random points into 1..6 parts, accumulates each, merges in order. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mergedAccumulatorsEqualOneShot(int seed) {
    Random random = new Random(seed);
    LabelSet labels = RandomData.labels(2 + random.nextInt(10));
    int n = 1 + random.nextInt(400);
    LabelledSet data = RandomData.labelledSet(labels, Math.max(2, n), random);
    int bins = 1 + random.nextInt(25);
    CalibrationMetrics oneShot = Metrics.evaluate(data, bins);

    int parts = 1 + random.nextInt(6);
    MetricsAccumulator merged = null;
    int start = 0;
    for (int part = 0; part < parts; part++) {
      int end = part == parts - 1 ? data.size() : start + random.nextInt(data.size() - start + 1);
      MetricsAccumulator acc = new MetricsAccumulator(labels, bins, true);
      for (int i = start; i < end; i++) {
        acc.add(data.distribution(i), data.gold(i));
      }
      if (merged == null) {
        merged = acc;
      } else {
        merged.merge(acc);
      }
      start = end;
    }
    CalibrationMetrics combined = merged.result();
    assertThat(combined.rows()).isEqualTo(oneShot.rows());
    assertThat(combined.predictionCounts()).isEqualTo(oneShot.predictionCounts());
    assertThat(combined.accuracy()).isEqualTo(oneShot.accuracy());
    assertThat(combined.macroF1()).isEqualTo(oneShot.macroF1());
    assertThat(combined.eceEqualMass().orElseThrow())
        .isCloseTo(oneShot.eceEqualMass().orElseThrow(), within(1e-12));
    assertThat(combined.ece()).isCloseTo(oneShot.ece(), within(1e-12));
    assertThat(combined.mce()).isCloseTo(oneShot.mce(), within(1e-12));
    assertThat(combined.classwiseEce()).isCloseTo(oneShot.classwiseEce(), within(1e-12));
    assertThat(combined.brier()).isCloseTo(oneShot.brier(), within(1e-12));
    assertThat(combined.nll()).isCloseTo(oneShot.nll(), within(1e-12));
    assertThat(combined.reliability()).hasSameSizeAs(oneShot.reliability());
    for (int b = 0; b < oneShot.reliability().size(); b++) {
      ReliabilityBin x = combined.reliability().get(b);
      ReliabilityBin y = oneShot.reliability().get(b);
      assertThat(x.count()).isEqualTo(y.count());
      assertThat(x.meanConfidence()).isCloseTo(y.meanConfidence(), within(1e-12));
      assertThat(x.accuracy()).isCloseTo(y.accuracy(), within(1e-12));
    }
    assertThat(combined.labelBias().totalVariation())
        .isCloseTo(oneShot.labelBias().totalVariation(), within(1e-12));
  }
}
