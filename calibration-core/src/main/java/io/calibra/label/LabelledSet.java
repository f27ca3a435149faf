package io.calibra.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Label distributions paired with their gold label indices, all over one {@link LabelSet}: the
 * input of the fitting steps and of the metrics.
 *
 * <p>Immutable and thread-safe. Built by {@link #of(List, int[])}, which rejects rows over another
 * label set and gold indices out of range, naming the row.
 */
public final class LabelledSet {
  private final LabelSet labels;
  private final List<LabelDistribution> rows;
  private final int[] gold;

  private LabelledSet(LabelSet labels, List<LabelDistribution> rows, int[] gold) {
    this.labels = labels;
    this.rows = rows;
    this.gold = gold;
  }

  /**
   * Pairs {@code distributions.get(i)} with {@code gold[i]}.
   *
   * @throws IllegalArgumentException if the sizes differ, the list is empty, a row is null or over
   *     another label set, or a gold index is out of range (naming the row)
   */
  public static LabelledSet of(List<LabelDistribution> distributions, int[] gold) {
    Objects.requireNonNull(distributions, "distributions");
    Objects.requireNonNull(gold, "gold");
    if (distributions.isEmpty()) {
      throw new IllegalArgumentException("a labelled set needs at least one row; found none");
    }
    if (distributions.size() != gold.length) {
      throw new IllegalArgumentException(
          "expected one gold label per row: "
              + distributions.size()
              + " rows but "
              + gold.length
              + " gold labels");
    }
    List<LabelDistribution> copy = new ArrayList<>(distributions);
    LabelDistribution first = copy.get(0);
    if (first == null) {
      throw new IllegalArgumentException("row 0 is null; expected a label distribution");
    }
    LabelSet labels = first.labels();
    for (int i = 0; i < copy.size(); i++) {
      LabelDistribution d = copy.get(i);
      if (d == null) {
        throw new IllegalArgumentException("row " + i + " is null; expected a label distribution");
      }
      if (!d.labels().equals(labels)) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " is over mismatched labels: expected "
                + labels
                + ", found "
                + d.labels());
      }
      if (gold[i] < 0 || gold[i] >= labels.size()) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has gold label index "
                + gold[i]
                + "; expected 0.."
                + (labels.size() - 1)
                + " for labels "
                + labels.names());
      }
    }
    return new LabelledSet(labels, Collections.unmodifiableList(copy), gold.clone());
  }

  /**
   * Pairs {@code distributions.get(i)} with the label called {@code gold.get(i)}.
   *
   * @throws IllegalArgumentException as {@link #of(List, int[])}, and naming a gold name that is
   *     not a label of the distributions (listing the labels)
   */
  public static LabelledSet of(List<LabelDistribution> distributions, List<String> gold) {
    Objects.requireNonNull(distributions, "distributions");
    Objects.requireNonNull(gold, "gold");
    if (distributions.isEmpty()) {
      throw new IllegalArgumentException("a labelled set needs at least one row; found none");
    }
    LabelDistribution first = distributions.get(0);
    if (first == null) {
      throw new IllegalArgumentException("row 0 is null; expected a label distribution");
    }
    return of(distributions, first.labels().indicesOf(gold));
  }

  /** The name of the gold label of row {@code i}. */
  public String goldName(int i) {
    return labels.name(gold(i));
  }

  /** The label set of every row. */
  public LabelSet labels() {
    return labels;
  }

  /** The number of rows. */
  public int size() {
    return rows.size();
  }

  /** The distributions, in row order (unmodifiable). */
  public List<LabelDistribution> distributions() {
    return rows;
  }

  /**
   * The distribution of row {@code i}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()}
   */
  public LabelDistribution distribution(int i) {
    return rows.get(io.calibra.internal.Checks.index(i, rows.size(), "row"));
  }

  /**
   * The gold label index of row {@code i}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()}
   */
  public int gold(int i) {
    return gold[io.calibra.internal.Checks.index(i, gold.length, "row")];
  }

  /** A copy of the gold label indices. */
  public int[] goldArray() {
    return gold.clone();
  }

  /** The number of rows whose gold label is each label, in label order. */
  public int[] goldCounts() {
    int[] counts = new int[labels.size()];
    for (int g : gold) {
      counts[g]++;
    }
    return counts;
  }

  /**
   * Checks that this set can fit a supervised calibrator: at least two rows and at least two
   * distinct gold labels.
   *
   * @throws IllegalArgumentException saying how many rows and which classes were found
   */
  public void requireFittable(String method) {
    Objects.requireNonNull(method, "method");
    if (rows.size() < 2) {
      throw new IllegalArgumentException(
          method + " needs at least 2 labelled rows to fit; found " + rows.size());
    }
    int[] counts = goldCounts();
    int classes = 0;
    for (int c : counts) {
      classes += c > 0 ? 1 : 0;
    }
    if (classes < 2) {
      throw new IllegalArgumentException(
          method
              + " needs rows of at least 2 gold classes to fit; found only '"
              + labels.name(gold[0])
              + "' in "
              + rows.size()
              + " rows");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelledSet other
        && labels.equals(other.labels)
        && rows.equals(other.rows)
        && Arrays.equals(gold, other.gold);
  }

  @Override
  public int hashCode() {
    return Objects.hash(labels, rows, Arrays.hashCode(gold));
  }

  @Override
  public String toString() {
    return "LabelledSet{labels=" + labels.names() + ", rows=" + rows.size() + "}";
  }
}
