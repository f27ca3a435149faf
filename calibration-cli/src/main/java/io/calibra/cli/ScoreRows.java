package io.calibra.cli;

import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Whole score files in memory, for fitting (which needs every row). */
record ScoreRows(Path file, LabelSet labels, List<ScoreRow> rows) {

  static ScoreRows read(Path file, ScoreFormat format, LabelSet expected) {
    return read(ScoreFileReader.open(file, format, expected), file, format);
  }

  /** Reads a whole score file from {@code in} (closed at the end), named {@code name}. */
  static ScoreRows read(java.io.InputStream in, Path name, ScoreFormat format, LabelSet expected) {
    return read(ScoreFileReader.open(in, name, format, expected), name, format);
  }

  private static ScoreRows read(ScoreFileReader opened, Path file, ScoreFormat format) {
    try (ScoreFileReader reader = opened) {
      List<ScoreRow> rows = new ArrayList<>();
      reader.forEachRemaining(rows::add);
      if (rows.isEmpty()) {
        throw new DataFileException(file, 2, 0, "no rows after the header");
      }
      warnIfProbabilities(reader, file, format);
      return new ScoreRows(file, reader.labels(), rows);
    }
  }

  /**
   * Warns when a file read as logits or log-probabilities holds a probability distribution in every
   * row: {@code --scores prob} was probably meant. Call after the last row.
   */
  static void warnIfProbabilities(ScoreFileReader reader, Path file, ScoreFormat format) {
    if (reader.rowsLookLikeProbabilities()) {
      String name = format.name().toLowerCase(java.util.Locale.ROOT);
      Main.warn(
          "every row of "
              + file
              + " is a probability distribution (values in [0, 1] summing to 1), but --scores "
              + name
              + " reads them as "
              + (format == ScoreFormat.LOGIT ? "logits" : "log-probabilities")
              + "; did you mean --scores prob?");
    }
  }

  List<LabelDistribution> distributions() {
    return rows.stream().map(ScoreRow::distribution).toList();
  }

  /** The rows that have gold, as a labelled set. */
  LabelledSet labelled(int atLeast) {
    List<LabelDistribution> d = new ArrayList<>();
    List<Integer> g = new ArrayList<>();
    for (ScoreRow r : rows) {
      if (r.hasGold()) {
        d.add(r.distribution());
        g.add(r.gold());
      }
    }
    if (d.size() < atLeast) {
      throw new DataFileException(
          file, 0, 0, "needs at least " + atLeast + " rows with a gold label; found " + d.size());
    }
    LabelledSet set = LabelledSet.of(d, g.stream().mapToInt(Integer::intValue).toArray());
    try {
      set.requireFittable("fitting");
    } catch (IllegalArgumentException e) {
      throw new DataFileException(file, 0, 0, e.getMessage(), e);
    }
    return set;
  }
}
