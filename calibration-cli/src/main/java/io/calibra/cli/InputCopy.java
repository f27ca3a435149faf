package io.calibra.cli;

import io.calibra.io.AtomicOutput;
import io.calibra.io.DataFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A temporary copy of an input that a command reads more than once but that can be read only once
 * (standard input, a FIFO): {@code metrics}, {@code fit} and {@code report} read their score files
 * in several passes.
 *
 * <ul>
 *   <li>bounded: at most {@link #maxBytes()} bytes are copied ({@value #DEFAULT_MAX_BYTES} unless
 *       the system property {@value #MAX_BYTES_PROPERTY} says otherwise); a longer input is bad
 *       data (exit 3) naming the input and the bound, so that {@code --input /dev/zero} ends
 *       quickly instead of filling the temporary folder;
 *   <li>private: the file is created with mode 0600 (on POSIX file systems), never readable by
 *       other users, even for a moment;
 *   <li>removed on every exit path: by {@link #delete} (the command's try-with-resources), and by a
 *       shutdown hook when the JVM is stopped mid-command (SIGTERM, SIGINT, {@code System.exit}).
 *       Only {@code kill -9} leaves a copy behind; its name starts with {@value #PREFIX}.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class InputCopy {
  /** The default bound of a copy: 256 MiB (about 2.5 million score rows of 100 bytes). */
  static final long DEFAULT_MAX_BYTES = 256L << 20;

  /** The system property that overrides {@link #DEFAULT_MAX_BYTES} (a positive number of bytes). */
  static final String MAX_BYTES_PROPERTY = "calibra.input.maxCopyBytes";

  /** The start of every copy's file name, in the JVM's temporary folder. */
  static final String PREFIX = "calibra-input-";

  /** Copies not yet deleted; the shutdown hook removes them. */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(InputCopy::deleteAll, "calibra-remove-input-copies"));
  }

  private InputCopy() {}

  /**
   * The bound in force: the {@value #MAX_BYTES_PROPERTY} system property when set, else {@link
   * #DEFAULT_MAX_BYTES}.
   *
   * @throws Main.UsageException if the property is not a positive whole number
   */
  static long maxBytes() {
    String value = System.getProperty(MAX_BYTES_PROPERTY);
    if (value == null) {
      return DEFAULT_MAX_BYTES;
    }
    try {
      long bytes = Long.parseLong(value.strip());
      if (bytes > 0) {
        return bytes;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Main.UsageException(
        "system property " + MAX_BYTES_PROPERTY + " is '" + value + "'; expected a number >= 1");
  }

  /**
   * Copies {@code in} (named {@code name} in messages) to a new private temporary file.
   *
   * @throws DataFileException if {@code in} has more than {@link #maxBytes()} bytes or cannot be
   *     read; the partial copy is deleted
   * @throws UncheckedIOException if the temporary file cannot be written (the folder is full)
   */
  static Path of(InputStream in, String name) {
    long max = maxBytes();
    Path copy;
    try {
      copy = Files.createTempFile(PREFIX, ".tmp", privateMode());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot copy " + name + " to a temporary file: " + AtomicOutput.reason(e), e);
    }
    LIVE.add(copy);
    try {
      copyAtMost(in, copy, name, max);
      return copy;
    } catch (RuntimeException e) {
      try {
        delete(copy);
      } catch (UncheckedIOException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
  }

  private static void copyAtMost(InputStream in, Path copy, String name, long max) {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    try (OutputStream out = Files.newOutputStream(copy)) { // truncates: the mode stays 0600
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          throw new DataFileException(
              Path.of(name), 0, 0, "cannot read: " + AtomicOutput.reason(e), e);
        }
        if (n < 0) {
          return;
        }
        total += n;
        if (total > max) {
          throw new DataFileException(
              Path.of(name),
              0,
              0,
              "longer than "
                  + max
                  + " bytes, the most calibra copies of an input it reads more than once (standard"
                  + " input, a FIFO); save it to a file and give the file (or raise the bound with"
                  + " -D"
                  + MAX_BYTES_PROPERTY
                  + "=BYTES in CALIBRA_JAVA_OPTS)");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot copy " + name + " to the temporary file " + copy + ": " + AtomicOutput.reason(e),
          e);
    }
  }

  private static FileAttribute<?>[] privateMode() {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
      };
    }
    return new FileAttribute<?>[0];
  }

  /**
   * Deletes {@code copy}.
   *
   * @throws UncheckedIOException if it exists and cannot be deleted
   */
  static void delete(Path copy) {
    try {
      Files.deleteIfExists(copy);
      LIVE.remove(copy);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot remove the temporary file " + copy + ": " + AtomicOutput.reason(e), e);
    }
  }

  /** The copies made and not yet deleted (for tests). */
  static Set<Path> live() {
    return Set.copyOf(LIVE);
  }

  /** Deletes every live copy (the shutdown hook); failures are ignored, the JVM is stopping. */
  private static void deleteAll() {
    for (Path copy : LIVE) {
      try {
        Files.deleteIfExists(copy);
      } catch (IOException | RuntimeException e) {
        // nothing more can be done while the JVM stops
      }
    }
  }
}
