package io.calibra.backend;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds a stable fingerprint (a SHA-256, in hex) from named fields, for {@link
 * Scorer#fingerprint()}: the same fields in the same order give the same fingerprint across runs
 * and machines, and every field is length-prefixed, so moving text from one field to another
 * changes it. Not thread-safe; the result is a plain string. The hashing is Guava's {@code
 * Hashing.sha256()}.
 */
public final class Fingerprint {
  private final Hasher sha;

  private Fingerprint(String kind) {
    sha = Hashing.sha256().newHasher();
    add("calibra-scorer-fingerprint-v1", Objects.requireNonNull(kind, "kind"));
  }

  /** Starts a fingerprint of a scorer of the given kind (such as {@code "onnx-encoder"}). */
  public static Fingerprint of(String kind) {
    return new Fingerprint(kind);
  }

  /** The SHA-256 of {@code bytes}, in lower-case hex: a content hash of a model file. */
  public static String sha256(byte[] bytes) {
    return Hashing.sha256().hashBytes(bytes).toString();
  }

  private void part(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    sha.putBytes(String.valueOf(bytes.length).getBytes(StandardCharsets.UTF_8));
    sha.putByte((byte) ':');
    sha.putBytes(bytes);
  }

  /** Adds a named text field; null is recorded as absent, distinct from every string. */
  public Fingerprint add(String name, String value) {
    part(name);
    if (value == null) {
      sha.putByte((byte) 0);
    } else {
      sha.putByte((byte) 1);
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

  /**
   * The fingerprint: a SHA-256 of every field added, in lower-case hex. Call once.
   *
   * @throws IllegalStateException if it was already built (a second call, or adding a field after
   *     it, would otherwise hash something else silently)
   */
  public String build() {
    return sha.hash().toString();
  }
}
