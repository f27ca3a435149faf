package io.calibra.io;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a score file: header {@code [id,][gold,]label...[,prediction]}, then one row per example
 * with every value at full double precision ({@link Double#toString}, which reads back to the same
 * double). Gold is written as the label name. Not thread-safe.
 */
public final class ScoreFileWriter implements AutoCloseable {
  private final LabelSet labels;
  private final boolean withId;
  private final boolean withGold;
  private final boolean withPrediction;
  private final CsvWriter csv;
  private final List<String> fields = new ArrayList<>();

  private ScoreFileWriter(
      Path file, LabelSet labels, boolean withId, boolean withGold, boolean withPrediction)
      throws IOException {
    this.labels = labels;
    this.withId = withId;
    this.withGold = withGold;
    this.withPrediction = withPrediction;
    this.csv = new CsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    List<String> header = new ArrayList<>();
    if (withId) {
      header.add("id");
    }
    if (withGold) {
      header.add("gold");
    }
    header.addAll(labels.names());
    if (withPrediction) {
      header.add("prediction");
    }
    csv.write(header);
  }

  /**
   * Creates (or replaces) {@code file} and writes the header.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public static ScoreFileWriter create(
      Path file, LabelSet labels, boolean withId, boolean withGold, boolean withPrediction) {
    try {
      return new ScoreFileWriter(file, labels, withId, withGold, withPrediction);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes a row of raw scores (logits or log-probabilities), with its prediction if enabled. */
  public void writeScores(String id, int gold, double[] values) {
    int predicted = io.calibra.label.Probabilities.argmax(values, 0, values.length);
    writeRow(id, gold, values, predicted);
  }

  /** Writes a row of probabilities. */
  public void writeDistribution(String id, int gold, LabelDistribution distribution) {
    writeRow(id, gold, distribution.toArray(), distribution.argmax());
  }

  private void writeRow(String id, int gold, double[] values, int predicted) {
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(
          "expected "
              + labels.size()
              + " values for labels "
              + labels.names()
              + ", found "
              + values.length);
    }
    fields.clear();
    if (withId) {
      fields.add(id == null ? "" : id);
    }
    if (withGold) {
      fields.add(gold < 0 ? "" : labels.name(gold));
    }
    for (double v : values) {
      fields.add(Double.toString(v));
    }
    if (withPrediction) {
      fields.add(labels.name(predicted));
    }
    csv.write(fields);
  }

  @Override
  public void close() {
    csv.close();
  }
}
