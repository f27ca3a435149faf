package io.calibra.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Strict reading of calibra's JSON files (calibrators, templates): UTF-8 only (an optional UTF-8
 * byte-order mark is skipped; other encodings and malformed bytes are refused naming the line and
 * column), one top-level value with nothing after it, no duplicate keys, and a size limit, so a
 * huge file is refused before it is read. Every problem is a {@link DataFileException} naming the
 * file and, where it has one, the line and column. Stateless and thread-safe.
 *
 * <p>{@link CalibratorFiles} reads calibrators with it; an application or the command line reads
 * its own JSON files (such as prompt templates) with {@link #readStream}, {@link #readFile} and
 * {@link #parseObject}, which gives plain Java values, so no JSON library type is part of the API.
 */
public final class StrictJson {
  /** The default size limit of a JSON file: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  /**
   * The system property that overrides {@link #DEFAULT_MAX_BYTES} (a positive number of bytes), for
   * example {@code -Dcalibra.json.maxBytes=268435456}; on the command line, through {@code
   * CALIBRA_JAVA_OPTS}.
   */
  public static final String MAX_BYTES_PROPERTY = "calibra.json.maxBytes";

  // a byte[] holds at most about Integer.MAX_VALUE bytes
  private static final long LARGEST_LIMIT = Integer.MAX_VALUE - 16L;

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private StrictJson() {}

  /**
   * The size limit in force: the {@value #MAX_BYTES_PROPERTY} system property when set, else {@link
   * #DEFAULT_MAX_BYTES}.
   *
   * @throws IllegalArgumentException if the property is not a whole number between 1 and 2147483631
   */
  public static long maxBytes() {
    String value = System.getProperty(MAX_BYTES_PROPERTY);
    if (value == null) {
      return DEFAULT_MAX_BYTES;
    }
    long limit;
    try {
      limit = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property "
              + MAX_BYTES_PROPERTY
              + " is '"
              + value
              + "'; expected a number of bytes",
          e);
    }
    return checkLimit(limit, "system property " + MAX_BYTES_PROPERTY);
  }

  private static long checkLimit(long limit, String what) {
    if (limit < 1 || limit > LARGEST_LIMIT) {
      throw new IllegalArgumentException(
          what + " is " + limit + "; expected a number of bytes from 1 to " + LARGEST_LIMIT);
    }
    return limit;
  }

  /**
   * The bytes of {@code file}, at most {@code maxBytes} of them.
   *
   * @throws DataFileException if the file is missing, unreadable or larger than {@code maxBytes}
   * @throws IllegalArgumentException if {@code maxBytes} is below 1 or above 2147483631
   */
  public static byte[] readFile(Path file, long maxBytes) {
    checkLimit(maxBytes, "maxBytes");
    try (InputStream in = Files.newInputStream(file)) {
      if (Files.isRegularFile(file) && Files.size(file) > maxBytes) {
        throw tooLarge(file, Files.size(file), maxBytes);
      }
      byte[] bytes = in.readNBytes((int) maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw tooLarge(file, -1, maxBytes);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, 0, 0, "file not found", e);
    } catch (IOException e) {
      throw new DataFileException(file, 0, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * The bytes of {@code in} (standard input, a FIFO), at most {@code maxBytes} of them: reading
   * stops at the first byte over the limit, so an endless stream fails quickly. {@code name} names
   * it in messages; the stream is not closed.
   *
   * @throws DataFileException if it is unreadable or has more than {@code maxBytes} bytes
   * @throws IllegalArgumentException if {@code maxBytes} is below 1 or above 2147483631
   */
  public static byte[] readStream(InputStream in, Path name, long maxBytes) {
    checkLimit(maxBytes, "maxBytes");
    try {
      byte[] bytes = in.readNBytes((int) maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw tooLarge(name, -1, maxBytes);
      }
      return bytes;
    } catch (IOException e) {
      throw new DataFileException(name, 0, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  private static DataFileException tooLarge(Path file, long size, long maxBytes) {
    return new DataFileException(
        file,
        0,
        0,
        (size >= 0 ? "the file has " + size + " bytes" : "the file has more bytes")
            + ", over the size limit of "
            + maxBytes
            + " bytes for JSON files; raise it with -D"
            + MAX_BYTES_PROPERTY
            + "=BYTES (on the command line in CALIBRA_JAVA_OPTS)");
  }

  /**
   * Decodes UTF-8 strictly, skipping a leading byte-order mark.
   *
   * @throws DataFileException naming the line and column of the first byte that is not UTF-8
   */
  public static String decode(byte[] bytes, Path file) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      long line = 1;
      int column = 1;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
          column++;
        }
      }
      throw new DataFileException(
          file,
          line,
          column,
          String.format(
              Locale.ROOT,
              "not valid UTF-8: a bad byte sequence starting with 0x%02X at byte offset %d;"
                  + " calibra reads JSON files as UTF-8 only",
              bytes[at] & 0xFF,
              at));
    }
    out.flip();
    if (out.length() > 0 && out.charAt(0) == '\uFEFF') {
      out.position(1);
    }
    return out.toString();
  }

  /**
   * Parses {@code bytes} strictly as one JSON value; {@code what} names the kind of file in
   * messages (for example "calibrator").
   *
   * @throws DataFileException naming the line and column of bad UTF-8, a syntax error, a duplicate
   *     key or anything after the top-level value
   */
  static JsonNode parse(byte[] bytes, Path file, String what) {
    return parse(decode(bytes, file), file, what);
  }

  /**
   * Parses {@code text} strictly as one JSON value; {@code what} names the kind of file in
   * messages.
   *
   * @throws DataFileException naming the line and column of a syntax error, a duplicate key or
   *     anything after the top-level value
   */
  static JsonNode parse(String text, Path file, String what) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      long line = at == null ? 0 : Math.max(0, at.getLineNr());
      int column = at == null ? 0 : Math.max(0, at.getColumnNr());
      throw new DataFileException(
          file,
          line,
          column,
          "not a valid " + what + " JSON file (corrupt or truncated): " + plainWords(e),
          e);
    }
  }

  // Jackson's "[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1]"
  private static final java.util.regex.Pattern SOURCE_LOCATION =
      java.util.regex.Pattern.compile("\\[Source: .*?line: (\\d+), column: (\\d+)\\]");
  private static final java.util.regex.Pattern UNCLOSED =
      java.util.regex.Pattern.compile(
          "Unexpected end-of-input: expected close marker for (Object|Array) \\(start marker at"
              + " (line \\d+, column \\d+)\\)");

  /**
   * Jackson's description of a parse error without its internals: a location is "line L, column C"
   * rather than a "[Source: ...]" block, and a file that ends too early says so, with the object or
   * array left open when Jackson names it.
   */
  static String plainWords(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    message = SOURCE_LOCATION.matcher(message).replaceAll("line $1, column $2");
    if (message.startsWith("Unexpected end-of-input")) {
      java.util.regex.Matcher unclosed = UNCLOSED.matcher(message);
      if (!unclosed.find()) {
        return "the file ends before the JSON is complete";
      }
      String kind = unclosed.group(1).equals("Array") ? "array" : "object";
      return "the file ends before the JSON is complete; the "
          + kind
          + " that starts at "
          + unclosed.group(2)
          + " is not closed";
    }
    return message.replace('\n', ' ').strip();
  }

  /**
   * Parses {@code bytes} strictly (as {@link #readFile} and {@link #decode} describe) as one JSON
   * object, returned as plain Java values: an object is an unmodifiable {@link java.util.Map} in
   * file order, an array an unmodifiable {@link java.util.List}, a string a {@link String}, a
   * number a {@link Long} when it is a whole number that fits, else a {@link Double}, {@code
   * true}/{@code false} a {@link Boolean}, and {@code null} is {@code null}. {@code what} names the
   * kind of file in messages (for example "template").
   *
   * @throws DataFileException naming the line and column of bad UTF-8, a syntax error, a duplicate
   *     key or anything after the value, or if the value is not an object
   */
  public static java.util.Map<String, Object> parseObject(byte[] bytes, Path file, String what) {
    JsonNode root = parse(bytes, file, what);
    if (root == null || !root.isObject()) {
      throw new DataFileException(file, 0, 0, "a " + what + " file is a JSON object");
    }
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> map = (java.util.Map<String, Object>) plain(root);
    return map;
  }

  private static Object plain(JsonNode node) {
    if (node.isObject()) {
      java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
      return java.util.Collections.unmodifiableMap(map);
    }
    if (node.isArray()) {
      java.util.List<Object> list = new java.util.ArrayList<>(node.size());
      node.forEach(e -> list.add(plain(e)));
      return java.util.Collections.unmodifiableList(list);
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return null;
  }

  /**
   * The 1-based line and column of the value of the top-level field {@code field} in {@code text},
   * or {@code {0, 0}} when there is none (for messages about that value).
   */
  static long[] locate(String text, String field) {
    try (JsonParser p = MAPPER.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new long[] {0, 0};
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        p.nextToken();
        if (field.equals(name)) {
          JsonLocation at = p.currentTokenLocation();
          return new long[] {at.getLineNr(), at.getColumnNr()};
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot re-read JSON that parsed: " + e.getMessage(), e);
    }
    return new long[] {0, 0};
  }
}
