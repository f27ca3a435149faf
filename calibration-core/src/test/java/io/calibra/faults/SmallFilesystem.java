package io.calibra.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A tiny tmpfs mounted for a fault test (a full or read-only disk). Needs root and mount(8); {@link
 * #tryMount} returns null where that is not possible, and the test is skipped.
 */
public final class SmallFilesystem implements AutoCloseable {
  private final Path dir;

  private SmallFilesystem(Path dir) {
    this.dir = dir;
  }

  /** Mounts a {@code kib}-KiB tmpfs at a new folder under {@code parent}, or returns null. */
  public static SmallFilesystem tryMount(Path parent, int kib)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(parent, "small-fs");
    if (run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", dir.toString())) {
      return new SmallFilesystem(dir);
    }
    return null;
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // no mount(8) on this machine: the caller skips its test
    }
  }

  /** The mount point. */
  public Path dir() {
    return dir;
  }

  /** Remounts read-only. */
  public void makeReadOnly() throws IOException, InterruptedException {
    if (!run("mount", "-o", "remount,ro", dir.toString())) {
      throw new IOException("cannot remount " + dir + " read-only");
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (!run("umount", dir.toString())) {
      throw new IOException("cannot unmount " + dir);
    }
  }
}
