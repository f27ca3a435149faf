package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.io.AtomicOutput;
import io.calibra.io.CsvReader;
import io.calibra.io.CsvWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The files of a CLI test in its temporary folder: writing inputs (text, bytes, CSV, score files)
 * and reading outputs back. One per test: {@code TestDir dir = new TestDir(tmp)} on a JUnit
 * {@code @TempDir}.
 */
public record TestDir(Path dir) {
  /** {@code name} in the folder. */
  Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Writes {@code content} as UTF-8 to {@code name} and returns its path. */
  Path write(String name, String content) throws IOException {
    return write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code content} to {@code name} and returns its path. */
  Path write(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  /** Writes a CSV file (RFC 4180 quoting) with this header and rows, and returns its path. */
  Path csv(String name, List<String> header, List<List<String>> rows) throws IOException {
    return csv(dir.resolve(name), header, rows);
  }

  /** Writes a CSV file (RFC 4180 quoting) with this header and rows to {@code file}. */
  static Path csv(Path file, List<String> header, List<List<String>> rows) throws IOException {
    try (CsvWriter w = new CsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      w.write(header);
      for (List<String> row : rows) {
        w.write(row);
      }
    }
    return file;
  }

  /**
   * A score file {@code name} of {@code rows} random two-label (negative, positive) probability
   * rows with id and gold, from {@code seed}: positive with probability {@code 0.2 + 0.6 p}.
   */
  Path randomScores(String name, int rows, long seed) throws IOException {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder("id,gold,negative,positive\n");
    for (int i = 0; i < rows; i++) {
      double p = random.nextInt(1000) / 1000.0;
      boolean positive = random.nextDouble() < 0.2 + 0.6 * p;
      sb.append(
          String.format(
              Locale.ROOT, "r%d,%s,%s,%s%n", i, positive ? "positive" : "negative", 1 - p, p));
    }
    return Files.writeString(dir.resolve(name), sb.toString());
  }

  /** The names of the files in the folder, sorted. */
  List<String> names() throws IOException {
    return names(dir);
  }

  /** The names of the files in {@code folder}, sorted. */
  static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Asserts {@code folder} holds no temporary file of an atomic write. */
  public static void assertNoTemporaryFiles(Path folder) throws IOException {
    assertThat(names(folder)).noneMatch(n -> n.contains(AtomicOutput.TEMP_MARKER));
  }

  /** The values of the named columns of every row of a CSV file, parsed as doubles. */
  static List<double[]> columns(Path file, String... names) throws IOException {
    List<double[]> out = new ArrayList<>();
    try (CsvReader r = new CsvReader(Files.newInputStream(file), file)) {
      List<String> header = r.next();
      int[] index = new int[names.length];
      for (int k = 0; k < names.length; k++) {
        index[k] = header.indexOf(names[k]);
        assertThat(index[k]).as("column %s of %s", names[k], file).isNotNegative();
      }
      for (List<String> row = r.next(); row != null; row = r.next()) {
        double[] v = new double[names.length];
        for (int k = 0; k < names.length; k++) {
          v[k] = Double.parseDouble(row.get(index[k]));
        }
        out.add(v);
      }
    }
    return out;
  }
}
