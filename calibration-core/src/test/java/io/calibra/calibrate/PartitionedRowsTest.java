package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fits over rows in parts ask only for sums and equal the in-memory fits of the same rows (the
 * reference: {@link TemperatureScaling#fit(LabelledSet)} and {@link
 * VectorScaling#fitWithDiagnostics(LabelledSet, double)} on the concatenated rows).
 */
class PartitionedRowsTest {
  private static final LabelSet LABELS = LabelSet.of("a", "b", "c");

  /** Parts of rows, each its own arrays, summed part by part in reverse order. */
  record Parts(List<double[]> z, List<int[]> gold) implements PartitionedRows {
    @Override
    public LabelSet labels() {
      return LABELS;
    }

    @Override
    public double[] sum(Kernel kernel) {
      double[] total = new double[kernel.width()];
      for (int p = z.size() - 1; p >= 0; p--) {
        double[] into = new double[kernel.width()];
        kernel.add(z.get(p), gold.get(p), LABELS.size(), 0, gold.get(p).length, into);
        for (int i = 0; i < total.length; i++) {
          total[i] += into[i];
        }
      }
      return total;
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void partitionedFitsEqualInMemoryFits(int seed) {
    Random random = new Random(seed);
    int n = 200 + random.nextInt(800);
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      double[] w = {
        Math.exp(3 * random.nextGaussian()),
        Math.exp(3 * random.nextGaussian()),
        Math.exp(random.nextGaussian())
      };
      LabelDistribution d = LabelDistribution.normalise(LABELS, w);
      rows.add(d);
      gold[i] = random.nextDouble() < 0.6 ? d.argmax() : random.nextInt(3);
    }
    List<double[]> z = new ArrayList<>();
    List<int[]> g = new ArrayList<>();
    int from = 0;
    while (from <= n) {
      int to = Math.min(n, from + random.nextInt(300));
      double[] part = new double[(to - from) * 3];
      for (int i = from; i < to; i++) {
        PartitionedRows.logRow(rows.get(i), part, (i - from) * 3);
      }
      z.add(part);
      g.add(java.util.Arrays.copyOfRange(gold, from, to));
      from = to == n ? n + 1 : to;
    }
    Parts parts = new Parts(z, g);
    LabelledSet set = LabelledSet.of(rows, gold);

    double expected = ((Calibrator.Temperature) TemperatureScaling.fit(set)).temperature();
    double actual = ((Calibrator.Temperature) TemperatureScaling.fit(parts)).temperature();
    assertThat(actual).isCloseTo(expected, within(1e-9));

    ScalingFit memory = VectorScaling.fitWithDiagnostics(set, 1e-3);
    ScalingFit split = VectorScaling.fitWithDiagnostics(parts, 1e-3);
    assertThat(split.converged()).isTrue();
    Calibrator.Scaling a = (Calibrator.Scaling) memory.calibrator();
    Calibrator.Scaling b = (Calibrator.Scaling) split.calibrator();
    assertThat(b.weights()).containsExactly(a.weights(), within(1e-7));
    assertThat(b.biases()).containsExactly(a.biases(), within(1e-7));
  }

  @ParameterizedTest(name = "gold all {0}")
  @ValueSource(ints = {0, 2})
  void partsWithOneGoldClassOrOneRowCannotBeFitted(int label) {
    Parts oneClass =
        new Parts(
            List.of(new double[] {-1, -2, -3, -1, -2, -3}), List.of(new int[] {label, label}));
    assertThatThrownBy(() -> TemperatureScaling.fit(oneClass))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found only '" + LABELS.name(label) + "' in 2 rows");
    Parts oneRow = new Parts(List.of(new double[] {-1, -2, -3}), List.of(new int[] {label}));
    assertThatThrownBy(() -> VectorScaling.fitWithDiagnostics(oneRow, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2 labelled rows to fit; found 1");
  }

  @Test
  void twoRowsOfTwoGoldClassesAreEnoughAsInMemory() {
    double[] z = {
      Math.log(0.7), Math.log(0.2), Math.log(0.1), Math.log(0.2), Math.log(0.5), Math.log(0.3)
    };
    // two rows, two of the three classes: the smallest fittable set (the second row's gold, 2, is
    // below label 1, so temperature scaling's fit exists)
    int[] gold = {0, 2};
    Parts parts = new Parts(List.of(z), List.of(gold));
    LabelledSet set =
        LabelledSet.of(
            List.of(
                LabelDistribution.ofProbabilities(LABELS, 0.7, 0.2, 0.1),
                LabelDistribution.ofProbabilities(LABELS, 0.2, 0.5, 0.3)),
            gold);
    double expected = ((Calibrator.Temperature) TemperatureScaling.fit(set)).temperature();
    assertThat(((Calibrator.Temperature) TemperatureScaling.fit(parts)).temperature())
        .isCloseTo(expected, within(1e-9));
  }
}
