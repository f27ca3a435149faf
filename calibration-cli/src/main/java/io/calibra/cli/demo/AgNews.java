package io.calibra.cli.demo;

import io.calibra.io.CsvReader;
import io.calibra.io.DataFileException;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * AG News test data for the demo's quantisation study, read from its CSV ({@code Class
 * Index,Title,Description}, classes 1 World, 2 Sports, 3 Business, 4 Sci/Tech). The text is {@code
 * Title + ". " + Description}, cleaned as the reference code of Zhao et al. 2021 does.
 */
final class AgNews {
  /** The four topics, each described by one sentence for the zero-shot encoder. */
  static final LabelSet LABELS =
      LabelSet.builder()
          .add("world", "World news about politics and international affairs.")
          .add("sports", "Sports news.")
          .add("business", "Business and economy news.")
          .add("science", "Science and technology news.")
          .build();

  /**
   * The same topics, each by one label word: the words of Zhao et al. 2021's AG News prompt (World,
   * Sports, Business, Technology).
   */
  static final LabelSet LABEL_WORDS =
      LabelSet.builder()
          .add("world", "World")
          .add("sports", "Sports")
          .add("business", "Business")
          .add("science", "Technology")
          .build();

  static final List<String> HEADER = List.of("Class Index", "Title", "Description");

  /** The rows read, in file order. */
  record Rows(List<String> texts, int[] gold) {}

  private AgNews() {}

  /**
   * Reads every row of {@code file}.
   *
   * @throws DataFileException with the line and column of a bad header, row or class
   */
  static Rows read(Path file) {
    List<String> texts = new ArrayList<>();
    List<Integer> gold = new ArrayList<>();
    try (CsvReader csv =
        new CsvReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file)) {
      List<String> header = csv.next();
      if (header == null || !header.equals(HEADER)) {
        throw new DataFileException(
            file, 1, 1, "the header is " + header + "; expected Class Index,Title,Description");
      }
      for (List<String> row = csv.next(); row != null; row = csv.next()) {
        if (row.size() != 3) {
          throw new DataFileException(
              file,
              csv.recordLine(),
              Math.min(row.size(), 3) + 1,
              "row has " + row.size() + " fields; expected 3 (Class Index,Title,Description)");
        }
        String c = row.get(0).trim();
        if (!(c.equals("1") || c.equals("2") || c.equals("3") || c.equals("4"))) {
          throw new DataFileException(
              file, csv.recordLine(), 1, "class index '" + c + "'; expected 1, 2, 3 or 4");
        }
        gold.add(c.charAt(0) - '1');
        texts.add(clean(row.get(1) + ". " + row.get(2)));
      }
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, 0, 0, "file not found", e);
    } catch (IOException e) {
      throw new DataFileException(file, 0, 0, "cannot read: " + e.getMessage(), e);
    }
    if (texts.size() < 4) {
      throw new DataFileException(
          file, 0, 0, "has " + texts.size() + " rows; expected at least 4 (half dev, half test)");
    }
    return new Rows(texts, gold.stream().mapToInt(Integer::intValue).toArray());
  }

  static String clean(String text) {
    return text.replace(" #39;s", "'s").replace(" quot;", "\"").replace("\\", " ");
  }

  /**
   * A seeded random sample of {@code limit} rows (all when {@code limit} is 0 or more than there
   * are), its first half for dev and the rest for test.
   */
  static DemoData.Split[] devAndTest(Rows rows, int limit, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < rows.texts().size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int n = limit == 0 ? order.size() : Math.min(limit, order.size());
    int half = n / 2;
    return new DemoData.Split[] {
      split(rows, order.subList(0, half)), split(rows, order.subList(half, n))
    };
  }

  private static DemoData.Split split(Rows rows, List<Integer> indices) {
    List<String> texts = new ArrayList<>();
    int[] gold = new int[indices.size()];
    for (int i = 0; i < indices.size(); i++) {
      texts.add(rows.texts().get(indices.get(i)));
      gold[i] = rows.gold()[indices.get(i)];
    }
    return new DemoData.Split(texts, gold);
  }
}
