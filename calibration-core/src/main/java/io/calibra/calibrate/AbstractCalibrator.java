package io.calibra.calibrate;

import io.calibra.label.LabelSet;
import io.calibra.label.Probabilities;
import java.util.Objects;

/** Validates each input row, then delegates to {@link #transform}. */
abstract class AbstractCalibrator implements Calibrator {
  protected final LabelSet labels;
  protected final int k;

  AbstractCalibrator(LabelSet labels) {
    this.labels = Objects.requireNonNull(labels, "labels");
    this.k = labels.size();
  }

  @Override
  public final LabelSet labels() {
    return labels;
  }

  @Override
  public final void applyInto(double[] in, int inOffset, double[] out, int outOffset) {
    checkRow(in, inOffset);
    transform(in, inOffset, out, outOffset);
  }

  /** Maps a validated row; must write a valid distribution. */
  abstract void transform(double[] in, int inOffset, double[] out, int outOffset);

  private void checkRow(double[] in, int offset) {
    if (offset < 0 || offset + k > in.length) {
      throw new IllegalArgumentException(
          "wrong width: expected "
              + k
              + " probabilities for labels "
              + labels.names()
              + " at offset "
              + offset
              + ", array holds "
              + in.length);
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      double v = in[offset + i];
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(
            "probability for label '"
                + labels.name(i)
                + "' (index "
                + i
                + ") is "
                + v
                + "; expected a finite value in [0, 1]");
      }
      sum += v;
    }
    if (!(Math.abs(sum - 1.0) <= Probabilities.SUM_TOLERANCE)) {
      throw new IllegalArgumentException(
          "probabilities sum to "
              + sum
              + "; expected 1 within "
              + Probabilities.SUM_TOLERANCE
              + " over labels "
              + labels.names());
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('{');
    sb.append("method=").append(method()).append(", labels=").append(labels.names());
    parameters()
        .forEach(
            (name, v) ->
                sb.append(", ").append(name).append('=').append(java.util.Arrays.toString(v)));
    return sb.append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    if (o == null || o.getClass() != getClass()) {
      return false;
    }
    AbstractCalibrator other = (AbstractCalibrator) o;
    if (!labels.equals(other.labels) || !method().equals(other.method())) {
      return false;
    }
    var mine = parameters();
    var theirs = other.parameters();
    if (!mine.keySet().equals(theirs.keySet())) {
      return false;
    }
    for (var e : mine.entrySet()) {
      if (!java.util.Arrays.equals(e.getValue(), theirs.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(labels, method());
    for (var e : parameters().entrySet()) {
      h = 31 * h + e.getKey().hashCode() + java.util.Arrays.hashCode(e.getValue());
    }
    return h;
  }
}
