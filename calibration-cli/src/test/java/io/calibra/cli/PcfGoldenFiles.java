package io.calibra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * golden/fsl-parity-logprob.json (calibration-core's test resources; see golden/README.md) written
 * as the two files the CLI reads: {@code scores.csv} (id, gold, the two labels' log-probabilities)
 * and {@code cf.csv} (the content-free inputs "N/A", "" and "[MASK]").
 */
record PcfGoldenFiles(JsonNode golden, Path scores, Path contentFree) {
  static PcfGoldenFiles writeTo(Path folder) throws IOException {
    JsonNode golden;
    try (InputStream in =
        PcfGoldenFiles.class.getResourceAsStream("/golden/fsl-parity-logprob.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    StringBuilder s = new StringBuilder("id,gold,negative,positive\n");
    JsonNode rows = golden.get("rows");
    for (int i = 0; i < rows.size(); i++) {
      s.append("r").append(i).append(',').append(rows.get(i).get("gold").asInt());
      appendPair(s, rows.get(i).get("logprobs"));
    }
    StringBuilder c = new StringBuilder("id,negative,positive\n");
    for (String input : List.of("N/A", "", "[MASK]")) {
      c.append('"').append(input).append('"');
      appendPair(c, golden.get("content_free_logprobs").get(input));
    }
    return new PcfGoldenFiles(
        golden,
        Files.writeString(folder.resolve("scores.csv"), s),
        Files.writeString(folder.resolve("cf.csv"), c));
  }

  private static void appendPair(StringBuilder line, JsonNode logprobs) {
    line.append(',').append(Double.toString(logprobs.get(0).asDouble()));
    line.append(',').append(Double.toString(logprobs.get(1).asDouble())).append('\n');
  }
}
