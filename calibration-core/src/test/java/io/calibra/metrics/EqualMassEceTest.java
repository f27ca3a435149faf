package io.calibra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link EqualMassEce} past its first capacity, at confidences 0 and 1. Hand computed. */
class EqualMassEceTest {
  @Test
  void equalMassEceGrowsPastItsFirstCapacityAndTakesZeroAndOne() {
    EqualMassEce ece = new EqualMassEce(1);
    for (int i = 0; i < 100; i++) {
      ece.add(i % 2 == 0 ? 0.0 : 1.0, true); // one group: accuracy 1, confidence 1/2
    }
    assertThat(ece.rows()).isEqualTo(100);
    assertThat(ece.ece()).isEqualTo(0.5);
  }
}
