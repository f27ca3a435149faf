package io.calibra.calibrate;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shared base of the {@link Calibrator} implementations: validates each input row, then
 * delegates to {@link #transform}; equality, hash and text from the method and parameters.
 */
abstract class AbstractCalibrator {
  protected final LabelSet labels;
  protected final int k;

  AbstractCalibrator(LabelSet labels) {
    this.labels = Objects.requireNonNull(labels, "labels");
    this.k = labels.size();
  }

  /** The label set, as {@link Calibrator#labels()}. */
  public final LabelSet labels() {
    return labels;
  }

  /** As {@link Calibrator#applyInto}. */
  public final void applyInto(double[] in, int inOffset, double[] out, int outOffset) {
    Probabilities.checkRow(labels.names(), in, inOffset);
    transform(in, inOffset, out, outOffset);
  }

  /** The method, as {@link Calibrator#kind()}. */
  public abstract CalibrationMethod kind();

  /** The parameters by their saved names, as fresh copies (empty for a pipeline). */
  abstract Map<String, double[]> parameterMap();

  /** As {@link Calibrator#parameters()}. */
  @Deprecated
  public final Map<String, double[]> parameters() {
    return parameterMap();
  }

  /** Maps a validated row; must write a valid distribution. */
  abstract void transform(double[] in, int inOffset, double[] out, int outOffset);

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('{');
    sb.append("method=").append(kind()).append(", labels=").append(labels.names());
    parameterMap()
        .forEach((name, v) -> sb.append(", ").append(name).append('=').append(Arrays.toString(v)));
    return sb.append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    if (o == null || o.getClass() != getClass()) {
      return false;
    }
    AbstractCalibrator other = (AbstractCalibrator) o;
    if (!labels.equals(other.labels) || kind() != other.kind()) {
      return false;
    }
    var mine = parameterMap();
    var theirs = other.parameterMap();
    if (!mine.keySet().equals(theirs.keySet())) {
      return false;
    }
    for (var e : mine.entrySet()) {
      if (!Arrays.equals(e.getValue(), theirs.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    List<Object> parts = new ArrayList<>(List.of(labels, kind()));
    for (var e : parameterMap().entrySet()) {
      parts.add(e.getKey());
      parts.add(Arrays.hashCode(e.getValue()));
    }
    return parts.hashCode();
  }
}
