package io.calibra.cli.options;

import io.calibra.io.ScoreFileReader;
import io.calibra.label.LabelSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --label <name>=<text>}, repeated in label order: the labels of a model's scores. TEXT is
 * one label description (encoder) or label words separated by {@code |} (language models). A
 * picocli mixin.
 */
public final class LabelOptions {
  /** One {@code --label} value: a name readable back from a score file, and its text. */
  public record Label(String name, String text) {}

  @Option(
      names = "--label",
      required = true,
      order = HelpSections.MODEL,
      paramLabel = "<name>=<text>",
      converter = LabelConverter.class,
      description =
          "A label, repeated in label order. TEXT: its description (encoder) or its words"
              + " separated by | (language models).")
  List<Label> labels;

  /** The label set, splitting each text into words at {@code |} when {@code splitWords}. */
  public LabelSet labels(boolean splitWords) {
    return build(labels, splitWords);
  }

  /**
   * Parses one {@code NAME=TEXT}; the name must be readable back (not id, gold, prediction, text).
   */
  public static final class LabelConverter implements ITypeConverter<Label> {
    @Override
    public Label convert(String option) {
      int eq = option.indexOf('=');
      if (eq <= 0) {
        throw new TypeConversionException("'" + option + "' is not NAME=TEXT");
      }
      String name = option.substring(0, eq);
      try {
        ScoreFileReader.requireReadableLabelName(name);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(option + ": " + e.getMessage());
      }
      return new Label(name, option.substring(eq + 1));
    }
  }

  /**
   * Builds the label set of the given {@code --label} values: at least two, each name once.
   *
   * @throws UsageException naming the problem
   */
  public static LabelSet build(List<Label> labels, boolean splitWords) {
    if (labels == null || labels.size() < 2) {
      throw new UsageException(
          "give at least two --label NAME=TEXT options, in label order; found "
              + (labels == null ? 0 : labels.size()));
    }
    Map<String, List<String>> verbalizers = new LinkedHashMap<>();
    for (Label label : labels) {
      List<String> words =
          splitWords ? Arrays.asList(label.text().split("\\|", -1)) : List.of(label.text());
      if (verbalizers.put(label.name(), words) != null) {
        throw new UsageException("--label " + label.name() + " is given twice");
      }
    }
    try {
      return LabelSet.ofVerbalizers(verbalizers);
    } catch (IllegalArgumentException e) {
      throw new UsageException("bad --label options: " + e.getMessage());
    }
  }
}
