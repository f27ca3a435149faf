package io.calibra.cli.demo;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.cli.output.Progress;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scores several tasks that share their dev and test texts with one pass of a model over those
 * texts: the tasks' label sets ({@link QuantizationStudy.Task#prototypes()}, few-shot examples as
 * label words) are joined into one label set, every text is scored once against all of it, and each
 * task gets its own labels' columns back. The encoder's texts are what costs; its label scores are
 * cheap, so SST-2 zero- and few-shot, or AG News with descriptions and with label words, cost one
 * embedding of their texts instead of two.
 *
 * <p>Exact for scorers whose score for a label does not depend on the other labels of the set, such
 * as the sentence encoder ({@code cos(text, prototype_k) / scale}) and label-word
 * log-probabilities; each task's distribution is computed from its own columns only.
 */
final class SharedScoring {
  private SharedScoring() {}

  /**
   * The tasks' dev, test and content-free distributions, in task order, from one pass of {@code
   * scorer} over the shared texts (scored in order of length, so that batches need little padding,
   * and returned in their own order).
   *
   * @throws IllegalArgumentException if there are no tasks or they differ in their dev or test
   *     texts
   */
  static List<QuantizationStudy.Scored> score(
      Scorer scorer, List<QuantizationStudy.Task> tasks, String what) {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("no tasks to score; expected at least one");
    }
    QuantizationStudy.Task first = tasks.get(0);
    for (QuantizationStudy.Task t : tasks) {
      if (!t.dev().texts().equals(first.dev().texts())
          || !t.test().texts().equals(first.test().texts())) {
        throw new IllegalArgumentException(
            "tasks '"
                + first.name()
                + "' and '"
                + t.name()
                + "' have different dev or test texts; expected the same texts to score once");
      }
    }
    LabelSet joined = join(tasks);
    List<List<LabelDistribution>> test =
        split(byLength(scorer, first.test().texts(), joined, what + " test"), tasks);
    List<List<LabelDistribution>> dev =
        split(byLength(scorer, first.dev().texts(), joined, what + " dev"), tasks);
    List<List<LabelDistribution>> contentFree =
        split(scorer.scoreAll(ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS, joined), tasks);
    List<QuantizationStudy.Scored> out = new ArrayList<>();
    for (int t = 0; t < tasks.size(); t++) {
      out.add(new QuantizationStudy.Scored(dev.get(t), test.get(t), contentFree.get(t)));
    }
    return out;
  }

  /**
   * The distributions of {@code texts} over {@code task}'s labels, scored against its {@link
   * QuantizationStudy.Task#prototypes()} (for inputs only one task needs, such as random in-domain
   * strings).
   */
  static List<LabelDistribution> score(
      Scorer scorer, QuantizationStudy.Task task, List<String> texts) {
    return split(scorer.scoreAll(texts, task.prototypes()), List.of(task)).get(0);
  }

  /** Every task's labels in one set, task {@code t}'s label {@code name} as {@code t:name}. */
  static LabelSet join(List<QuantizationStudy.Task> tasks) {
    LabelSet.Builder b = LabelSet.builder();
    for (int t = 0; t < tasks.size(); t++) {
      LabelSet labels = tasks.get(t).prototypes();
      for (int k = 0; k < labels.size(); k++) {
        b.add(t + ":" + labels.name(k), labels.words(k).toArray(String[]::new));
      }
    }
    return b.build();
  }

  /** Scores {@code texts} shortest first, with progress on standard error, in their own order. */
  private static List<LabelScores> byLength(
      Scorer scorer, List<String> texts, LabelSet labels, String task) {
    int[] order =
        IntStream.range(0, texts.size())
            .boxed()
            .sorted(Comparator.comparingInt(i -> texts.get(i).length()))
            .mapToInt(Integer::intValue)
            .toArray();
    List<String> sorted = new ArrayList<>(texts.size());
    for (int i : order) {
      sorted.add(texts.get(i));
    }
    List<LabelScores> scored = Progress.scoreAll(scorer, sorted, labels, task);
    LabelScores[] out = new LabelScores[texts.size()];
    for (int j = 0; j < order.length; j++) {
      out[order[j]] = scored.get(j);
    }
    return List.of(out);
  }

  /** Each task's columns of the joined scores, as distributions over the task's own labels. */
  private static List<List<LabelDistribution>> split(
      List<LabelScores> joined, List<QuantizationStudy.Task> tasks) {
    List<List<LabelDistribution>> out = new ArrayList<>();
    int from = 0;
    for (QuantizationStudy.Task task : tasks) {
      LabelSet labels = task.labels();
      List<LabelDistribution> d = new ArrayList<>(joined.size());
      for (LabelScores s : joined) {
        double[] all = s.toArray();
        double[] own = java.util.Arrays.copyOfRange(all, from, from + labels.size());
        d.add(LabelScores.of(labels, s.kind(), own).toDistribution());
      }
      out.add(d);
      from += labels.size();
    }
    return out;
  }
}
