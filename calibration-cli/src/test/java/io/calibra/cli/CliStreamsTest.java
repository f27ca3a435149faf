package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard input, FIFOs and devices as inputs, and standard output that fails: a command that reads
 * an input once streams it (no copy, no bound); a command that reads it several times copies it to
 * a bounded, private (0600) temporary file that is removed on every exit path, SIGTERM included;
 * nothing claims success after a lost write to standard output.
 *
 * <p>Copies are observed through {@code /proc/PID/fd} (the files a process has open), so that other
 * processes using the same temporary folder cannot disturb the checks; the tests that need it skip
 * where there is no {@code /proc}.
 */
class CliStreamsTest {
  @TempDir Path tmp;
  private Path scores;
  private Path model;

  @BeforeEach
  void files() throws IOException {
    scores = new TestDir(tmp).randomScores("scores.csv", 300, 3);
    model = tmp.resolve("model.json");
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            model)
        .ok();
  }

  @AfterEach
  void noCopyLeft() {
    System.clearProperty(InputCopy.MAX_BYTES_PROPERTY);
    assertThat(InputCopy.live()).isEmpty();
  }

  private static void assumeProc() {
    Assumptions.assumeTrue(
        Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd here: skipping");
  }

  /** The input copies process {@code pid} has open, with their permissions. */
  /** An input copy {@code pid} holds open and has written bytes to, or null. */
  private static Path copyInProgress(long pid) {
    for (String c : openCopies(pid)) {
      Path copy = Path.of(c.substring(0, c.indexOf(' ')));
      try {
        if (Files.size(copy) > 0) {
          return copy;
        }
      } catch (IOException e) {
        // removed while looking: not a copy in progress
      }
    }
    return null;
  }

  private static List<String> openCopies(long pid) {
    List<String> copies = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.getFileName() != null
              && target.getFileName().toString().startsWith(InputCopy.PREFIX)) {
            copies.add(
                target
                    + " "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
          }
        } catch (IOException e) {
          // closed while listing: not a copy in progress
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return copies;
  }

  /** Standard input that notes, at each read, the input copies this process has open. */
  private static final class Watched extends InputStream {
    private final InputStream in;
    final Set<String> copiesSeen = new LinkedHashSet<>();
    int reads;

    Watched(byte[] bytes) {
      this.in = new ByteArrayInputStream(bytes);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      reads++;
      copiesSeen.addAll(openCopies(ProcessHandle.current().pid()));
      return in.read(b, off, Math.min(len, 4096));
    }
  }

  @Test
  void commandsThatReadOnceStreamStandardInputWithoutACopy() throws Exception {
    assumeProc();
    byte[] bytes = Files.readAllBytes(scores);
    Path fromFile = tmp.resolve("calibrated.csv");
    Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            fromFile)
        .ok();
    // a copy bound smaller than the input: only a stream gets through
    System.setProperty(InputCopy.MAX_BYTES_PROPERTY, "1000");
    Watched stdin = new Watched(bytes);
    Cli piped =
        Cli.runWithStream(
                stdin,
                "calibrate",
                "--calibrator",
                model,
                "--scores",
                "prob",
                "--input",
                "-",
                "--output",
                "-")
            .ok();
    assertThat(piped.out()).isEqualTo(Files.readString(fromFile));
    assertThat(stdin.reads).isGreaterThan(bytes.length / 4096);
    assertThat(stdin.copiesSeen).isEmpty();

    Watched calibration = new Watched(bytes);
    Cli.runWithStream(
            calibration,
            "conformal",
            "--labelled-scores",
            "-",
            "--input",
            scores,
            "--scores",
            "prob",
            "--method",
            "lac",
            "--alpha",
            "0.1",
            "--output",
            tmp.resolve("sets.csv"))
        .ok();
    assertThat(calibration.copiesSeen).isEmpty();
  }

  @Test
  void commandsThatReadTwiceCopyStandardInputPrivately() throws Exception {
    assumeProc();
    byte[] bytes = Files.readAllBytes(scores);
    String expected =
        Cli.run("metrics", "--input", scores, "--scores", "prob", "--json").ok().out();
    Watched stdin = new Watched(bytes);
    Cli r = Cli.runWithStream(stdin, "metrics", "--input", "-", "--scores", "prob", "--json").ok();
    assertThat(r.out()).isEqualTo(expected);
    // one copy, private from its first byte to its last
    assertThat(stdin.copiesSeen).isNotEmpty().allSatisfy(c -> assertThat(c).endsWith(" rw-------"));
    assertThat(stdin.copiesSeen.stream().map(c -> c.substring(0, c.indexOf(' '))).distinct())
        .hasSize(1)
        .allSatisfy(copy -> assertThat(Path.of(copy)).doesNotExist());
  }

  @Test
  @Timeout(120)
  void anEndlessInputEndsAtTheBoundWithOneLine() throws Exception {
    Path zero = Path.of("/dev/zero");
    Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero here: skipping");
    System.setProperty(InputCopy.MAX_BYTES_PROPERTY, String.valueOf(1 << 20));
    // read several times: copied up to the bound, then bad data naming the input and the bound;
    // 4 MiB of standard input to fit
    Cli.run("metrics", "--input", zero, "--scores", "prob")
        .exits(3, "calibra: /dev/zero: longer than 1048576 bytes", InputCopy.MAX_BYTES_PROPERTY)
        .oneLine();
    Cli.runWithStream(
            new ByteArrayInputStream(new byte[4 << 20]),
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            "-",
            "--output",
            tmp.resolve("m.json"))
        .exits(3, "calibra: standard input: longer than 1048576 bytes")
        .oneLine();
    // read once: streamed, and a record without end is bad data at the record bound
    Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--scores",
            "prob",
            "--input",
            zero,
            "--output",
            tmp.resolve("c.csv"))
        .exits(3, "/dev/zero:1: a record longer than")
        .oneLine();
    // a JSON input read once stops at the JSON size bound
    Cli.run(
            "calibrate",
            "--calibrator",
            zero,
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            tmp.resolve("c.csv"))
        .exits(3, "/dev/zero: the file has more bytes, over the size limit")
        .oneLine();
    assertThat(tmp.resolve("c.csv")).doesNotExist();
    assertThat(tmp.resolve("m.json")).doesNotExist();
  }

  @Test
  @Timeout(120)
  void sigtermRemovesTheCopyInProgress() throws Exception {
    assumeProc();
    Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
    try (WatchService watch = tempDir.getFileSystem().newWatchService()) {
      tempDir.register(
          watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      Process p =
          new ProcessBuilder(
                  Cli.javaCommand(List.of(), "metrics", "--input", "-", "--scores", "prob"))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      // standard input stays open: the child copies what it has and waits for more
      OutputStream stdin = p.getOutputStream();
      stdin.write(Files.readAllBytes(scores));
      stdin.flush();
      // a copy the child holds open and has written to: the copy is in progress (a copy found
      // while the file is being created may not be registered for removal yet)
      Path copy = copyInProgress(p.pid());
      while (copy == null) {
        watch.take().reset(); // a file in the temporary folder was created or written: look again
        copy = copyInProgress(p.pid());
      }
      assertThat(copy).exists();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(copy).doesNotExist();
    }
  }

  @Test
  @Timeout(120)
  void aLostWriteToStandardOutputIsOneLineAndNoSuccess() throws Exception {
    Path full = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.exists(full), "no /dev/full here: skipping");
    Process p =
        new ProcessBuilder(
                Cli.javaCommand(
                    List.of(),
                    "calibrate",
                    "--calibrator",
                    model,
                    "--scores",
                    "prob",
                    "--input",
                    scores,
                    "--output",
                    "-"))
            .redirectOutput(full.toFile())
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(1);
    assertThat(err.lines().toList())
        .containsExactly("calibra: cannot write to standard output: No space left on device");
  }
}
