package io.calibra.backend.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Server responses on disk, one file per request: {@code <key>.json} holding {@code {"key": ...,
 * "response": ...}}. Thread-safe, and safe in a folder other people can write to:
 *
 * <ul>
 *   <li>an entry is read only when it is a regular file by its own attributes, read without
 *       following links ({@code NOFOLLOW_LINKS}): a symbolic link, a FIFO (which would block the
 *       reader), a folder or a device at an entry's path is never opened, but discarded;
 *   <li>an entry that is not such JSON, names another key, is larger than the answer size limit, or
 *       holds an answer its scorer refuses (a log-probability of {@code -1e999}) is discarded and
 *       fetched again: it is not the server's fault;
 *   <li>an entry is written to a new temporary file in the same folder (created exclusively, mode
 *       0600, so no link is followed) and renamed over the entry's name: a link planted at that
 *       name is replaced, never written through, and readers see the old or the new entry whole;
 *   <li>a folder that users other than its owner can write to (group or world write permission) is
 *       accepted only when the current user owns it, since anyone else could replace its entries
 *       and so the scores; a new folder is created 0700.
 * </ul>
 */
final class ResponseCache {
  private static final Set<PosixFilePermission> OTHERS_WRITE =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private final Path dir;
  private final ObjectMapper mapper;
  private final long maxBytes;
  private final boolean posix;

  ResponseCache(Path dir, ObjectMapper mapper, long maxBytes) {
    this.dir = dir;
    this.mapper = mapper;
    this.maxBytes = maxBytes;
    BasicFileAttributes attributes = attributes(dir, "the response cache folder");
    if (attributes == null) {
      create(dir);
    } else if (!attributes.isDirectory()) {
      throw new IllegalArgumentException(
          "response cache "
              + dir
              + " is "
              + (attributes.isRegularFile() ? "a file" : "not a folder")
              + "; expected a folder (it is created if missing)");
    }
    this.posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    if (posix) {
      checkOwnership(dir);
    }
  }

  /** The folder's attributes (following a link the user gave), or null if it does not exist. */
  private static BasicFileAttributes attributes(Path path, String what) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " " + path + ": " + reason(e), e);
    }
  }

  private static void create(Path dir) {
    try {
      if (Files.getFileAttributeView(dir.toAbsolutePath().getParent(), PosixFileAttributeView.class)
          != null) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the response cache folder " + dir + ": " + reason(e), e);
    }
  }

  private static void checkOwnership(Path dir) {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(dir, PosixFileAttributes.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the owner and permissions of the response cache folder "
              + dir
              + ": "
              + reason(e),
          e);
    }
    if (attributes.permissions().stream().noneMatch(OTHERS_WRITE::contains)) {
      return;
    }
    UserPrincipal me;
    try {
      me =
          dir.getFileSystem()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException e) {
      me = null; // an unknown user owns nothing
    }
    if (!attributes.owner().equals(me)) {
      throw new IllegalArgumentException(
          "response cache "
              + dir
              + " is writable by other users ("
              + PosixFilePermissions.toString(attributes.permissions())
              + ") and owned by "
              + attributes.owner().getName()
              + ", not by you, so anyone could replace its entries and so the scores; use a folder"
              + " you own (one you own may be shared with your group)");
    }
  }

  Path file(String key) {
    return dir.resolve(key + ".json");
  }

  /**
   * The cached response for {@code key}, or null when there is none, it is unreadable (another
   * user's entry), not a regular file, too large or corrupt (those are discarded).
   */
  JsonNode read(String key) {
    Path file = file(key);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException | AccessDeniedException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cache entry " + file + ": " + reason(e), e);
    }
    if (!attributes.isRegularFile() || attributes.size() > maxBytes) {
      discard(key);
      return null;
    }
    byte[] bytes;
    try (SeekableByteChannel channel =
        Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      bytes = readAtMost(channel);
    } catch (NoSuchFileException | AccessDeniedException e) {
      return null;
    } catch (FileSystemException e) {
      // replaced by a link since the attributes were read: O_NOFOLLOW refused it
      discard(key);
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cache entry " + file + ": " + reason(e), e);
    }
    if (bytes == null) {
      discard(key);
      return null;
    }
    try {
      JsonNode entry = mapper.readTree(bytes);
      if (entry == null
          || !entry.isObject()
          || !key.equals(entry.path("key").asText(null))
          || !entry.path("response").isObject()) {
        discard(key);
        return null;
      }
      return entry.get("response");
    } catch (IOException e) {
      discard(key);
      return null;
    }
  }

  /** The channel's bytes, or null when there are more than the size limit. */
  private byte[] readAtMost(SeekableByteChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes + 1, 1 << 16));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (channel.read(buffer) >= 0) {
      buffer.flip();
      if (out.size() + (long) buffer.remaining() > maxBytes) {
        return null;
      }
      out.write(buffer.array(), 0, buffer.limit());
      buffer.clear();
    }
    return out.toByteArray();
  }

  /**
   * Removes the entry of {@code key} (a link, FIFO or empty folder itself, never what a link points
   * to); what cannot be removed is left for the next write to replace.
   */
  void discard(String key) {
    try {
      Files.deleteIfExists(file(key));
    } catch (IOException e) {
      // not removable (another user's entry, a folder with files): the write replaces it or fails
    }
  }

  /** Stores {@code response} under {@code key}: a new 0600 file renamed over the entry. */
  void write(String key, JsonNode response) {
    ObjectNode entry = mapper.createObjectNode();
    entry.put("key", key);
    entry.set("response", response);
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsString(entry).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise cache entry " + file(key), e);
    }
    Path target = file(key);
    Path temp =
        dir.resolve(
            "."
                + key
                + io.calibra.io.AtomicOutput.TEMP_MARKER
                + ProcessHandle.current().pid()
                + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      FileAttribute<?>[] mode =
          posix
              ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
              }
              : new FileAttribute<?>[0];
      try (SeekableByteChannel channel =
          Files.newByteChannel(
              temp,
              Set.of(
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  // CREATE_NEW (O_EXCL) already refuses a link; NOFOLLOW_LINKS says so
                  LinkOption.NOFOLLOW_LINKS),
              mode)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot write cache entry " + target + ": " + reason(e), e);
    }
  }

  private static String reason(IOException e) {
    return io.calibra.io.AtomicOutput.reason(e);
  }
}
