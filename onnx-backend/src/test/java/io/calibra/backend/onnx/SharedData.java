package io.calibra.backend.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds ../shared/data (beside the project root) and reads SST-2; tests skip when it is absent. */
final class SharedData {
  private SharedData() {}

  static Optional<Path> sst2() {
    String override = System.getProperty("calibra.data");
    if (override != null) {
      return Optional.of(Paths.get(override, "sst2")).filter(Files::isDirectory);
    }
    Path dir = Paths.get("").toAbsolutePath();
    for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data/sst2");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** A labelled SST-2 split: gold label (0 negative, 1 positive) and sentence, in file order. */
  record Split(List<String> sentences, int[] gold) {}

  static Split read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> sentences = new ArrayList<>();
      int[] gold = new int[lines.size()];
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        gold[i] = line.charAt(0) - '0';
        sentences.add(line.substring(2));
      }
      return new Split(sentences, gold);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
