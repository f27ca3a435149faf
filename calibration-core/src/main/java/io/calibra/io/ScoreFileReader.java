package io.calibra.io;

import io.calibra.internal.Probabilities;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
 *
 * <p>A score cell is a decimal number: an optional sign, digits with an optional fraction ({@code
 * 5}, {@code 5.}, {@code .5}, {@code 5.25}), an optional exponent ({@code e-3}, {@code E+7}), or
 * {@code Infinity} with an optional sign; spaces and tabs around it are ignored. {@code NaN} is
 * recognised and rejected; anything else (hexadecimal {@code 0x1p-1}, Java suffixes {@code 1d},
 * {@code 1.5f}, {@code inf}, thousands separators) is not a number. Reading a header is linear in
 * its number of columns.
 */
public final class ScoreFileReader implements Iterator<ScoreRow>, AutoCloseable {
  private static final Set<String> RESERVED = Set.of("id", "gold", "prediction", "text");
  private static final String CALIBRATED_PREFIX = "calibrated_";
  private static final String CONFIDENCE = "confidence";

  private final Path file;
  private final CsvReader csv;
  private final ScoreFormat format;
  private final LabelSet labels;
  private final int idColumn;
  private final int goldColumn;
  private final int[] labelColumns;
  private final int width;
  private ScoreRow next;
  private long rowsRead;
  private boolean allLookLikeProbabilities = true;

  private static final double PROBABILITY_SUM_TOLERANCE = 1e-6;

