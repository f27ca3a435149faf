package io.calibra.internal;

import com.google.common.base.Preconditions;

/**
 * The preconditions of calibra's public API, one convention (docs/errors.md): a null argument is a
 * {@link NullPointerException} naming it, a bad index an {@link IndexOutOfBoundsException} stating
 * the index and the range, a bad value an {@link IllegalArgumentException} saying what was expected
 * and what was found. Built on Guava's {@link Preconditions}. Not API.
 */
public final class Checks {
  private Checks() {}

  /**
   * Returns {@code value}, or throws a {@link NullPointerException} whose message is {@code name}.
   */
  public static <T> T notNull(T value, String name) {
    return Preconditions.checkNotNull(value, name);
  }

  /**
   * Returns {@code index} if it is in {@code [0, size)}.
   *
   * @throws IndexOutOfBoundsException "{@code what index out of range; expected 0..size-1}"
   */
  public static int index(int index, int size, String what) {
    if (index < 0 || index >= size) {
      // Guava's checkElementIndex words it differently ("must be less than size"); calibra's
      // messages state the valid range, as docs/errors.md lists them.
      throw new IndexOutOfBoundsException(
          what
              + " "
              + index
              + " out of range; expected "
              + (size == 0 ? "none (it is empty)" : "0.." + (size - 1)));
    }
    return index;
  }

  /**
   * Throws an {@link IllegalArgumentException} with {@code template}, each {@code %s} replaced by
   * the next of {@code args} (Guava's {@link Preconditions#checkArgument(boolean, String,
   * Object...)}), unless {@code ok}; the message is only built when the check fails.
   */
  public static void argument(boolean ok, String template, Object... args) {
    Preconditions.checkArgument(ok, template, args);
  }
}
