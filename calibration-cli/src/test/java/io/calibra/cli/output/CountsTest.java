package io.calibra.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Counts take the singular for exactly one (English grammar, hand written). */
class CountsTest {
  @Test
  void oneIsSingularEverythingElsePlural() {
    assertThat(Counts.of(1, "prompt")).isEqualTo("1 prompt");
    assertThat(Counts.of(0, "prompt")).isEqualTo("0 prompts");
    assertThat(Counts.of(2, "calibrated row")).isEqualTo("2 calibrated rows");
  }
}
