package io.calibra.cli;

import io.calibra.cli.options.LabelOptions;
import io.calibra.cli.options.UsageException;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.TypeConversionException;

/** {@code --label NAME=TEXT} values given as text, in label order (see {@link LabelOptions}). */
final class LabelOption {
  private LabelOption() {}

  /**
   * Builds the label set: TEXT is one label description (encoder) or label words separated by
   * {@code |} (language models). At least two labels; a name must be readable back from the score
   * file {@code calibra score} writes (not id, gold, prediction or text).
   *
   * @throws UsageException (an {@link IllegalArgumentException}) naming the bad value
   */
  static LabelSet parse(List<String> options, boolean splitWords) {
    if (options == null) {
      return LabelOptions.build(null, splitWords);
    }
    List<LabelOptions.Label> labels = new ArrayList<>();
    LabelOptions.LabelConverter converter = new LabelOptions.LabelConverter();
    for (String option : options) {
      try {
        labels.add(converter.convert(option));
      } catch (TypeConversionException e) {
        throw new UsageException("--label " + e.getMessage());
      }
    }
    return LabelOptions.build(labels, splitWords);
  }
}
