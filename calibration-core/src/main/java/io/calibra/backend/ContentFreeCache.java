package io.calibra.backend;

import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches the scores of content-free inputs per (scorer fingerprint, template fingerprint, label
 * set, inputs), so that building several calibrators, or several classifiers over one scorer,
 * queries the model once. Thread-safe; a cached entry is computed once even when many threads ask
 * for it.
 */
public final class ContentFreeCache {
  private record Key(
      String scorerFingerprint, String templateFingerprint, LabelSet labels, List<String> inputs) {}

  private final ConcurrentHashMap<Key, List<LabelScores>> entries = new ConcurrentHashMap<>();

  /** An empty cache. */
  public ContentFreeCache() {}

  /**
   * The scores of {@code inputs} rendered by {@code template}, from the cache or from {@code
   * scorer}.
   */
  public List<LabelScores> scores(Scorer scorer, PromptTemplate template, List<String> inputs) {
    Key key =
        new Key(
            scorer.fingerprint(), template.fingerprint(), template.labels(), List.copyOf(inputs));
    return entries.computeIfAbsent(
        key,
        k ->
            List.copyOf(
                Scorers.forTemplate(scorer, template)
                    .scoreAll(template.renderAll(k.inputs()), k.labels())));
  }

  /** The number of cached entries. */
  public int size() {
    return entries.size();
  }

  /** Forgets every entry. */
  public void clear() {
    entries.clear();
  }
}
