package io.calibra.cli;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.TokenBudget;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFileWriter;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompts {@code calibra score} sends and the score files it writes: the template rendered
 * around each text (dropping old demonstrations to fit the model when asked), and a score file's
 * text from ids, gold and scores.
 */
final class ScoreFiles {
  private final Scorer scorer;
  private final PromptTemplate template;
  private final LabelSet labels;
  private final boolean encoder;
  private final boolean dropOldest;

  /**
   * The files of {@code scorer}'s run under {@code template}; {@code encoder}: the texts are scored
   * as they are; {@code dropOldest}: prompts too long for the model lose their oldest
   * demonstrations.
   */
  ScoreFiles(
      Scorer scorer,
      PromptTemplate template,
      LabelSet labels,
      boolean encoder,
      boolean dropOldest) {
    this.scorer = scorer;
    this.template = template;
    this.labels = labels;
    this.encoder = encoder;
    this.dropOldest = dropOldest;
  }

  /** The labels of every file. */
  LabelSet labels() {
    return labels;
  }

  /** The prompts of {@code inputs}: the texts themselves for the encoder, which reads no prompt. */
  List<String> render(List<String> inputs) {
    if (encoder) {
      return inputs;
    }
    List<String> prompts = new ArrayList<>(inputs.size());
    TokenBudget budget = scorer instanceof TokenBudget b ? b : null;
    for (String text : inputs) {
      prompts.add(
          budget == null || !dropOldest
              ? template.render(text)
              : template.renderWithin(
                  text,
                  budget::countTokens,
                  budget.maxTokens(),
                  PromptTemplate.Overflow.DROP_OLDEST_DEMONSTRATIONS));
    }
    return prompts;
  }

  /** A score file's text: ids, gold indices (null: none, -1 each) and the scores of each row. */
  String rows(
      Path file, boolean withGold, List<String> ids, List<Integer> gold, List<LabelScores> scores) {
    StringWriter text = new StringWriter();
    String name = CommandFiles.isStandard(file) ? "standard output" : file.toString();
    try (ScoreFileWriter w = ScoreFileWriter.create(text, name, labels, true, withGold, false)) {
      for (int i = 0; i < scores.size(); i++) {
        w.writeScores(ids.get(i), gold == null ? -1 : gold.get(i), scores.get(i).toArray());
      }
      w.commit();
    }
    return text.toString();
  }

  /** The gold label index of each text (-1 where it has none). */
  static List<Integer> goldIndices(InputTexts texts, LabelSet labels) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < texts.texts().size(); i++) {
      String g = texts.gold().get(i).trim();
      if (g.isEmpty()) {
        out.add(-1);
      } else {
        try {
          out.add(ScoreFileReader.goldIndex(labels, g));
        } catch (IllegalArgumentException e) {
          throw new DataFileException(
              texts.file(), texts.lines().get(i), texts.goldColumn(), e.getMessage(), e);
        }
      }
    }
    return out;
  }
}
