package io.calibra.spark;

import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Where a Dataset keeps a classifier's scores: one column per label (named as the label, as in a
 * calibra score file), what the numbers are ({@link ScoreFormat}), and optionally the gold column
 * and an id column. Label and gold cells may be numbers or text; text is read with the score files'
 * strict decimal grammar, and a gold cell is a label name or a 0-based index, exactly as {@code
 * calibra} reads files.
 *
 * <p>Immutable and serialisable, so that it travels to executors with the tasks.
 */
public final class ScoreColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> labels;
  private final ScoreFormat format;
  private final String gold;
  private final String id;
  private transient LabelSet labelSet;

  private ScoreColumns(List<String> labels, ScoreFormat format, String gold, String id) {
    this.labels = List.copyOf(labels);
    this.format = Objects.requireNonNull(format, "format");
    this.gold = gold;
    this.id = id;
    LabelSet.of(this.labels); // validates the names
  }

  /**
   * Label columns named as the labels, holding scores of the given format; gold column {@code gold}
   * and id column {@code id} when the Dataset has them.
   *
   * @throws IllegalArgumentException on an empty, duplicate or blank label name
   */
  public static ScoreColumns of(List<String> labels, ScoreFormat format) {
    return new ScoreColumns(labels, format, "gold", "id");
  }

  /**
   * The score columns of a Dataset read from a calibra score file: every column except {@code id},
   * {@code gold}, {@code prediction} and {@code text}, in order. Columns laid out as {@code
   * calibra-spark calibrate}'s output are refused, as {@link ScoreFileReader} refuses them.
   *
   * @throws IllegalArgumentException if the schema has no label column, or is such output
   */
  public static ScoreColumns fromSchema(StructType schema, ScoreFormat format) {
    List<String> names = List.of(schema.fieldNames());
    int calibrated = ScoreFileReader.calibratedOutputColumn(names);
    if (calibrated >= 0) {
      throw new IllegalArgumentException(
          "column "
              + (calibrated + 1)
              + ": "
              + ScoreFileReader.calibratedOutputProblem(names.get(calibrated)));
    }
    List<String> labels = names.stream().filter(n -> !ScoreFileReader.isReservedColumn(n)).toList();
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("the columns " + names + " have no label column");
    }
    return of(labels, format);
  }

  /** The label set, in column order. */
  public LabelSet labels() {
    if (labelSet == null) {
      labelSet = LabelSet.of(labels);
    }
    return labelSet;
  }

  /** What the label columns hold. */
  public ScoreFormat format() {
    return format;
  }

  /** The gold column's name. */
  public String goldColumn() {
    return gold;
  }

  /** The id column's name. */
  public String idColumn() {
    return id;
  }

  /** Column positions in a schema, resolved once per partition. */
  Positions positions(StructType schema) {
    int[] label = new int[labels.size()];
    for (int k = 0; k < label.length; k++) {
      label[k] = indexOf(schema, labels.get(k), "label");
    }
    List<String> names = List.of(schema.fieldNames());
    return new Positions(label, names.indexOf(gold), names.indexOf(id));
  }

  private static int indexOf(StructType schema, String name, String what) {
    int i = List.of(schema.fieldNames()).indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          "no " + what + " column '" + name + "'; the columns are " + List.of(schema.fieldNames()));
    }
    return i;
  }

  /** The positions of the label, gold and id columns in one schema. */
  final class Positions {
    private final int[] label;
    private final int goldIndex;
    private final int idIndex;
    private final double[] values;

    private Positions(int[] label, int goldIndex, int idIndex) {
      this.label = label;
      this.goldIndex = goldIndex;
      this.idIndex = idIndex;
      this.values = new double[label.length];
    }

    /** Whether the schema has the gold column. */
    boolean hasGold() {
      return goldIndex >= 0;
    }

    /**
     * The row's distribution, converted by the score format.
     *
     * @throws IllegalArgumentException naming the row and column on a missing or malformed cell
     */
    LabelDistribution distribution(Row row) {
      for (int k = 0; k < label.length; k++) {
        values[k] = number(row, label[k], labels.get(k));
      }
      try {
        return format.toDistribution(labels(), values.clone());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where(row) + ": " + e.getMessage(), e);
      }
    }

    /**
     * The row's gold label index.
     *
     * @throws IllegalArgumentException if the Dataset has no gold column or the cell is not a label
     */
    int gold(Row row) {
      if (goldIndex < 0) {
        throw new IllegalArgumentException(
            "no gold column '" + gold + "'; metrics and fits need gold labels");
      }
      Object cell = row.get(goldIndex);
      if (cell == null) {
        throw new IllegalArgumentException(where(row) + ": the gold cell is empty");
      }
      try {
        return ScoreFileReader.goldIndex(labels(), cell.toString().trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where(row) + ": " + e.getMessage(), e);
      }
    }

    /** The row's id cell, if the Dataset has an id column. */
    Optional<Object> id(Row row) {
      return idIndex < 0 ? Optional.empty() : Optional.ofNullable(row.get(idIndex));
    }

    private double number(Row row, int column, String name) {
      Object cell = row.get(column);
      if (cell instanceof Number n) {
        return n.doubleValue();
      }
      if (cell instanceof String s && ScoreFileReader.isDecimal(s.trim())) {
        return Double.parseDouble(s.trim());
      }
      throw new IllegalArgumentException(
          where(row)
              + ": column '"
              + name
              + "' holds "
              + (cell == null ? "nothing" : "'" + cell + "'")
              + "; expected a decimal number");
    }

    private String where(Row row) {
      return idIndex >= 0 && row.get(idIndex) != null
          ? "row with id '" + row.get(idIndex) + "'"
          : "row " + row;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreColumns c
        && labels.equals(c.labels)
        && format == c.format
        && Objects.equals(gold, c.gold)
        && Objects.equals(id, c.id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(labels, format, gold, id);
  }

  @Override
  public String toString() {
    return "ScoreColumns" + labels + " (" + format + ", gold '" + gold + "', id '" + id + "')";
  }
}
