package io.calibra.io;

import java.nio.file.Path;

/**
 * Bad data in a file: the message names the file, the 1-based line and, when known, the 1-based
 * column (0 when the problem is not in one column).
 */
public final class DataFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final int column;

  /** A problem at {@code line}, {@code column} of {@code file}. */
  public DataFileException(Path file, long line, int column, String problem) {
    super(file + (line > 0 ? ":" + line : "") + (column > 0 ? ":" + column : "") + ": " + problem);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** A problem at {@code line}, {@code column} of {@code file}, caused by {@code cause}. */
  public DataFileException(Path file, long line, int column, String problem, Throwable cause) {
    this(file, line, column, problem);
    initCause(cause);
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** The 1-based line, or 0 for the whole file. */
  public long line() {
    return line;
  }

  /** The 1-based column, or 0 when not about one column. */
  public int column() {
    return column;
  }
}
