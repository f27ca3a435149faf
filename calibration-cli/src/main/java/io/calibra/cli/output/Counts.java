package io.calibra.cli.output;

/** A count with its noun in the number it needs: "1 prompt", "2 prompts", "0 prompts". */
public final class Counts {
  private Counts() {}

  /** {@code n} and {@code singular}, with an "s" added unless {@code n} is 1. */
  public static String of(long n, String singular) {
    return n + " " + (n == 1 ? singular : singular + "s");
  }
}
