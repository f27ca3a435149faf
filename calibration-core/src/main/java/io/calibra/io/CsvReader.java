package io.calibra.io;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV records one at a time: fields separated by commas, records by CRLF or LF,
 * fields optionally quoted with {@code "}, a quote inside a quoted field doubled; quoted fields may
 * span lines. A quote inside an unquoted field, text after a closing quote, or an unterminated
 * quote is a {@link DataFileException} naming the line and column. Not thread-safe.
 */
public final class CsvReader implements AutoCloseable {
  private final Reader in;
  private final Path file;
  private long line = 1;
  private long recordLine;
  private int peeked = -2;

  /** Reads from {@code in}; {@code file} names it in messages. */
  public CsvReader(Reader in, Path file) {
    this.in = in;
    this.file = file;
  }

  /** The 1-based line on which the last record returned started. */
  public long recordLine() {
    return recordLine;
  }

  /**
   * The next record's fields, or null at the end of the input. A blank line is a record with one
   * empty field.
   */
  public List<String> next() {
    int c = read();
    if (c == -1) {
      return null;
    }
    recordLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean afterQuote = false;
    boolean fieldStart = true;
    while (true) {
      if (quoted) {
        if (c == -1) {
          throw new DataFileException(
              file, recordLine, fields.size() + 1, "unterminated quoted field");
        }
        if (c == '"') {
          int n = peek();
          if (n == '"') {
            read();
            field.append('"');
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        afterQuote = false;
        fieldStart = true;
        c = read();
        continue;
      } else if (c == '\r' || c == '\n' || c == -1) {
        if (c == '\r' && peek() == '\n') {
          read();
        }
        if (c != -1) {
          line++;
        }
        fields.add(field.toString());
        return fields;
      } else if (afterQuote) {
        throw new DataFileException(
            file,
            line,
            fields.size() + 1,
            "text after a closing quote; expected a comma or the line's end");
      } else if (c == '"') {
        if (!fieldStart) {
          throw new DataFileException(
              file,
              line,
              fields.size() + 1,
              "a quote inside an unquoted field; quote the whole field");
        }
        quoted = true;
      } else {
        field.append((char) c);
      }
      fieldStart = false;
      c = read();
    }
  }

  private int read() {
    if (peeked != -2) {
      int c = peeked;
      peeked = -2;
      return c;
    }
    try {
      return in.read();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private int peek() {
    if (peeked == -2) {
      try {
        peeked = in.read();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return peeked;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }
}
