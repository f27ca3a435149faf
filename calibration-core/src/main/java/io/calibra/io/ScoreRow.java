package io.calibra.io;

import io.calibra.label.LabelDistribution;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of a score file.
 *
 * <p>Besides the row's distribution it keeps the label columns' numbers as read (log-probabilities,
 * logits or probabilities, by the file's {@link ScoreFormat}): fitting rules that need the raw
 * scores, such as contextual calibration's raw-mass {@code p_cf}, read them through {@link
 * #values()}. That is one array of one double per label, the size of the distribution.
 *
 * @param line the 1-based line on which the row starts
 * @param id the row's id, or null when the file has no id column
 * @param gold the gold label index, or -1 when the file has no gold column or the cell is empty
 * @param distribution the row's label distribution
 * @param values the label columns' numbers as read, in label order, or null when not known (a row
 *     made with the four-argument constructor)
 */
public record ScoreRow(
    long line,
    @Nullable String id,
    int gold,
    LabelDistribution distribution,
    double @Nullable [] values) {

  /**
   * Copies {@code values}.
   *
   * @throws IllegalArgumentException if {@code values} does not have one number per label
   */
  public ScoreRow {
    Objects.requireNonNull(distribution, "distribution");
    if (values != null) {
      if (values.length != distribution.labels().size()) {
        throw new IllegalArgumentException(
            "a score row has "
                + values.length
                + " values; expected one per label ("
                + distribution.labels().size()
                + ")");
      }
      values = values.clone();
    }
  }

  /** A row whose raw numbers are not known ({@link #values()} is null). */
  public ScoreRow(long line, String id, int gold, LabelDistribution distribution) {
    this(line, id, gold, distribution, null);
  }

  /** A copy of the label columns' numbers as read, or null when not known. */
  @Override
  public double[] values() {
    return values == null ? null : values.clone();
  }

  /** Whether the row has a gold label. */
  public boolean hasGold() {
    return gold >= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreRow r
        && line == r.line
        && gold == r.gold
        && Objects.equals(id, r.id)
        && distribution.equals(r.distribution)
        && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(line, id, gold, distribution, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "ScoreRow{line="
        + line
        + ", id="
        + id
        + ", gold="
        + gold
        + ", distribution="
        + distribution
        + ", values="
        + Arrays.toString(values)
        + "}";
  }
}
