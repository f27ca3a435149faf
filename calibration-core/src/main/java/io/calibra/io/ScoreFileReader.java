package io.calibra.io;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams the rows of a score file: a CSV header, then one row per example. Columns: optional
 * {@code id}, optional {@code gold} (a label name or a 0-based index; empty means unknown),
 * optional {@code prediction} and {@code text} (ignored), and one column per label, named by the
 * label, in label order. Every problem is a {@link DataFileException} naming the file, line and
 * column. Not thread-safe; close it (it is {@link AutoCloseable}).
 */
public final class ScoreFileReader implements Iterator<ScoreRow>, AutoCloseable {
  private static final Set<String> RESERVED = Set.of("id", "gold", "prediction", "text");

  private final Path file;
  private final CsvReader csv;
  private final ScoreFormat format;
  private final LabelSet labels;
  private final int idColumn;
  private final int goldColumn;
  private final int[] labelColumns;
  private final int width;
  private ScoreRow next;

  private ScoreFileReader(Path file, CsvReader csv, ScoreFormat format, LabelSet expected) {
    this.file = file;
    this.csv = csv;
    this.format = format;
    List<String> header = csv.next();
    if (header == null || (header.size() == 1 && header.get(0).isBlank())) {
      throw new DataFileException(file, 1, 0, "the file is empty; expected a header row");
    }
    int id = -1;
    int gold = -1;
    List<String> names = new ArrayList<>();
    List<Integer> columns = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      String name = header.get(c).trim();
      if (c == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1);
      }
      if (name.isEmpty()) {
        throw new DataFileException(file, 1, c + 1, "empty column name in the header");
      }
      if (looksNumeric(name)) {
        throw new DataFileException(
            file, 1, c + 1, "header cell '" + name + "' is a number; is the header row missing?");
      }
      if (names.contains(name)
          || (name.equals("id") && id >= 0)
          || (name.equals("gold") && gold >= 0)) {
        throw new DataFileException(file, 1, c + 1, "duplicate column '" + name + "'");
      }
      switch (name) {
        case "id" -> id = c;
        case "gold" -> gold = c;
        default -> {
          if (!RESERVED.contains(name)) {
            if (expected != null && expected.indexOf(name).isEmpty()) {
              throw new DataFileException(
                  file,
                  1,
                  c + 1,
                  "unknown label column '" + name + "'; expected labels " + expected.names());
            }
            names.add(name);
            columns.add(c);
          }
        }
      }
    }
    if (names.isEmpty()) {
      throw new DataFileException(
          file, 1, 0, "the header " + header + " has no label columns; is the header row missing?");
    }
    LabelSet found = LabelSet.of(names);
    if (expected != null && !expected.names().equals(found.names())) {
      throw new DataFileException(
          file,
          1,
          0,
          "label columns "
              + found.names()
              + " differ from the expected labels "
              + expected.names());
    }
    this.labels = expected != null ? expected : found;
    this.idColumn = id;
    this.goldColumn = gold;
    this.labelColumns = columns.stream().mapToInt(Integer::intValue).toArray();
    this.width = header.size();
  }

  // A number with a sign, a point or an exponent cannot be a label name but is typical of a data
  // row; plain integers stay allowed, since labels are often named 0, 1, 2...
  private static boolean looksNumeric(String s) {
    boolean number = s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(Infinity|NaN)");
    return number && !s.matches("\\d+");
  }

  /**
   * Opens {@code file}, whose label columns define the label set.
   *
   * @throws DataFileException if it is missing, empty or has a bad header
   */
  public static ScoreFileReader open(Path file, ScoreFormat format) {
    return open(file, format, null);
  }

  /**
   * Opens {@code file}, whose label columns must be exactly {@code expected}'s labels, in order
   * (for example those of a saved calibrator).
   *
   * @throws DataFileException if it is missing, empty, has a bad header, or other labels
   */
  public static ScoreFileReader open(Path file, ScoreFormat format, LabelSet expected) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CsvReader csv;
    try {
      csv =
          new CsvReader(
              new java.io.BufferedReader(
                  new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16),
              file);
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, 0, 0, "file not found", e);
    } catch (IOException e) {
      throw new DataFileException(file, 0, 0, "cannot open: " + e.getMessage(), e);
    }
    try {
      return new ScoreFileReader(file, csv, format, expected);
    } catch (RuntimeException e) {
      csv.close();
      throw wrap(file, e);
    }
  }

  /**
   * Reads a score file from a stream (for example standard input); {@code name} names it in
   * messages. The stream is closed with the reader.
   *
   * @throws DataFileException if it is empty, not UTF-8 or has a bad header, naming {@code name}
   */
  public static ScoreFileReader open(
      java.io.InputStream in, Path name, ScoreFormat format, LabelSet expected) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CsvReader csv =
        new CsvReader(
            new java.io.BufferedReader(new InputStreamReader(in, decoder), 1 << 16), name);
    try {
      return new ScoreFileReader(name, csv, format, expected);
    } catch (RuntimeException e) {
      csv.close();
      throw wrap(name, e);
    }
  }

  private static RuntimeException wrap(Path file, RuntimeException e) {
    if (e instanceof UncheckedIOException io
        && io.getCause() instanceof java.nio.charset.CharacterCodingException) {
      return new DataFileException(file, 0, 0, "not valid UTF-8", e);
    }
    return e;
  }

  /** The label set of the file's label columns. */
  public LabelSet labels() {
    return labels;
  }

  /** Whether the file has an id column. */
  public boolean hasId() {
    return idColumn >= 0;
  }

  /** Whether the file has a gold column. */
  public boolean hasGold() {
    return goldColumn >= 0;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = readRow();
    }
    return next != null;
  }

  @Override
  public ScoreRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more rows in " + file);
    }
    ScoreRow row = next;
    next = null;
    return row;
  }

  private ScoreRow readRow() {
    List<String> fields;
    try {
      do {
        fields = csv.next();
      } while (fields != null && fields.size() == 1 && fields.get(0).isBlank() && width > 1);
    } catch (RuntimeException e) {
      throw wrap(file, e);
    }
    if (fields == null) {
      return null;
    }
    long line = csv.recordLine();
    if (fields.size() != width) {
      throw new DataFileException(
          file,
          line,
          Math.min(fields.size(), width) + 1,
          "row has " + fields.size() + " fields; the header has " + width);
    }
    double[] values = new double[labelColumns.length];
    for (int k = 0; k < labelColumns.length; k++) {
      int c = labelColumns[k];
      String cell = fields.get(c).trim();
      double v;
      try {
        v = Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        throw new DataFileException(
            file,
            line,
            c + 1,
            "'" + cell + "' for label '" + labels.name(k) + "' is not a number",
            e);
      }
      if (Double.isNaN(v)) {
        throw new DataFileException(file, line, c + 1, "NaN for label '" + labels.name(k) + "'");
      }
      if (format == ScoreFormat.PROB && !(v >= 0 && v <= 1)) {
        throw new DataFileException(
            file,
            line,
            c + 1,
            "probability " + cell + " for label '" + labels.name(k) + "' is outside [0, 1]");
      }
      if (format != ScoreFormat.PROB && v == Double.POSITIVE_INFINITY) {
        throw new DataFileException(
            file, line, c + 1, "score +Infinity for label '" + labels.name(k) + "'");
      }
      values[k] = v;
    }
    LabelDistribution distribution;
    try {
      distribution = format.toDistribution(labels, values);
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, line, labelColumns[0] + 1, e.getMessage(), e);
    }
    int gold = -1;
    if (goldColumn >= 0) {
      String cell = fields.get(goldColumn).trim();
      if (!cell.isEmpty()) {
        gold = parseGold(cell, line);
      }
    }
    String id = idColumn >= 0 ? fields.get(idColumn) : null;
    return new ScoreRow(line, id, gold, distribution);
  }

  private int parseGold(String cell, long line) {
    var byName = labels.indexOf(cell);
    if (byName.isPresent()) {
      return byName.getAsInt();
    }
    if (cell.matches("\\d{1,9}")) {
      int index = Integer.parseInt(cell);
      if (index < labels.size()) {
        return index;
      }
    }
    throw new DataFileException(
        file,
        line,
        goldColumn + 1,
        "gold '"
            + cell
            + "' is not a label; expected one of "
            + labels.names()
            + " or an index 0.."
            + (labels.size() - 1));
  }

  @Override
  public void close() {
    try {
      csv.close();
    } catch (UncheckedIOException e) {
      throw new IllegalStateException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }
}
