package io.calibra.cli;

import io.calibra.io.AtomicOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Files that are replaced together or not at all, such as a report folder's page and its diagrams.
 *
 * <p>Every file is first written in full to a temporary sibling ({@link AtomicOutput}) and synced
 * to disk; only when all of them are on disk are they moved over their targets, in the given order,
 * one atomic rename each. A failure while writing (a full disk, a read-only or missing folder)
 * therefore changes nothing: the previous files stay as they were and every temporary file is
 * removed. The renames that follow need no space; the window in which a reader could see some new
 * files beside old ones is that of a few renames in one folder.
 *
 * <p>The files stay where they are, not in a new folder swapped for the old one, so that a folder
 * that also holds other files (the report's input, {@code --output .}, a mount point) is never
 * moved or emptied.
 */
final class OutputGroup {
  private OutputGroup() {}

  /**
   * Writes each file's bytes, then commits them all in iteration order (put the file that links the
   * others last).
   *
   * @throws UncheckedIOException naming the file that could not be written and the system's reason;
   *     no file has then been replaced
   * @throws IllegalArgumentException if a target exists and is not a regular file
   */
  static void write(Map<Path, byte[]> files) {
    List<AtomicOutput> outputs = new ArrayList<>();
    try {
      for (Map.Entry<Path, byte[]> f : files.entrySet()) {
        AtomicOutput out = AtomicOutput.open(f.getKey());
        outputs.add(out);
        try {
          out.stream().write(f.getValue());
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot write " + f.getKey() + ": " + AtomicOutput.reason(e), e);
        }
        out.sync();
      }
      for (AtomicOutput out : outputs) {
        out.commit();
      }
    } catch (RuntimeException | Error e) {
      for (AtomicOutput out : outputs) {
        try {
          out.close(); // removes the temporary file of an output not committed
        } catch (RuntimeException c) {
          e.addSuppressed(c);
        }
      }
      throw e;
    }
  }

  /**
   * Creates {@code dir} if missing, runs {@code write}, and removes {@code dir} again if it created
   * it and {@code write} failed (leaving nothing behind).
   *
   * @throws UncheckedIOException if the folder cannot be created
   */
  static void intoFolder(Path dir, Runnable write) {
    boolean created = !Files.exists(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output folder " + dir + ": " + AtomicOutput.reason(e), e);
    }
    boolean done = false;
    try {
      write.run();
      done = true;
    } finally {
      if (created && !done) {
        try {
          Files.deleteIfExists(dir); // empty: every temporary file is gone
        } catch (IOException e) {
          // not empty or not removable: left as it is
        }
      }
    }
  }
}
