package io.calibra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.internal.StrictJson;
import io.calibra.io.DataFileException;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.nio.file.Path;
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
    JsonNode root = StrictJson.parse(bytes, file, "template");
    if (root == null || !root.isObject()) {
      throw new DataFileException(file, 0, 0, "a template file is a JSON object");
    }
    root.fieldNames()
        .forEachRemaining(
            name -> {
              if (!FIELDS.contains(name)) {
                throw new DataFileException(
                    file, 0, 0, "unknown field '" + name + "'; expected " + FIELDS);
              }
            });
    PromptTemplate.Builder b =
        PromptTemplate.builder(labels)
            .instruction(string(root, "instruction", file))
            .inputPrefix(string(root, "input_prefix", file))
            .inputAnswerSeparator(string(root, "input_answer_separator", file))
            .answerPrefix(string(root, "answer_prefix", file))
            .demonstrationSeparator(string(root, "demonstration_separator", file));
    JsonNode demos = root.get("demonstrations");
    if (demos != null) {
      if (!demos.isArray()) {
        throw new DataFileException(file, 0, 0, "'demonstrations' is not an array");
      }
      for (int i = 0; i < demos.size(); i++) {
        JsonNode d = demos.get(i);
        if (d == null
            || !d.isObject()
            || !d.path("text").isTextual()
            || !d.path("label").isTextual()) {
          throw new DataFileException(
              file,
              0,
              0,
              "demonstration " + i + " is " + d + "; expected {\"text\": ..., \"label\": ...}");
        }
        String label = d.get("label").asText();
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
        b.demonstration(d.get("text").asText(), label);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
  }

  private static String string(JsonNode root, String field, Path file) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw new DataFileException(
          file, 0, 0, "field '" + field + "' is " + v + "; expected a string");
    }
    return v.asText();
  }
}
