package io.calibra.cli;

import io.calibra.io.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files one command writes, replaced together at the end or not at all. {@link #open} starts
 * each file's temporary copy at once, so that a missing or unwritable folder is reported before any
 * work (or any paid request) is done; {@link #commit} writes every content and then moves the files
 * into place one right after the other; {@link #close} without a commit deletes the temporary
 * copies and leaves every previous file as it was. Standard output ({@code -}) gets its content
 * after the files are in place. Not thread-safe.
 */
final class OutputGroup implements AutoCloseable {
  private final PrintWriter standardOutput;
  private final Map<Path, AtomicOutput> files = new LinkedHashMap<>();
  private final Map<Path, String> contents = new LinkedHashMap<>();
  private boolean done;

  OutputGroup(PrintWriter standardOutput) {
    this.standardOutput = standardOutput;
  }

  /**
   * Starts {@code file} (null: the option was not given; {@code -}: standard output).
   *
   * @throws UncheckedIOException if its folder is missing or not writable
   * @throws IllegalArgumentException if it exists and is not a regular file
   */
  void open(Path file) {
    if (file != null && !CommandFiles.isStandard(file) && !files.containsKey(file)) {
      files.put(file, AtomicOutput.open(file));
    }
  }

  /** Sets the whole content of {@code file}, an output given to {@link #open} (or {@code -}). */
  void content(Path file, String text) {
    if (!CommandFiles.isStandard(file) && !files.containsKey(file)) {
      throw new IllegalStateException(file + " was not opened");
    }
    contents.put(file, text);
  }

  /**
   * Writes every content to its temporary file and syncs it, then moves all files into place, then
   * prints the content of standard output.
   *
   * @throws UncheckedIOException if a content cannot be written (a full disk): no file is replaced
   */
  void commit() {
    List<AtomicOutput> ready = new ArrayList<>();
    for (Map.Entry<Path, AtomicOutput> f : files.entrySet()) {
      String text = contents.get(f.getKey());
      if (text == null) {
        throw new IllegalStateException("no content for " + f.getKey());
      }
      try {
        f.getValue().stream().write(text.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write " + f.getKey() + ": " + AtomicOutput.reason(e), e);
      }
      f.getValue().sync(); // on disk before any target is replaced
      ready.add(f.getValue());
    }
    for (AtomicOutput out : ready) {
      out.commit();
    }
    done = true;
    for (Map.Entry<Path, String> c : contents.entrySet()) {
      if (CommandFiles.isStandard(c.getKey())) {
        standardOutput.print(c.getValue());
        standardOutput.flush();
      }
    }
  }

  /** Deletes the temporary files of an uncommitted group. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (AtomicOutput out : files.values()) {
      try {
        out.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    files.clear();
    if (failure != null && !done) {
      throw failure;
    }
  }
}
