package io.calibra.cli;

import io.calibra.io.DataFileException;
import io.calibra.io.StrictJson;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A few-shot template file (JSON): {@code instruction}, {@code input_prefix}, {@code
 * input_answer_separator}, {@code answer_prefix}, {@code demonstration_separator} (strings, all
 * optional) and {@code demonstrations}: an array of {@code {"text": ..., "label": ...}}.
 */
final class TemplateFile {
  private static final Set<String> FIELDS =
      Set.of(
          "instruction",
          "input_prefix",
          "input_answer_separator",
          "answer_prefix",
          "demonstration_separator",
          "demonstrations");

  private TemplateFile() {}

  /**
   * Parses a template file's bytes (read with {@link CommandFiles#readJson}, at most {@link
   * StrictJson#maxBytes()} of them) strictly: UTF-8 only, no duplicate keys, nothing after the
   * object; {@code file} names it in messages.
   */
  static PromptTemplate parse(byte[] bytes, Path file, LabelSet labels) {
    Map<String, Object> root = StrictJson.parseObject(bytes, file, "template");
    for (String name : root.keySet()) {
      if (!FIELDS.contains(name)) {
        throw new DataFileException(file, 0, 0, "unknown field '" + name + "'; expected " + FIELDS);
      }
    }
    PromptTemplate.Builder b =
        PromptTemplate.builder(labels)
            .instruction(string(root, "instruction", file))
            .inputPrefix(string(root, "input_prefix", file))
            .inputAnswerSeparator(string(root, "input_answer_separator", file))
            .answerPrefix(string(root, "answer_prefix", file))
            .demonstrationSeparator(string(root, "demonstration_separator", file));
    Object demos = root.get("demonstrations");
    if (demos != null) {
      if (!(demos instanceof List<?> list)) {
        throw new DataFileException(file, 0, 0, "'demonstrations' is not an array");
      }
      for (int i = 0; i < list.size(); i++) {
        Object d = list.get(i);
        if (!(d instanceof Map<?, ?> demo)
            || !(demo.get("text") instanceof String text)
            || !(demo.get("label") instanceof String label)) {
          throw new DataFileException(
              file,
              0,
              0,
              "demonstration " + i + " is " + d + "; expected {\"text\": ..., \"label\": ...}");
        }
        if (labels.indexOf(label).isEmpty()) {
          throw new Main.UsageException(
              "--template "
                  + file
                  + ": demonstration "
                  + i
                  + " has label '"
                  + label
                  + "', which is not among the --label names "
                  + labels.names());
        }
        b.demonstration(text, label);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
  }

  private static String string(Map<String, Object> root, String field, Path file) {
    Object v = root.get(field);
    if (v == null) {
      return "";
    }
    if (!(v instanceof String text)) {
      throw new DataFileException(
          file, 0, 0, "field '" + field + "' is " + v + "; expected a string");
    }
    return text;
  }
}
