package io.calibra.cli.output;

import io.calibra.cli.options.UsageException;
import io.calibra.io.AtomicOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An output folder replaced as a whole: files are written into a temporary sibling folder ({@code
 * .NAME.calibra-tmp-PID-RANDOM}), and {@link #commit()} renames it onto the target. A target folder
 * that exists is first renamed aside and deleted after the new one is in place (restored if the
 * rename fails), so readers see the old folder or the new one, never a mix; {@link #close()}
 * without a commit deletes the temporary folder. Not thread-safe.
 */
public final class OutputFolder implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private boolean committed;

  private OutputFolder(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  /**
   * Checks that the output folder {@code target} is a folder or missing, never a file to replace.
   *
   * @throws UsageException if {@code target} exists and is not a folder
   */
  public static void requireFolderOrMissing(Path target) {
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new UsageException("--output " + target + " exists and is not a folder");
    }
  }

  /**
   * Starts replacing {@code target}.
   *
   * @throws UsageException if {@code target} exists and is not a folder
   * @throws UncheckedIOException if the temporary folder cannot be created
   */
  public static OutputFolder open(Path target) {
    requireFolderOrMissing(target);
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    String prefix = "." + absolute.getFileName() + AtomicOutput.TEMP_MARKER;
    removeStale(parent, prefix);
    Path temp =
        parent.resolve(
            prefix
                + ProcessHandle.current().pid()
                + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    try {
      Files.createDirectories(parent);
      Files.createDirectory(temp);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output folder " + target + ": " + AtomicOutput.reason(e), e);
    }
    return new OutputFolder(absolute, temp);
  }

  /** The temporary folder to write into before the commit. */
  public Path folder() {
    return temp;
  }

  /** Where to write file {@code name} before the commit. */
  public Path resolve(String name) {
    return temp.resolve(name);
  }

  /** Puts the written folder in place of the target. */
  public void commit() {
    Path aside = null;
    try {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        aside = target.resolveSibling(temp.getFileName() + "-old");
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (aside != null) {
          Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
          aside = null;
        }
        throw e;
      }
      committed = true;
    } catch (FileAlreadyExistsException e) {
      throw new UncheckedIOException(
          "cannot replace " + target + ": another process created it meanwhile", e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the output folder " + target + ": " + AtomicOutput.reason(e), e);
    } finally {
      if (aside != null) {
        delete(aside);
      }
    }
  }

  @Override
  public void close() {
    if (!committed) {
      delete(temp);
    }
  }

  /**
   * Deletes the {@code prefix}PID-* folders of writers that no longer run (killed while writing);
   * those of live writers are left alone.
   */
  private static void removeStale(Path parent, String prefix) {
    if (!Files.isDirectory(parent)) {
      return;
    }
    try (Stream<Path> siblings = Files.list(parent)) {
      for (Path f : siblings.toList()) {
        String name = f.getFileName().toString();
        if (!name.startsWith(prefix) || !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String rest = name.substring(prefix.length());
        int dash = rest.indexOf('-');
        try {
          long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
          if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            delete(f);
          }
        } catch (NumberFormatException e) {
          // not one of ours
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // the folder cannot be listed: creating the temporary folder reports a real problem
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> all = Files.walk(folder)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a stale temporary folder is named as such
    }
  }
}
