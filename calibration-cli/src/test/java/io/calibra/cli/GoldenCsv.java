package io.calibra.cli;

import io.calibra.golden.GoldenCase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a golden case (calibration-core's test resources) as score files. */
final class GoldenCsv {
  private GoldenCsv() {}

  /** id, gold (label name), one logit column per label. */
  static Path scores(GoldenCase g, Path dir) throws IOException {
    List<String> header = new ArrayList<>(List.of("id", "gold"));
    header.addAll(g.labels.names());
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < g.logits.size(); i++) {
      List<String> row = new ArrayList<>(List.of("row" + i, g.labels.name(g.gold[i])));
      for (double v : g.logits.get(i)) {
        row.add(Double.toString(v));
      }
      rows.add(row);
    }
    return TestDir.csv(dir.resolve(g.name + "-scores.csv"), header, rows);
  }

  /** The content-free inputs' logits, id = the input. */
  static Path contentFree(GoldenCase g, Path dir) throws IOException {
    List<String> header = new ArrayList<>(List.of("id"));
    header.addAll(g.labels.names());
    String[] ids = {"N/A", "", "[MASK]"};
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<String> row = new ArrayList<>(List.of(ids[i]));
      for (double v : g.contentFreeLogits.get(i)) {
        row.add(Double.toString(v));
      }
      rows.add(row);
    }
    return TestDir.csv(dir.resolve(g.name + "-cf.csv"), header, rows);
  }
}
