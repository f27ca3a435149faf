package io.calibra.cli;

import io.calibra.golden.GoldenCase;
import io.calibra.io.CsvWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a golden case (calibration-core's test resources) as score files. */
final class GoldenCsv {
  private GoldenCsv() {}

  /** id, gold (label name), one logit column per label. */
  static Path scores(GoldenCase g, Path dir) throws IOException {
    Path file = dir.resolve(g.name + "-scores.csv");
    try (CsvWriter w = new CsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      List<String> header = new ArrayList<>(List.of("id", "gold"));
      header.addAll(g.labels.names());
      w.write(header);
      for (int i = 0; i < g.logits.size(); i++) {
        List<String> row = new ArrayList<>(List.of("row" + i, g.labels.name(g.gold[i])));
        for (double v : g.logits.get(i)) {
          row.add(Double.toString(v));
        }
        w.write(row);
      }
    }
    return file;
  }

  /** The content-free inputs' logits, id = the input. */
  static Path contentFree(GoldenCase g, Path dir) throws IOException {
    Path file = dir.resolve(g.name + "-cf.csv");
    try (CsvWriter w = new CsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      List<String> header = new ArrayList<>(List.of("id"));
      header.addAll(g.labels.names());
      w.write(header);
      String[] ids = {"N/A", "", "[MASK]"};
      for (int i = 0; i < 3; i++) {
        List<String> row = new ArrayList<>(List.of(ids[i]));
        for (double v : g.contentFreeLogits.get(i)) {
          row.add(Double.toString(v));
        }
        w.write(row);
      }
    }
    return file;
  }
}
