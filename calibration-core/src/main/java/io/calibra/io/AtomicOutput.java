package io.calibra.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes one file atomically: the bytes go to a temporary sibling named {@code
 * .NAME.calibra-tmp-PID-RANDOM}, and {@link #commit()} flushes them to disk and moves the temporary
 * file over the target in one atomic rename. Until then the previous file (if any) is untouched;
 * {@link #close()} without a commit, or any failure, deletes the temporary file. Readers and
 * concurrent writers therefore only ever see a complete file: the last commit wins.
 *
 * <p>The rules every file calibra writes follows:
 *
 * <ul>
 *   <li>an existing target that is not a regular file (a device, FIFO, socket or folder) is refused
 *       with an {@link IllegalArgumentException}, before anything is written;
 *   <li>a symbolic link is followed and its final target replaced, so the link stays a link;
 *   <li>a new file gets the permissions of a file created under the process's umask (0644 under
 *       022); a replaced file keeps its permission bits;
 *   <li>temporary files of the same target left by a process that no longer runs (killed while
 *       writing) are removed; those of live writers are left alone.
 * </ul>
 *
 * <p>Not thread-safe (one writer per instance); any number of instances may write the same target
 * concurrently.
 */
public final class AtomicOutput implements AutoCloseable {
  /** The part of every temporary file's name that marks it as calibra's. */
  public static final String TEMP_MARKER = ".calibra-tmp-";

  // NAME_MAX is 255 bytes on common file systems; keep room for the marker, pid and random part
  private static final int MAX_NAME_BYTES = 180;

  private final Path target;
  private final Path destination;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream stream;
  private boolean committed;
  private boolean closed;

  private AtomicOutput(Path target, Path destination, Path temp, FileChannel channel) {
    this.target = target;
    this.destination = destination;
    this.temp = temp;
    this.channel = channel;
    this.stream =
        new FilterOutputStream(Channels.newOutputStream(channel)) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush(); // the channel stays open until commit or close of the AtomicOutput
          }
        };
  }

  /**
   * Starts writing {@code target}: checks it, removes stale temporary files of it, and creates the
   * temporary file.
   *
   * @throws IllegalArgumentException if {@code target} exists and is not a regular file
   * @throws UncheckedIOException if the folder is missing, not writable or full (the message names
   *     the file and the system's reason)
   */
  public static AtomicOutput open(Path target) {
    Path destination = destination(target);
    Path dir = destination.toAbsolutePath().getParent();
    String prefix = tempPrefix(destination);
    removeStaleTemporaries(dir, prefix);
    long pid = ProcessHandle.current().pid();
    Path temp;
    FileChannel channel;
    while (true) {
      temp =
          dir.resolve(
              prefix + pid + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      try {
        // CREATE_NEW with default attributes: the file's mode follows the umask (not 0600)
        channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        break;
      } catch (FileAlreadyExistsException e) {
        // another writer drew the same random name: draw again
      } catch (NoSuchFileException e) {
        throw new UncheckedIOException(
            "cannot write " + target + ": the folder " + dir + " does not exist", e);
      } catch (IOException e) {
        throw failure(target, e);
      }
    }
    return new AtomicOutput(target, destination, temp, channel);
  }

  /**
   * Writes {@code bytes} to {@code target} atomically.
   *
   * @throws IllegalArgumentException if {@code target} exists and is not a regular file
   * @throws UncheckedIOException if the folder is missing, not writable or full
   */
  public static void write(Path target, byte[] bytes) {
    try (AtomicOutput out = open(target)) {
      try {
        out.stream().write(bytes);
      } catch (IOException e) {
        throw failure(target, e);
      }
      out.commit();
    }
  }

  /**
   * The file a write to {@code target} replaces: {@code target} itself, or the final target of a
   * symbolic link (which may not exist yet).
   *
   * @throws IllegalArgumentException if it exists and is not a regular file (a device, FIFO, socket
   *     or folder), or the links loop
   */
  public static Path destination(Path target) {
    Path path = target.toAbsolutePath();
    for (int hops = 0; hops < 40; hops++) {
      if (!Files.isSymbolicLink(path)) {
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          return path; // a new file
        } catch (IOException e) {
          return path; // cannot tell (e.g. the folder is missing): the write reports why
        }
        if (!attributes.isRegularFile()) {
          throw new IllegalArgumentException(
              target
                  + " is "
                  + (attributes.isDirectory()
                      ? "a folder"
                      : "not a regular file (a device, FIFO or socket)")
                  + "; calibra writes only regular files and never replaces anything else");
        }
        return path;
      }
      try {
        Path link = Files.readSymbolicLink(path);
        path = path.getParent().resolve(link);
      } catch (IOException e) {
        throw failure(target, e);
      }
    }
    throw new IllegalArgumentException(target + " is a loop of symbolic links");
  }

  /** The stream to write the content to; closing it only flushes it. */
  public OutputStream stream() {
    return stream;
  }

  /** The path given to {@link #open}. */
  public Path target() {
    return target;
  }

  /**
   * Flushes the content written so far to disk without moving it into place, so that a group of
   * files can be made durable first and then committed one right after the other: a full disk shows
   * here, while no target has been replaced yet.
   *
   * @throws UncheckedIOException if the content cannot be written (a full disk)
   */
  public void sync() {
    if (closed || committed) {
      throw new IllegalStateException("already " + (committed ? "committed" : "closed"));
    }
    try {
      stream.flush();
      channel.force(true);
    } catch (IOException e) {
      throw failure(target, e);
    }
  }

  /**
   * Flushes the content to disk, gives the temporary file the permission bits of the file it
   * replaces, and moves it over the target atomically.
   *
   * @throws UncheckedIOException if the disk is full or the move fails; the previous file is then
   *     untouched and the temporary file removed
   */
  public void commit() {
    if (closed || committed) {
      throw new IllegalStateException("already " + (committed ? "committed" : "closed"));
    }
    try {
      stream.flush();
      channel.force(true);
      channel.close();
      keepPermissions();
      // re-check: the target may have been replaced by something else since open
      destination(destination);
      try {
        Files.move(
            temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
      }
      committed = true;
    } catch (IOException e) {
      throw failure(target, e);
    } finally {
      close();
    }
  }

  private void keepPermissions() throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(destination, PosixFileAttributeView.class);
    if (view == null) {
      return; // not a POSIX file system: nothing to keep
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = view.readAttributes().permissions();
    } catch (NoSuchFileException e) {
      return; // a new file: its mode already follows the umask
    }
    Files.setPosixFilePermissions(temp, permissions);
  }

  /** Deletes the temporary file unless committed. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    IOException failure = null;
    try {
      channel.close();
    } catch (IOException e) {
      failure = e;
    }
    if (!committed) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        if (failure != null) {
          e.addSuppressed(failure);
        }
        failure = e;
      }
    }
    if (failure != null) {
      throw new UncheckedIOException(
          "cannot remove the temporary file " + temp + ": " + reason(failure), failure);
    }
  }

  /** Whether {@code file} is a temporary file of calibra's (by its name). */
  public static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && name.contains(TEMP_MARKER);
  }

  private static String tempPrefix(Path destination) {
    String name = destination.getFileName().toString();
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_NAME_BYTES) {
      int end = name.length();
      while (name.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        end--;
      }
      if (end > 0 && Character.isHighSurrogate(name.charAt(end - 1))) {
        end--;
      }
      name = name.substring(0, end);
    }
    return "." + name + TEMP_MARKER;
  }

  /**
   * Deletes {@code prefix}PID-* files whose process is no longer alive (left by a killed writer). A
   * live writer's temporary file is never touched, so concurrent writers do not disturb each other.
   */
  private static void removeStaleTemporaries(Path dir, String prefix) {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path f : files) {
        String rest = f.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue; // not one of ours
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      // the folder cannot be listed or a stale file not removed: the write itself reports the
      // problem if it is real (for example a read-only folder)
      return;
    }
  }

  private static UncheckedIOException failure(Path target, IOException e) {
    return new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
  }

  /**
   * The system's reason for an I/O failure ("No space left on device", "Permission denied"), or the
   * exception's message when it has none.
   */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return (n.getReason() != null ? n.getReason() : "No such file or directory")
          + (n.getFile() != null ? " (" + n.getFile() + ")" : "");
    }
    if (e instanceof AccessDeniedException a) {
      return (a.getReason() != null ? a.getReason() : "Permission denied")
          + (a.getFile() != null ? " (" + a.getFile() + ")" : "");
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