  private ScoreFileReader(Path file, CsvReader csv, ScoreFormat format, LabelSet expected) {
    this.file = file;
    this.csv = csv;
    this.format = format;
    List<String> header = csv.next();
    if (header == null || (header.size() == 1 && header.get(0).isBlank())) {
      throw new DataFileException(file, 1, 0, "the file is empty; expected a header row");
    }
    requireCommaSeparated(file, header);
    int calibrated = calibratedOutputColumn(header);
    if (calibrated >= 0) {
      throw new DataFileException(
          file, 1, calibrated + 1, calibratedOutputProblem(columnName(header.get(calibrated))));
    }
    int id = -1;
    int gold = -1;
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
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
      if (seen.contains(name)
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
            seen.add(name);
            columns.add(c);
          }
        }
      }
    }
    if (names.isEmpty()) {
      throw new DataFileException(
          file,
          1,
          0,
          "the header "
              + abbreviate(header.toString())
              + " has no label columns; is the header row missing?");
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

  private static void requireCommaSeparated(Path file, List<String> header) {
    if (header.size() == 1) {
      String only = header.get(0);
      String separator =
          only.indexOf(';') >= 0 ? "semicolons" : only.indexOf('\t') >= 0 ? "tabs" : null;
      if (separator != null) {
        throw new DataFileException(
            file,
            1,
            1,
            "the header is one column separated by "
                + separator
                + " ('"
                + abbreviate(only.replace("\t", "\\t"))
                + "'); the columns of a score file must be separated by commas");
      }
    }
  }

  /**
   * Whether {@code name} is one of the columns of a score file that are not labels: {@code id},
   * {@code gold}, {@code prediction} and {@code text}.
   */
  public static boolean isReservedColumn(String name) {
    return RESERVED.contains(name);
  }

  /**
   * The 0-based position of the first column of {@code header} that shows the columns are the
   * output of {@code calibra-spark calibrate} rather than a score file, or -1: a label column
   * {@code calibrated_X} beside a label column {@code X}, or a {@code confidence} column beside
   * label columns that are all {@code calibrated_X} or beside a {@code prediction} column (that
   * output with its calibrated columns dropped). Read as a score file, such columns would be taken
   * for extra labels and give wrong numbers; a label really named {@code confidence} or {@code
   * calibrated_X} without the other columns of that layout stays a label. Names are trimmed.
   */
  public static int calibratedOutputColumn(List<String> header) {
    List<String> names = header.stream().map(ScoreFileReader::columnName).toList();
    Set<String> labels = new HashSet<>();
    for (String name : names) {
      if (!RESERVED.contains(name)) {
        labels.add(name);
      }
    }
    boolean allCalibrated = true;
    boolean anyCalibrated = false;
    for (int c = 0; c < names.size(); c++) {
      String name = names.get(c);
      if (name.startsWith(CALIBRATED_PREFIX)) {
        anyCalibrated = true;
        if (labels.contains(name.substring(CALIBRATED_PREFIX.length()))) {
          return c;
        }
      } else if (!RESERVED.contains(name) && !name.equals(CONFIDENCE)) {
        allCalibrated = false;
      }
    }
    boolean confidenceIsOutput = names.contains("prediction") || (anyCalibrated && allCalibrated);
    return labels.contains(CONFIDENCE) && confidenceIsOutput ? names.indexOf(CONFIDENCE) : -1;
  }

  // a header cell as the reader names it: trimmed, without a leading byte-order mark
  private static String columnName(String cell) {
    String name = cell.trim();
    return name.startsWith("\uFEFF") ? name.substring(1).trim() : name;
  }

  /**
   * What is wrong with the column {@code name} that {@link #calibratedOutputColumn} found, and what
   * to do, in one sentence.
   */
  public static String calibratedOutputProblem(String name) {
    return "column '"
        + name
        + "' is from calibra-spark calibrate's output (calibrated_LABEL columns beside the"
        + " labels, prediction and confidence), which is not a score file: read as one, its"
        + " calibrated_LABEL and confidence columns would count as labels; a score file has one"
        + " column per label, so keep either the raw or the calibrated columns, named by the"
        + " labels, and drop confidence";
  }

  // A number with a sign, a point or an exponent cannot be a label name but is typical of a data
  // row; plain integers stay allowed, since labels are often named 0, 1, 2...
  private static boolean looksNumeric(String s) {
    boolean number = isDecimal(s) || s.equals("+NaN") || s.equals("-NaN");
    return number && !allDigits(s);
  }

  /**
   * Checks that a label called {@code name} can be read back from a score file's header: not a
   * reserved column name ({@code id}, {@code gold}, {@code prediction}, {@code text}), no spaces
   * around it (the header is trimmed), and not a number with a sign, point or exponent (which reads
   * as a missing header).
   *
   * @throws IllegalArgumentException saying why it cannot be read back
   */
  public static void requireReadableLabelName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a label name is empty");
    }
    if (RESERVED.contains(name.trim())) {
      throw new IllegalArgumentException(
          "label name '"
              + name
              + "' is reserved for a score file column (id, gold, prediction, text); choose"
              + " another name");
    }
    if (!name.equals(name.trim()) || name.startsWith("\uFEFF")) {
      throw new IllegalArgumentException(
          "label name '" + name + "' has spaces around it, which a score file header loses");
    }
    if (looksNumeric(name)) {
      throw new IllegalArgumentException(
          "label name '" + name + "' is a number, which a score file header cannot have");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " characters)";
  }

  private static boolean allDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code s} is in the score files' number grammar: {@code [+-]? (D+ ('.' D*)? | '.' D+)
   * ([eE] [+-]? D+)?} with ASCII digits D, or {@code [+-]?Infinity}, or {@code NaN}. No surrounding
   * whitespace. A linear scan, no regular expression.
   */
  public static boolean isDecimal(String s) {
    int n = s.length();
    int i = 0;
    if (n == 0) {
      return false;
    }
    char first = s.charAt(0);
    if (first == '+' || first == '-') {
      i++;
    }
    if (i < n && s.charAt(i) == 'I') {
      return n - i == 8 && s.startsWith("Infinity", i);
    }
    if (i < n && s.charAt(i) == 'N') {
      return i == 0 && s.equals("NaN");
    }
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exponentDigits = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String trimBlanks(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return from == 0 && to == s.length() ? s : s.substring(from, to);
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
    CsvReader csv;
    try {
      csv = new CsvReader(Files.newInputStream(file), file);
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
    CsvReader csv = new CsvReader(in, name);
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
      String cell = trimBlanks(fields.get(c));
      if (!isDecimal(cell)) {
        throw new DataFileException(
            file,
            line,
            c + 1,
            "'"
                + abbreviate(cell)
                + "' for label '"
                + labels.name(k)
                + "' is not a number; expected a decimal such as 0.25, -1.5e-3 or -Infinity");
      }
      double v = Double.parseDouble(cell);
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
      if (format == ScoreFormat.LOGPROB) {
        try {
          v = Probabilities.checkLogProbability(labels.names(), k, v);
        } catch (IllegalArgumentException e) {
          String hint = v <= 1 ? "; the file may hold probabilities (score format prob)" : "";
          throw new DataFileException(file, line, c + 1, e.getMessage() + hint, e);
        }
      }
      values[k] = v;
    }
    if (format != ScoreFormat.PROB && allLookLikeProbabilities) {
      allLookLikeProbabilities = isProbabilityRow(values);
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
    rowsRead++;
    return new ScoreRow(line, id, gold, distribution, values);
  }

  private static boolean isProbabilityRow(double[] values) {
    double sum = 0;
    for (double v : values) {
      if (!(v >= 0 && v <= 1)) {
        return false;
      }
      sum += v;
    }
    return Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE;
  }

  /**
   * Whether the file is read as logits or log-probabilities and every row read so far (at least
   * one) is a probability distribution: values in [0, 1] summing to 1 within 1e-6. Such a file was
   * probably meant to be read with {@link ScoreFormat#PROB}; ask after the last row. (Read as
   * log-probabilities, such a file fails at its first value above 0, with that hint.)
   */
  public boolean rowsLookLikeProbabilities() {
    return format != ScoreFormat.PROB && rowsRead > 0 && allLookLikeProbabilities;
  }

  /** The number of rows returned so far. */
  public long rowsRead() {
    return rowsRead;
  }

  /**
   * The label index of a gold cell: a label name, or a 0-based index below the number of labels.
   *
   * @throws IllegalArgumentException if it is neither; for a number out of range the message says
   *     that numbers are 0-based indices and lists the label names
   */
  public static int goldIndex(LabelSet labels, String cell) {
    var byName = labels.indexOf(cell);
    if (byName.isPresent()) {
      return byName.getAsInt();
    }
    if (allDigits(cell)) {
      if (cell.length() <= 9 && Integer.parseInt(cell) < labels.size()) {
        return Integer.parseInt(cell);
      }
      throw new IllegalArgumentException(
          "gold "
              + abbreviate(cell)
              + " is out of range: numbers in the gold column are 0-based label indices 0.."
              + (labels.size() - 1)
              + " of the labels "
              + abbreviate(labels.names().toString())
              + " (a file numbered from 1 needs its gold shifted down by one, or label names)");
    }
    throw new IllegalArgumentException(
        "gold '"
            + abbreviate(cell)
            + "' is not a label; expected one of "
            + abbreviate(labels.names().toString())
            + " or a 0-based index 0.."
            + (labels.size() - 1));
  }

  private int parseGold(String cell, long line) {
    try {
      return goldIndex(labels, cell);
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, line, goldColumn + 1, e.getMessage(), e);
    }
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
