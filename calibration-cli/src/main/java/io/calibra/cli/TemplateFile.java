package io.calibra.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.io.DataFileException;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

  static PromptTemplate read(Path file, LabelSet labels) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, 0, 0, "file not found", e);
    } catch (IOException e) {
      throw new DataFileException(file, 0, 0, "cannot read: " + e.getMessage(), e);
    }
    return parse(bytes, file, labels);
  }

  static PromptTemplate parse(byte[] bytes, Path file, LabelSet labels) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
      int column = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getColumnNr());
      throw new DataFileException(
          file, line, column, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new DataFileException(file, 0, 0, "cannot parse: " + e.getMessage(), e);
    }
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
        b.demonstration(d.get("text").asText(), d.get("label").asText());
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
