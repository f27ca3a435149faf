package io.calibra.conformal;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A set of labels predicted for one row, in label order. Immutable and thread-safe. */
public final class PredictionSet {
  private final LabelSet labels;
  private final int[] members;

  /**
   * A set of the labels {@code members} of {@code labels}.
   *
   * @throws IllegalArgumentException if a member is out of range or they are not strictly
   *     increasing
   */
  public PredictionSet(LabelSet labels, int... members) {
    this.labels = Objects.requireNonNull(labels, "labels");
    this.members = members.clone();
    for (int i = 0; i < this.members.length; i++) {
      int m = this.members[i];
      if (m < 0 || m >= labels.size() || (i > 0 && m <= this.members[i - 1])) {
        throw new IllegalArgumentException(
            "set members "
                + Arrays.toString(members)
                + " are not increasing label indices in 0.."
                + (labels.size() - 1));
      }
    }
  }

  /** The label set the members index. */
  public LabelSet labels() {
    return labels;
  }

  /** The label indices in the set, increasing. */
  public int[] members() {
    return members.clone();
  }

  /** How many labels the set holds (0 to K). */
  public int size() {
    return members.length;
  }

  /** Whether the set is empty. */
  public boolean isEmpty() {
    return members.length == 0;
  }

  /** Whether label {@code index} is in the set. */
  public boolean contains(int index) {
    return Arrays.binarySearch(members, index) >= 0;
  }

  /** The label names, in label order. */
  public List<String> names() {
    List<String> out = new ArrayList<>(members.length);
    for (int m : members) {
      out.add(labels.name(m));
    }
    return out;
  }

  /** The label names joined by {@code |} (empty for the empty set). */
  public String joined() {
    return String.join("|", names());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PredictionSet s
        && labels.equals(s.labels)
        && Arrays.equals(members, s.members);
  }

  @Override
  public int hashCode() {
    return 31 * labels.hashCode() + Arrays.hashCode(members);
  }

  @Override
  public String toString() {
    return "{" + String.join(", ", names()) + "}";
  }
}
