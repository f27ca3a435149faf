package io.calibra.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV records one at a time: fields separated by commas, records by CRLF or LF,
 * fields optionally quoted with {@code "}, a quote inside a quoted field doubled; quoted fields may
 * span lines. A quote inside an unquoted field, text after a closing quote, or an unterminated
 * quote is a {@link DataFileException} naming the line and column. Read from an {@link
 * InputStream}, the bytes must be UTF-8: a malformed, overlong or surrogate sequence is a {@link
 * DataFileException} naming the line, the field and the byte offset. A record longer than {@link
 * #MAX_RECORD_CHARS} characters is a {@link DataFileException} too, so that an endless stream
 * without line breaks (such as {@code /dev/zero}) fails quickly instead of filling memory. Not
 * thread-safe.
 */
public final class CsvReader implements AutoCloseable {
  /**
   * The longest record read, in characters (64 Mi): far beyond any score row or text a model reads,
   * far below the memory of a default JVM.
   */
  public static final int MAX_RECORD_CHARS = 1 << 26;

  private static final int BUFFER = 1 << 16;

  private final Reader in;
  private final InputStream bytes;
  private final byte[] buffer;
  private final Path file;
  private int position;
  private int limit;
  private long consumed;
  private int pendingLowSurrogate = -1;
  private long line = 1;
  private long recordLine;
  private int currentField = 1;
  private int peeked = -2;

  /** Reads characters from {@code in}; {@code file} names it in messages. */
  public CsvReader(Reader in, Path file) {
    this.in = in;
    this.bytes = null;
    this.buffer = null;
    this.file = file;
  }

  /**
   * Reads UTF-8 bytes from {@code in}, buffered (do not wrap it in another buffer); {@code file}
   * names it in messages. Bad UTF-8 is a {@link DataFileException} naming the line and field.
   */
  public CsvReader(InputStream in, Path file) {
    this.in = null;
    this.bytes = in;
    this.buffer = new byte[BUFFER];
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
    currentField = 1;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean afterQuote = false;
    boolean fieldStart = true;
    long chars = 0;
    while (true) {
      if (++chars > MAX_RECORD_CHARS) {
        throw new DataFileException(
            file,
            recordLine,
            0,
            "a record longer than "
                + MAX_RECORD_CHARS
                + " characters (no line break); is this a CSV file?");
      }
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
        currentField = fields.size() + 1;
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
    return readChar();
  }

  private int peek() {
    if (peeked == -2) {
      peeked = readChar();
    }
    return peeked;
  }

  private int readChar() {
    if (in != null) {
      try {
        return in.read();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return decodeUtf8();
  }

  // A strict UTF-8 decoder: no overlong forms, no surrogates, nothing above U+10FFFF.
  private int decodeUtf8() {
    if (pendingLowSurrogate >= 0) {
      int c = pendingLowSurrogate;
      pendingLowSurrogate = -1;
      return c;
    }
    int b = nextByte();
    if (b < 0x80) {
      return b; // ASCII or -1 at the end
    }
    long offset = consumed - 1;
    int continuation;
    int cp;
    int min;
    if (b >= 0xC2 && b <= 0xDF) {
      continuation = 1;
      cp = b & 0x1F;
      min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      continuation = 2;
      cp = b & 0x0F;
      min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      continuation = 3;
      cp = b & 0x07;
      min = 0x10000;
    } else {
      throw badUtf8(b, offset);
    }
    for (int i = 0; i < continuation; i++) {
      int x = nextByte();
      if (x < 0 || (x & 0xC0) != 0x80) {
        throw badUtf8(b, offset);
      }
      cp = (cp << 6) | (x & 0x3F);
    }
    if (cp < min || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
      throw badUtf8(b, offset);
    }
    if (cp >= Character.MIN_SUPPLEMENTARY_CODE_POINT) {
      pendingLowSurrogate = Character.lowSurrogate(cp);
      return Character.highSurrogate(cp);
    }
    return cp;
  }

  private DataFileException badUtf8(int first, long offset) {
    return new DataFileException(
        file,
        line,
        currentField,
        String.format(
            java.util.Locale.ROOT,
            "not valid UTF-8: a bad byte sequence starting with 0x%02X at byte offset %d;"
                + " save the file as UTF-8",
            first,
            offset));
  }

  private int nextByte() {
    if (position == limit) {
      try {
        int n;
        do {
          n = bytes.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
          return -1;
        }
        position = 0;
        limit = n;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    consumed++;
    return buffer[position++] & 0xFF;
  }

  @Override
  public void close() {
    try {
      if (in != null) {
        in.close();
      } else {
        bytes.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }
}
