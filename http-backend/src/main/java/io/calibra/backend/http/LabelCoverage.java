package io.calibra.backend.http;

import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** How often each label of one label set was missing from the answers, and what was there. */
final class LabelCoverage {
  final LabelSet labels;
  final AtomicLong prompts = new AtomicLong();
  final AtomicLongArray absent;
  final AtomicLongArray variantSeen;
  final AtomicReferenceArray<String> variants;

  LabelCoverage(LabelSet labels) {
    this.labels = labels;
    this.absent = new AtomicLongArray(labels.size());
    this.variantSeen = new AtomicLongArray(labels.size());
    this.variants = new AtomicReferenceArray<>(labels.size());
  }

  void absent(int label, String variant) {
    absent.incrementAndGet(label);
    if (variant != null) {
      variantSeen.incrementAndGet(label);
      variants.compareAndSet(label, null, variant);
    }
  }

  /** The share of prompts a label may miss from the answers before it is reported. */
  static final double WARN_ABSENT = 0.5;

  /**
   * One line per label missing from at least {@link #WARN_ABSENT} of the answers of the server at
   * {@code url}: how often, and the word variant the answers held instead, if any.
   */
  List<String> warnings(String url) {
    List<String> out = new ArrayList<>();
    long n = prompts.get();
    for (int label = 0; label < labels.size() && n > 0; label++) {
      long missing = absent.get(label);
      if (missing < WARN_ABSENT * n) {
        continue;
      }
      String line =
          "label '"
              + labels.name(label)
              + "' (words "
              + quoted(labels.words(label))
              + ") was not among the top_logprobs of server "
              + url
              + " for "
              + missing
              + " of "
              + n
              + " prompts ("
              + Math.round(100.0 * missing / n)
              + "%); those rows got the floor min(top_logprobs), so their scores are bounds, not"
              + " values";
      long seen = variantSeen.get(label);
      if (seen > 0) {
        line +=
            "; the answers held '"
                + variants.get(label)
                + "' instead for "
                + seen
                + " of them: use the label word '"
                + variants.get(label)
                + (variants.get(label).startsWith(" ")
                    ? "' (the model writes it after a space)"
                    : "' (chat models usually begin their answer without a space)");
      }
      out.add(line);
    }
    return out;
  }

  private static String quoted(List<String> words) {
    List<String> q = new ArrayList<>();
    for (String w : words) {
      q.add("'" + w + "'");
    }
    return String.join(", ", q);
  }
}
