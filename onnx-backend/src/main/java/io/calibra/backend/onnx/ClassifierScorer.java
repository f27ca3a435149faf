package io.calibra.backend.onnx;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An exported sequence classifier's logits {@code [batch, classes]}, mapped to the label set by
 * name: through an explicit name-to-class-index mapping, or through {@code config.json}'s {@code
 * id2label}.
 */
final class ClassifierScorer extends TokenizedScorer {
  private final SequenceRunner runner;
  private final Map<String, Integer> classIndex;

  ClassifierScorer(
      String id,
      OnnxSession session,
      TextTokenizer tokenizer,
      int batchSize,
      int maxTokens,
      Map<String, Integer> classIndex,
      String fingerprint) {
    super(id, session, tokenizer, batchSize, maxTokens, fingerprint);
    this.classIndex = Map.copyOf(classIndex);
    this.runner = new SequenceRunner(session, id);
  }

  @Override
  public ScoreKind kind() {
    return ScoreKind.LOGIT;
  }

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    int[] columns = new int[labels.size()];
    for (int k = 0; k < labels.size(); k++) {
      Integer c = classIndex.get(labels.name(k));
      if (c == null) {
        throw new IllegalArgumentException(
            "label '"
                + labels.name(k)
                + "' is not among classifier "
                + id
                + "'s classes "
                + classIndex.keySet());
      }
      columns[k] = c;
    }
    List<long[]> sequences = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      long[] ids = tokenizer.encode(requirePrompt(prompts, i)).getIds();
      if (ids.length == 0) {
        throw new IllegalArgumentException(
            "prompt "
                + i
                + " has no tokens in tokenizer "
                + tokenizer.name()
                + "; a classifier needs at least one");
      }
      if (ids.length > maxTokens) {
        throw new IllegalArgumentException(
            "prompt "
                + i
                + " has "
                + ids.length
                + " tokens; model "
                + id
                + " takes at most "
                + maxTokens);
      }
      sequences.add(ids);
    }
    LabelScores[] out = new LabelScores[prompts.size()];
    runner.run(
        sequences,
        batchSize,
        SequenceRunner.CLASS_LOGITS,
        (batch, logits, shape) -> {
          int classes = (int) shape[1];
          double[] scores = new double[columns.length];
          for (int r = 0; r < batch.length; r++) {
            for (int k = 0; k < columns.length; k++) {
              if (columns[k] >= classes) {
                throw new IllegalStateException(
                    "label '"
                        + labels.name(k)
                        + "' maps to class "
                        + columns[k]
                        + " but model "
                        + id
                        + " has "
                        + classes
                        + " classes");
              }
              scores[k] = logits.get(r * classes + columns[k]);
            }
            out[batch[r]] = Outputs.scores(id, batch[r], labels, ScoreKind.LOGIT, scores);
          }
        });
    return Arrays.asList(out);
  }

  @Override
  public String toString() {
    return "ClassifierScorer{" + id + ", classes=" + classIndex + "}";
  }
}
