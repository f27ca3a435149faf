package io.calibra.io;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a score file: header {@code [id,][gold,]label...[,prediction]}, then one row per example
 * with every value at full double precision ({@link Double#toString}, which reads back to the same
 * double). Gold is written as the label name.
 *
 * <p>A writer created on a file writes atomically ({@link AtomicOutput}): rows go to a temporary
 * file, and only {@link #commit()} after the last row puts the complete file in place. Closing the
 * writer without a commit (an exception while writing, a bad row) deletes the temporary file and
 * leaves any previous file untouched. Not thread-safe.
 */
public final class ScoreFileWriter implements AutoCloseable {
  private final LabelSet labels;
  private final boolean withId;
  private final boolean withGold;
  private final boolean withPrediction;
  private final String name;
  private final AtomicOutput file;
  private final Writer writer;
  private final CsvWriter csv;
  private final List<String> fields = new ArrayList<>();

  private ScoreFileWriter(
      String name,
      AtomicOutput file,
      Writer writer,
      LabelSet labels,
      boolean withId,
      boolean withGold,
      boolean withPrediction) {
    this.name = name;
    this.file = file;
    this.writer = writer;
    this.labels = labels;
    this.withId = withId;
    this.withGold = withGold;
    this.withPrediction = withPrediction;
    this.csv = new CsvWriter(writer);
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
    write(header);
  }

  /**
   * Starts writing {@code file} (atomically: nothing changes at {@code file} until {@link
   * #commit()}) and writes the header.
   *
   * @throws IllegalArgumentException if {@code file} exists and is not a regular file
   * @throws UncheckedIOException if the file cannot be written
   */
  public static ScoreFileWriter create(
      Path file, LabelSet labels, boolean withId, boolean withGold, boolean withPrediction) {
    AtomicOutput out = AtomicOutput.open(file);
    try {
      return new ScoreFileWriter(
          file.toString(),
          out,
          new BufferedWriter(new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8), 1 << 16),
          labels,
          withId,
          withGold,
          withPrediction);
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  /**
   * Writes to {@code out} (for example standard output), which this writer flushes on {@link
   * #commit()} but never closes; {@code name} names it in messages.
   */
  public static ScoreFileWriter create(
      Writer out,
      String name,
      LabelSet labels,
      boolean withId,
      boolean withGold,
      boolean withPrediction) {
    return new ScoreFileWriter(name, null, out, labels, withId, withGold, withPrediction);
  }

  /** Writes a row of raw scores (logits or log-probabilities), with its prediction if enabled. */
  public void writeScores(String id, int gold, double[] values) {
    int predicted = io.calibra.internal.Probabilities.argmax(values, 0, values.length);
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
    write(fields);
  }

  private void write(List<String> record) {
    try {
      csv.write(record);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "cannot write " + name + ": " + AtomicOutput.reason(e.getCause()), e.getCause());
    }
  }

  /**
   * Finishes the file: flushes it and, for a file, syncs it to disk and moves it into place.
   *
   * @throws UncheckedIOException if it cannot be written (the disk is full...); a previous file is
   *     then untouched
   */
  public void commit() {
    try {
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + ": " + AtomicOutput.reason(e), e);
    }
    if (file != null) {
      file.commit();
    }
  }

  /**
   * Releases the file; without a {@link #commit()} first, the temporary file is deleted and nothing
   * is written at the target. A stream given to {@link #create(Writer, String, LabelSet, boolean,
   * boolean, boolean)} is not closed.
   */
  @Override
  public void close() {
    if (file != null) {
      file.close();
    }
  }
}
