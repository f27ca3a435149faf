package io.calibra.cli;

import io.calibra.io.CsvReader;
import io.calibra.io.DataFileException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A CSV of texts to score: a {@code text} column, optional {@code id} and {@code gold} columns. */
record InputTexts(
    Path file,
    List<String> header,
    List<Long> lines,
    List<String> ids,
    List<String> texts,
    List<String> gold,
    boolean hasId,
    boolean hasGold) {

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
      int gold = header.indexOf("gold");
      if (text < 0) {
        throw new DataFileException(file, 1, 0, "no 'text' column in the header " + header);
      }
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
      return new InputTexts(file, header, lines, ids, texts, golds, id >= 0, gold >= 0);
    }
  }
}
