package io.calibra.cli;

import io.calibra.io.CsvReader;
import io.calibra.io.DataFileException;
import io.calibra.label.LabelSet;
import io.calibra.prompt.Demonstration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV of labelled demonstrations: a {@code text} column and a {@code label} column (or, without
 * one, a {@code gold} column, so a labelled input file serves too), each label one of the label
 * set's names.
 */
final class DemonstrationFile {
  private DemonstrationFile() {}

  /**
   * The file's demonstrations, in file order.
   *
   * @throws DataFileException naming the line and column of a missing column, a short row or an
   *     unknown label
   */
  static List<Demonstration> read(Path file, LabelSet labels) {
    try (CsvReader csv = new CsvReader(Files.newInputStream(file), file)) {
      List<String> header = csv.next();
      if (header == null) {
        throw new DataFileException(file, 1, 0, "the file is empty; expected text,label");
      }
      int text = header.indexOf("text");
      int label = GoldColumn.in(header);
      if (text < 0 || label < 0) {
        throw new DataFileException(
            file, 1, 0, "the header " + header + " needs a 'text' and a 'label' column");
      }
      List<Demonstration> out = new ArrayList<>();
      for (List<String> row = csv.next(); row != null; row = csv.next()) {
        if (row.size() != header.size()) {
          throw new DataFileException(
              file,
              csv.recordLine(),
              Math.min(row.size(), header.size()) + 1,
              "row has " + row.size() + " fields; the header has " + header.size());
        }
        String name = row.get(label).trim();
        if (labels.indexOf(name).isEmpty()) {
          throw new DataFileException(
              file,
              csv.recordLine(),
              label + 1,
              "label '" + name + "' is not among the --label names " + labels.names());
        }
        out.add(new Demonstration(row.get(text), name));
      }
      if (out.isEmpty()) {
        throw new DataFileException(file, 2, 0, "no demonstrations after the header");
      }
      return out;
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, 0, 0, "file not found", e);
    } catch (IOException e) {
      throw new DataFileException(file, 0, 0, "cannot read: " + e.getMessage(), e);
    }
  }
}
