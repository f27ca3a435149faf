package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic writes: temporary files, refused targets, links, permissions, stale files, concurrency.
 */
class AtomicOutputTest {
  @TempDir Path tmp;

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static boolean run(String... command) throws Exception {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void nothingChangesUntilCommitAndCloseWithoutCommitLeavesNoTrace() throws Exception {
    Path file = Files.writeString(tmp.resolve("scores.csv"), "old\n");
    try (AtomicOutput out = AtomicOutput.open(file)) {
      out.stream().write("new, partial".getBytes(StandardCharsets.UTF_8));
      out.stream().flush();
      assertThat(Files.readString(file)).isEqualTo("old\n");
      List<String> during = names(tmp);
      assertThat(during).hasSize(2);
      assertThat(during.get(0)).startsWith(".scores.csv.calibra-tmp-");
      assertThat(AtomicOutput.isTemporary(tmp.resolve(during.get(0)))).isTrue();
    } // no commit: an exception in the middle of writing
    assertThat(Files.readString(file)).isEqualTo("old\n");
    assertThat(names(tmp)).containsExactly("scores.csv");

    try (AtomicOutput out = AtomicOutput.open(file)) {
      out.stream().write("new\n".getBytes(StandardCharsets.UTF_8));
      out.commit();
    }
    assertThat(Files.readString(file)).isEqualTo("new\n");
    assertThat(names(tmp)).containsExactly("scores.csv");
  }

  @Test
  void aScoreFileWriterThatFailsMidwayLeavesThePreviousFile() throws Exception {
    LabelSet ab = LabelSet.of("a", "b");
    Path file = Files.writeString(tmp.resolve("out.csv"), "previous\n");
    assertThatThrownBy(
            () -> {
              try (ScoreFileWriter w = ScoreFileWriter.create(file, ab, true, false, true)) {
                w.writeDistribution("0", -1, LabelDistribution.ofProbabilities(ab, 0.3, 0.7));
                w.writeScores("1", -1, new double[] {1, 2, 3}); // a bad row: wrong width
                w.commit();
              }
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2 values");
    assertThat(Files.readString(file)).isEqualTo("previous\n");
    assertThat(names(tmp)).containsExactly("out.csv");
    try (ScoreFileWriter w = ScoreFileWriter.create(file, ab, true, false, true)) {
      w.writeDistribution("0", -1, LabelDistribution.ofProbabilities(ab, 0.25, 0.75));
      w.commit();
    }
    assertThat(Files.readString(file)).isEqualTo("id,a,b,prediction\n0,0.25,0.75,b\n");
  }

  @Test
  void targetsThatAreNotRegularFilesAreRefusedAndUntouched() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("folder"));
    assertThatThrownBy(() -> AtomicOutput.write(folder, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("folder")
        .hasMessageContaining("is a folder");
    assertThat(folder).isDirectory();

    Path fifo = tmp.resolve("fifo");
    if (run("mkfifo", fifo.toString())) {
      assertThatThrownBy(() -> AtomicOutput.write(fifo, new byte[] {1}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a regular file");
      assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
      assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
      // a link to a FIFO is refused the same way
      Path link = Files.createSymbolicLink(tmp.resolve("link-to-fifo"), fifo);
      assertThatThrownBy(() -> AtomicOutput.write(link, new byte[] {1}))
          .isInstanceOf(IllegalArgumentException.class);
    } else {
      System.out.println("no mkfifo here: skipping the FIFO case");
    }
    // a character device: our own node (like /dev/null), never the machine's
    Path device = tmp.resolve("null-device");
    if (run("mknod", device.toString(), "c", "1", "3")) {
      assertThatThrownBy(() -> AtomicOutput.write(device, new byte[] {1}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a regular file");
      assertThat(Files.isRegularFile(device)).isFalse();
    } else {
      System.out.println("cannot mknod here (needs root): skipping the device case");
    }
    assertThat(names(tmp).stream().filter(n -> n.contains(AtomicOutput.TEMP_MARKER))).isEmpty();
  }

  @Test
  void aSymbolicLinkIsWrittenThroughAndStaysALink() throws Exception {
    Path real =
        Files.writeString(Files.createDirectories(tmp.resolve("real")).resolve("m.json"), "1");
    Path link = Files.createSymbolicLink(tmp.resolve("m.json"), Path.of("real/m.json"));
    AtomicOutput.write(link, "2".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).isEqualTo("2");
    assertThat(names(tmp)).containsExactly("m.json", "real");
    assertThat(names(tmp.resolve("real"))).containsExactly("m.json");
    // a dangling link: the file it names is created, the link kept
    Path dangling = Files.createSymbolicLink(tmp.resolve("new.json"), Path.of("real/new.json"));
    AtomicOutput.write(dangling, "3".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.isSymbolicLink(dangling)).isTrue();
    assertThat(Files.readString(tmp.resolve("real/new.json"))).isEqualTo("3");
  }

  @Test
  void newFilesFollowTheUmaskAndReplacedFilesKeepTheirMode() throws Exception {
    // the mode the umask gives a new file, found the way any program creates one
    Path reference = Files.createFile(tmp.resolve("reference"));
    Set<PosixFilePermission> umaskMode = Files.getPosixFilePermissions(reference);
    Path created = tmp.resolve("created.csv");
    AtomicOutput.write(created, new byte[] {'x'});
    assertThat(Files.getPosixFilePermissions(created)).isEqualTo(umaskMode);
    // under the usual umask 022 that is 0644, not 0600
    assertThat(umaskMode).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    for (String mode : List.of("rw-r--r--", "rw-rw-r--", "rwxr-x---", "rw-------")) {
      Path file = Files.writeString(tmp.resolve("mode-" + mode + ".html"), "old");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      AtomicOutput.write(file, "new".getBytes(StandardCharsets.UTF_8));
      assertThat(Files.readString(file)).isEqualTo("new");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo(mode);
    }
  }

  @Test
  void staleTemporaryFilesOfDeadWritersAreRemovedAndLiveOnesKept() throws Exception {
    Process finished = new ProcessBuilder("true").start();
    assertThat(finished.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long deadPid = finished.pid();
    long livePid = ProcessHandle.current().pid();
    Path target = Files.writeString(tmp.resolve("model.json"), "old");
    Path stale = Files.writeString(tmp.resolve(".model.json.calibra-tmp-" + deadPid + "-1a"), "{");
    Path live = Files.writeString(tmp.resolve(".model.json.calibra-tmp-" + livePid + "-2b"), "{");
    Path otherTarget =
        Files.writeString(tmp.resolve(".other.json.calibra-tmp-" + deadPid + "-3c"), "{");
    AtomicOutput.write(target, "new".getBytes(StandardCharsets.UTF_8));
    assertThat(stale).doesNotExist();
    assertThat(live).exists(); // may be a concurrent writer in this process
    assertThat(otherTarget).exists(); // another target's: not ours to judge
    assertThat(Files.readString(target)).isEqualTo("new");
  }

  @Test
  void failuresNameTheFileAndTheReason() {
    Path missing = tmp.resolve("no-such-folder").resolve("m.json");
    assertThatThrownBy(() -> AtomicOutput.write(missing, new byte[] {1}))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot write " + missing)
        .hasMessageContaining("does not exist");
    // the system's reason, also where Java leaves it out of the message
    assertThat(AtomicOutput.reason(new java.nio.file.AccessDeniedException("/x/m.json")))
        .isEqualTo("Permission denied (/x/m.json)");
    assertThat(
            AtomicOutput.reason(
                new java.nio.file.FileSystemException(
                    "/x/m.json", null, "No space left on device")))
        .isEqualTo("No space left on device");
  }

  /**
   * Eight writers, each writing its own complete content over and over; readers never see a mix.
   */
  @Test
  void concurrentWritersNeverLeaveAMix() throws Exception {
    Path file = tmp.resolve("shared.csv");
    List<String> contents = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      contents.add(("writer " + w + "\n").repeat(2_000 + 500 * w));
    }
    AtomicOutput.write(file, contents.get(0).getBytes(StandardCharsets.UTF_8));
    ExecutorService pool = Executors.newFixedThreadPool(9);
    AtomicBoolean done = new AtomicBoolean();
    try {
      Future<Integer> reader =
          pool.submit(
              () -> {
                int reads = 0;
                while (!done.get()) {
                  assertThat(contents).contains(Files.readString(file));
                  reads++;
                }
                return reads;
              });
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        byte[] bytes = contents.get(w).getBytes(StandardCharsets.UTF_8);
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    AtomicOutput.write(file, bytes);
                  }
                  return null;
                }));
      }
      for (Future<?> f : writers) {
        f.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      assertThat(reader.get(120, TimeUnit.SECONDS)).isPositive();
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    assertThat(contents).contains(Files.readString(file));
    assertThat(names(tmp)).containsExactly("shared.csv");
  }
}
