package io.calibra.internal;

/** The one equal-width bin rule of calibra, shared by the ECE and histogram binning. */
public final class Bins {
  private Bins() {}

  /** The bin index of {@code score}: {@code clamp(ceil(score * B) - 1, 0, B - 1)}. */
  public static int equalWidth(double score, int bins) {
    int b = (int) Math.ceil(score * bins) - 1;
    return Math.min(Math.max(b, 0), bins - 1);
  }
}
