package io.calibra.cli.output;

import io.calibra.io.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files one command writes, replaced together at the end or not at all, such as the score files
 * of a served-model run or a report folder's page and its diagrams.
 *
 * <p>{@link #open} starts each file's temporary copy ({@link AtomicOutput}) at once, so that a
 * missing or unwritable folder is reported before any work (or any paid request) is done; {@link
 * #commit} writes every content in full, syncs it to disk, and only then moves the files into place
 * one right after the other, in the order they were opened (open the file that links the others
 * last); {@link #close} without a commit deletes the temporary copies and leaves every previous
 * file as it was. A failure while writing (a full disk, a read-only folder) therefore changes
 * nothing; the renames that follow need no space, and the window in which a reader could see some
 * new files beside old ones is that of a few renames in one folder. Standard output ({@code -})
 * gets its content after the files are in place. Not thread-safe.
 *
 * <p>The files stay where they are, not in a new folder swapped for the old one, so that a folder
 * that also holds other files (a report's input, {@code --output .}, a mount point) is never moved
 * or emptied.
 */
public final class OutputGroup implements AutoCloseable {
  private final PrintWriter standardOutput;
  private final Map<Path, AtomicOutput> files = new LinkedHashMap<>();
  private final Map<Path, byte[]> contents = new LinkedHashMap<>();
  private boolean done;

  public OutputGroup(PrintWriter standardOutput) {
    this.standardOutput = standardOutput;
  }

  /**
   * Writes each file's bytes, then commits them all in iteration order (put the file that links the
   * others last).
   *
   * @throws UncheckedIOException naming the file that could not be written and the system's reason;
   *     no file has then been replaced
   * @throws IllegalArgumentException if a target exists and is not a regular file
   */
  public static void write(Map<Path, byte[]> files) {
    try (OutputGroup group = new OutputGroup(null)) {
      for (Map.Entry<Path, byte[]> f : files.entrySet()) {
        group.open(f.getKey());
        group.content(f.getKey(), f.getValue());
      }
      group.commit();
    }
  }

  /**
   * Creates {@code dir} if missing, runs {@code write}, and removes {@code dir} again if it created
   * it and {@code write} failed (leaving nothing behind).
   *
   * @throws UncheckedIOException if the folder cannot be created
   */
  public static void intoFolder(Path dir, Runnable write) {
    boolean created = !Files.exists(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output folder " + dir + ": " + AtomicOutput.reason(e), e);
    }
    boolean written = false;
    try {
      write.run();
      written = true;
    } finally {
      if (created && !written) {
        try {
          Files.deleteIfExists(dir); // empty: every temporary file is gone
        } catch (IOException e) {
          // not empty or not removable: left as it is
        }
      }
    }
  }

  /**
   * Starts {@code file} (null: the option was not given; {@code -}: standard output).
   *
   * @throws UncheckedIOException if its folder is missing or not writable
   * @throws IllegalArgumentException if it exists and is not a regular file
   */
  public void open(Path file) {
    if (file != null && !isStandard(file) && !files.containsKey(file)) {
      files.put(file, AtomicOutput.open(file));
    }
  }

  /** Sets the whole content of {@code file}, an output given to {@link #open} (or {@code -}). */
  public void content(Path file, String text) {
    content(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sets the whole content of {@code file}, an output given to {@link #open} (or {@code -}). */
  public void content(Path file, byte[] bytes) {
    if (!isStandard(file) && !files.containsKey(file)) {
      throw new IllegalStateException(file + " was not opened");
    }
    contents.put(file, bytes);
  }

  /**
   * Writes every content to its temporary file and syncs it, then moves all files into place, then
   * prints the content of standard output.
   *
   * @throws UncheckedIOException if a content cannot be written (a full disk): no file is replaced
   */
  public void commit() {
    List<AtomicOutput> ready = new ArrayList<>();
    for (Map.Entry<Path, AtomicOutput> f : files.entrySet()) {
      byte[] bytes = contents.get(f.getKey());
      if (bytes == null) {
        throw new IllegalStateException("no content for " + f.getKey());
      }
      try {
        f.getValue().stream().write(bytes);
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
    for (Map.Entry<Path, byte[]> c : contents.entrySet()) {
      if (isStandard(c.getKey())) {
        standardOutput.print(new String(c.getValue(), StandardCharsets.UTF_8));
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

  /** Whether {@code path} stands for standard input or output ({@code -}). */
  public static boolean isStandard(Path path) {
    return path != null && path.toString().equals("-");
  }
}
