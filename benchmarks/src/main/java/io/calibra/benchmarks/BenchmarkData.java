package io.calibra.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** SST-2 sentences for benchmarks, from {@code -Dcalibra.data=DIR} or ../shared/data. */
final class BenchmarkData {
  private BenchmarkData() {}

  static Path dataDir() {
    String override = System.getProperty("calibra.data");
    if (override != null) {
      return Paths.get(override);
    }
    Path dir = Paths.get("").toAbsolutePath();
    for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data");
      if (Files.isDirectory(candidate.resolve("sst2"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "SST-2 not found: run from the project folder beside ../shared, or pass -Dcalibra.data=DIR");
  }

  /** The first {@code n} sentences of SST-2 test. */
  static List<String> sst2Sentences(int n) {
    try {
      List<String> lines =
          Files.readAllLines(dataDir().resolve("sst2/test.txt"), StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (String line : lines.subList(0, Math.min(n, lines.size()))) {
        out.add(line.substring(2));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
