package io.calibra.backend.onnx;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A least-recently-used map from prompt prefixes to their key/value caches, bounded by the caches'
 * bytes. Thread-safe: lookups and evictions hold a lock; a missing cache is computed outside it
 * (two threads may compute the same one; the result is the same and one copy is kept). A cache
 * larger than the whole budget is computed and returned but not kept.
 */
final class PrefixCache {
  private final long budget;
  private final LinkedHashMap<String, PrefixRunner.Kv> entries =
      new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  PrefixCache(long budgetBytes) {
    this.budget = budgetBytes;
  }

  /** The cache of {@code prefix}, computed by {@code compute} if it is not held. */
  PrefixRunner.Kv get(String prefix, Function<String, PrefixRunner.Kv> compute) {
    synchronized (this) {
      PrefixRunner.Kv kv = entries.get(prefix);
      if (kv != null) {
        return kv;
      }
    }
    PrefixRunner.Kv kv = compute.apply(prefix);
    synchronized (this) {
      PrefixRunner.Kv held = entries.get(prefix);
      if (held != null) {
        return held;
      }
      if (kv.bytes() <= budget) {
        entries.put(prefix, kv);
        bytes += kv.bytes();
        Iterator<Map.Entry<String, PrefixRunner.Kv>> it = entries.entrySet().iterator();
        while (bytes > budget && it.hasNext()) {
          Map.Entry<String, PrefixRunner.Kv> eldest = it.next();
          if (eldest.getValue() != kv) {
            bytes -= eldest.getValue().bytes();
            it.remove();
          }
        }
      }
      return kv;
    }
  }

  /** The bytes of the caches held. */
  synchronized long bytes() {
    return bytes;
  }

  /** The number of caches held. */
  synchronized int size() {
    return entries.size();
  }
}
