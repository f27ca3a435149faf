package io.calibra.cli;

import io.calibra.io.CsvReader;
import io.calibra.io.DataFileException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV of texts to score: a {@code text} column, optional {@code id} and gold columns (the gold
 * column is {@code label} or {@code gold}, as {@link GoldColumn} says). Any other column is refused
 * rather than dropped, since a misnamed gold column would otherwise vanish from the scores.
 *
 * @param goldColumn the 1-based column of the gold labels, 0 when there is none
 */
record InputTexts(
    Path file,
    List<String> header,
    List<Long> lines,
    List<String> ids,
    List<String> texts,
    List<String> gold,
    boolean hasId,
    boolean hasGold,
    int goldColumn) {

  /** Reads the texts from {@code in} (closed at the end), named {@code file} in messages. */
  static InputTexts read(InputStream in, Path file) {
    try (CsvReader csv = new CsvReader(in, file)) {
      List<String> header = csv.next();
      if (header == null) {
        throw new DataFileException(
            file, 1, 0, "the file is empty; expected a header with a 'text' column");
      }
      int text = header.indexOf("text");
      int id = header.indexOf("id");
      int gold = GoldColumn.in(header);
      if (text < 0) {
        throw new DataFileException(file, 1, 0, "no 'text' column in the header " + header);
      }
      requireKnownColumns(file, header, gold);
      List<String> ids = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      List<String> golds = new ArrayList<>();
      List<Long> lines = new ArrayList<>();
      for (List<String> row = csv.next(); row != null; row = csv.next()) {
        if (row.size() != header.size()) {
          throw new DataFileException(
              file,
              csv.recordLine(),
              Math.min(row.size(), header.size()) + 1,
              "row has " + row.size() + " fields; the header has " + header.size());
        }
        lines.add(csv.recordLine());
        texts.add(row.get(text));
        ids.add(id >= 0 ? row.get(id) : String.valueOf(texts.size() - 1));
        golds.add(gold >= 0 ? row.get(gold) : "");
      }
      return new InputTexts(file, header, lines, ids, texts, golds, id >= 0, gold >= 0, gold + 1);
    }
  }

  private static void requireKnownColumns(Path file, List<String> header, int gold) {
    for (int c = 0; c < header.size(); c++) {
      String name = header.get(c);
      if (name.equals("text") || name.equals("id") || c == gold) {
        continue;
      }
      if (GoldColumn.NAMES.contains(name)) {
        throw new DataFileException(
            file,
            1,
            c + 1,
            "both '"
                + header.get(gold)
                + "' and '"
                + name
                + "' columns; the gold labels are read from '"
                + header.get(gold)
                + "', so drop '"
                + name
                + "'");
      }
      throw new DataFileException(
          file,
          1,
          c + 1,
          "unknown column '"
              + name
              + "'; a texts CSV has a 'text' column and optional 'id' and 'label' (or 'gold')"
              + " columns");
    }
  }
}
