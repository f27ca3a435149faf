package io.calibra.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds a stable fingerprint (a SHA-256, in hex) from named fields, for {@link
 * Scorer#fingerprint()}: the same fields in the same order give the same fingerprint across runs
 * and machines, and every field is length-prefixed, so moving text from one field to another
 * changes it. Not thread-safe; the result is a plain string.
 */
public final class Fingerprint {
  private final MessageDigest sha;

  private Fingerprint(String kind) {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
    add("calibra-scorer-fingerprint-v1", Objects.requireNonNull(kind, "kind"));
  }

  /** Starts a fingerprint of a scorer of the given kind (such as {@code "onnx-encoder"}). */
  public static Fingerprint of(String kind) {
    return new Fingerprint(kind);
  }

  /** The SHA-256 of {@code bytes}, in lower-case hex: a content hash of a model file. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private void part(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    sha.update(String.valueOf(bytes.length).getBytes(StandardCharsets.UTF_8));
    sha.update((byte) ':');
    sha.update(bytes);
  }

  /** Adds a named text field; null is recorded as absent, distinct from every string. */
  public Fingerprint add(String name, String value) {
    part(name);
    if (value == null) {
      sha.update((byte) 0);
    } else {
      sha.update((byte) 1);
      part(value);
    }
    return this;
  }

  /** Adds a named number, by its exact bits (so 0.05 and 0.05000000000000001 differ). */
  public Fingerprint add(String name, double value) {
    return add(name, "double:" + Long.toHexString(Double.doubleToLongBits(value)));
  }

  /** Adds a named integer. */
  public Fingerprint add(String name, long value) {
    return add(name, "long:" + value);
  }

  /** Adds a named list of texts, in order. */
  public Fingerprint add(String name, List<String> values) {
    add(name + ".size", values.size());
    for (int i = 0; i < values.size(); i++) {
      add(name + "[" + i + "]", values.get(i));
    }
    return this;
  }

  /** Adds a named map, in key order (so a map's iteration order does not matter). */
  public Fingerprint addMap(String name, Map<String, ?> values) {
    Map<String, ?> sorted = new TreeMap<>(values);
    add(name + ".size", sorted.size());
    sorted.forEach(
        (key, value) -> {
          if (value instanceof List<?> list) {
            add(name + "." + key, list.stream().map(String::valueOf).toList());
          } else {
            add(name + "." + key, String.valueOf(value));
          }
        });
    return this;
  }

  /** The fingerprint: a SHA-256 of every field added, in lower-case hex. Call once. */
  public String build() {
    return HexFormat.of().formatHex(sha.digest());
  }
}
