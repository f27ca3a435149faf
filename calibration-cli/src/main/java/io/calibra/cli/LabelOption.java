package io.calibra.cli;

import io.calibra.io.ScoreFileReader;
import io.calibra.label.LabelSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --label NAME=TEXT} options, in label order. */
final class LabelOption {
  private LabelOption() {}

  /**
   * Builds the label set: TEXT is one label description (encoder) or label words separated by
   * {@code |} (language models). At least two labels; a name must be readable back from the score
   * file {@code calibra score} writes (not id, gold, prediction or text).
   */
  static LabelSet parse(List<String> options, boolean splitWords) {
    if (options == null || options.size() < 2) {
      throw new Main.UsageException(
          "give at least two --label NAME=TEXT options, in label order; found "
              + (options == null ? 0 : options.size()));
    }
    Map<String, List<String>> verbalizers = new LinkedHashMap<>();
    for (String option : options) {
      int eq = option.indexOf('=');
      if (eq <= 0) {
        throw new Main.UsageException("--label '" + option + "' is not NAME=TEXT");
      }
      String name = option.substring(0, eq);
      String text = option.substring(eq + 1);
      try {
        ScoreFileReader.requireReadableLabelName(name);
      } catch (IllegalArgumentException e) {
        throw new Main.UsageException("--label " + option + ": " + e.getMessage());
      }
      List<String> words = splitWords ? Arrays.asList(text.split("\\|", -1)) : List.of(text);
      if (verbalizers.put(name, words) != null) {
        throw new Main.UsageException("--label " + name + " is given twice");
      }
    }
    try {
      return LabelSet.ofVerbalizers(verbalizers);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException("bad --label options: " + e.getMessage());
    }
  }
}
