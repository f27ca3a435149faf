package io.calibra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The preconditions helper keeps the convention of docs/errors.md on top of Guava's Preconditions;
 * expected messages written by hand from that convention.
 */
class ChecksTest {

  @Test
  void aNullIsAnNpeNamingTheArgument() {
    assertThatThrownBy(() -> Checks.notNull(null, "labels"))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("labels");
    Object o = new Object();
    assertThat(Checks.notNull(o, "o")).isSameAs(o);
  }

  @Test
  void aBadIndexIsAnIoobeStatingTheRange() {
    assertThatThrownBy(() -> Checks.index(2, 2, "label index"))
        .isExactlyInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("label index 2 out of range; expected 0..1");
    assertThatThrownBy(() -> Checks.index(-1, 3, "row"))
        .isExactlyInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("row -1 out of range; expected 0..2");
    assertThatThrownBy(() -> Checks.index(0, 0, "row"))
        .isExactlyInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("row 0 out of range; expected none (it is empty)");
    assertThat(Checks.index(1, 2, "row")).isEqualTo(1);
  }

  @Test
  void aBadValueIsAnIaeWithTheTemplateFilledIn() {
    assertThatThrownBy(() -> Checks.argument(false, "folds is %s; expected at least 2", 1))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("folds is 1; expected at least 2");
    // doubles print as Double.toString does, NaN included
    assertThatThrownBy(() -> Checks.argument(false, "x is %s; expected >= 0", Double.NaN))
        .hasMessage("x is NaN; expected >= 0");
  }

  @Test
  void theMessageIsOnlyBuiltWhenTheCheckFails() {
    Object explosive =
        new Object() {
          @Override
          public String toString() {
            throw new AssertionError("message built for a passing check");
          }
        };
    Checks.argument(true, "never %s", explosive);
  }
}
