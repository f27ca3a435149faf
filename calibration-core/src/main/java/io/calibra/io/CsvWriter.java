package io.calibra.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes RFC 4180 CSV records, with LF line ends (which RFC 4180 readers, ours included, accept),
 * quoting a field only when it holds a comma, a quote, CR or LF. Not thread-safe.
 */
public final class CsvWriter implements AutoCloseable {
  private final Writer out;

  /** Writes to {@code out}; closing this closes it. */
  public CsvWriter(Writer out) {
    this.out = out;
  }

  /** Writes one record. */
  public void write(List<String> fields) {
    try {
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(quote(fields.get(i)));
      }
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write CSV: " + e.getMessage(), e);
    }
  }

  /** The field as CSV: quoted, with quotes doubled, when it needs to be. */
  public static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close CSV output: " + e.getMessage(), e);
    }
  }
}
