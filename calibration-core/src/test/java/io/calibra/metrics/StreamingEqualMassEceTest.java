package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The three-pass streaming equal-mass ECE equals the in-memory one, ties included. */
class StreamingEqualMassEceTest {

  static IntStream seeds() {
    return IntStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void equalsTheInMemoryComputation(int seed) {
    Random random = new Random(seed);
    int n = 1 + random.nextInt(seed % 3 == 0 ? 20 : 600);
    int bins = 1 + random.nextInt(20);
    double[] conf = new double[n];
    boolean[] correct = new boolean[n];
    double[] tiePool = {0.5, 0.5 + 1e-9, 0.75, 1.0, 1.0};
    for (int i = 0; i < n; i++) {
      // a third of the seeds draw from a few values only: heavy ties across group boundaries
      conf[i] =
          seed % 3 == 1 ? tiePool[random.nextInt(tiePool.length)] : 0.5 + 0.5 * random.nextDouble();
      correct[i] = random.nextDouble() < conf[i];
    }
    EqualMassEce memory = new EqualMassEce(bins);
    StreamingEqualMassEce streaming = new StreamingEqualMassEce(bins);
    for (int i = 0; i < n; i++) {
      memory.add(conf[i], correct[i]);
      streaming.count(conf[i]);
    }
    streaming.endCountPass();
    for (int i = 0; i < n; i++) {
      streaming.observe(conf[i]);
    }
    streaming.endObservePass();
    for (int i = 0; i < n; i++) {
      streaming.assign(conf[i], correct[i]);
    }
    assertThat(streaming.ece()).isCloseTo(memory.ece(), within(1e-12));
  }

  @Test
  void passesMustBeCalledInOrderOverTheSameRows() {
    StreamingEqualMassEce s = new StreamingEqualMassEce(3);
    assertThatThrownBy(() -> s.observe(0.5)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(s::endCountPass)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no rows");
    s.count(0.5);
    s.count(0.9);
    s.endCountPass();
    s.observe(0.5);
    s.observe(0.9);
    s.endObservePass();
    s.assign(0.5, true);
    assertThatThrownBy(s::ece)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pass 3 saw 1 rows");
    assertThatThrownBy(() -> s.assign(Double.NaN, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Rows cut into ordered parts (some empty), each pass run on per-part copies that travel through
   * Java serialisation as Spark ships them: the result equals the in-memory computation over all
   * rows in part order, ties across part and group boundaries included.
   */
  static IntStream partSeeds() {
    return IntStream.range(0, 60); // each seed ships 4 MiB histograms through serialisation
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("partSeeds")
  void partsGiveTheSameResultAsOneStream(int seed) throws Exception {
    Random random = new Random(1000 + seed);
    int n = 1 + random.nextInt(seed % 3 == 0 ? 20 : 600);
    int bins = 1 + random.nextInt(20);
    double[] tiePool = {0.5, 0.5 + 1e-9, 0.75, 1.0, 1.0};
    double[] conf = new double[n];
    boolean[] correct = new boolean[n];
    for (int i = 0; i < n; i++) {
      conf[i] =
          seed % 3 != 2 ? tiePool[random.nextInt(tiePool.length)] : 0.5 + 0.5 * random.nextDouble();
      correct[i] = random.nextBoolean();
    }
    List<int[]> parts = new ArrayList<>(); // [from, to)
    int from = 0;
    while (from < n) {
      int to = random.nextInt(4) == 0 ? from : Math.min(n, from + 1 + random.nextInt(n));
      parts.add(new int[] {from, to});
      from = to;
    }
    parts.add(new int[] {n, n});

    EqualMassEce memory = new EqualMassEce(bins);
    for (int i = 0; i < n; i++) {
      memory.add(conf[i], correct[i]);
    }
    StreamingEqualMassEce driver = new StreamingEqualMassEce(bins);
    for (int[] part : parts) {
      StreamingEqualMassEce counter = new StreamingEqualMassEce(bins);
      for (int i = part[0]; i < part[1]; i++) {
        counter.count(conf[i]);
      }
      driver.mergeCounts(roundTrip(counter));
    }
    driver.endCountPass();
    List<StreamingEqualMassEce> observed = new ArrayList<>();
    for (int[] part : parts) {
      StreamingEqualMassEce observer = roundTrip(driver.partForObservePass());
      for (int i = part[0]; i < part[1]; i++) {
        observer.observe(conf[i]);
      }
      observed.add(roundTrip(observer));
    }
    driver.endObservePass(observed);
    for (int p = parts.size() - 1; p >= 0; p--) { // parts may finish in any order
      StreamingEqualMassEce assigner = roundTrip(driver.partForAssignPass(p));
      for (int i = parts.get(p)[0]; i < parts.get(p)[1]; i++) {
        assigner.assign(conf[i], correct[i]);
      }
      driver.mergeAssigned(roundTrip(assigner));
    }
    assertThat(driver.ece()).isCloseTo(memory.ece(), within(1e-12));
  }

  @Test
  void partsCheckTheirPassAndGroups() {
    StreamingEqualMassEce driver = new StreamingEqualMassEce(3);
    assertThatThrownBy(() -> driver.mergeCounts(new StreamingEqualMassEce(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 and 4 groups");
    assertThatThrownBy(driver::partForObservePass).isInstanceOf(IllegalStateException.class);
    driver.count(0.6);
    driver.count(0.7);
    driver.endCountPass();
    driver.endObservePass();
    assertThatThrownBy(() -> driver.partForAssignPass(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("endObservePass(List)");
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
