package io.calibra.backend.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a Hugging Face {@code config.json}. */
final class ModelConfig {
  private ModelConfig() {}

  /**
   * The label name to class index mapping of {@code config.json}'s {@code id2label}.
   *
   * @throws IllegalArgumentException if there is no config.json, it is not JSON, or id2label is
   *     missing or malformed
   */
  static Map<String, Integer> id2label(ModelSource source) {
    byte[] json =
        source
            .readConfig()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "model "
                            + source.id()
                            + " has no config.json; give the classifier a label"
                            + " to class-index mapping"));
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "config.json of " + source.id() + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode id2label = root == null ? null : root.get("id2label");
    if (id2label == null || !id2label.isObject() || id2label.isEmpty()) {
      throw new IllegalArgumentException(
          "config.json of "
              + source.id()
              + " has no id2label object; expected {\"0\": \"name\", ...}");
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = id2label.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int index;
      try {
        index = Integer.parseInt(e.getKey());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "config.json of "
                + source.id()
                + " has id2label key '"
                + e.getKey()
                + "'; expected a class index",
            ex);
      }
      if (index < 0 || !e.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "config.json of "
                + source.id()
                + " has id2label entry "
                + e.getKey()
                + "="
                + e.getValue()
                + "; expected a non-negative index and a label name");
      }
      out.put(e.getValue().asText(), index);
    }
    return out;
  }
}
