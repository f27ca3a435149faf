package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.faults.SmallFilesystem;
import io.calibra.io.AtomicOutput;
import io.calibra.io.CalibratorFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files through the command line: an output is never an input, every write is atomic, non-regular
 * targets are refused, links and permissions are kept, {@code -} and FIFOs work without hanging,
 * and failures name the file and the reason.
 */
class CliFilesTest {
  @TempDir Path tmp;
  private TestDir dir;
  private Path scores;
  private Path model;

  @BeforeEach
  void files() throws IOException {
    dir = new TestDir(tmp);
    scores = dir.randomScores("scores.csv", 200, 1);
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

  private static boolean run(Object... command) throws Exception {
    try {
      Process p = new ProcessBuilder(Cli.args(command)).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private Cli calibrate(Path input, Path output) {
    return Cli.run(
        "calibrate",
        "--calibrator",
        model,
        "--scores",
        "prob",
        "--input",
        input,
        "--output",
        output);
  }

  // ---- an output that is an input

  @Test
  void anOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten() throws Exception {
    byte[] input = Files.readAllBytes(scores);
    byte[] savedModel = Files.readAllBytes(model);
    calibrate(scores, scores)
        .exits(2, "--output", "is the same file as --input", "scores.csv")
        .oneLine();
    Path symlink = Files.createSymbolicLink(tmp.resolve("link.csv"), scores.getFileName());
    calibrate(scores, symlink)
        .exits(2, "--output", "link.csv", "is the same file as --input")
        .oneLine();
    Path hardLink = Files.createLink(tmp.resolve("hard.csv"), scores);
    calibrate(scores, hardLink)
        .exits(2, "--output", "hard.csv", "is the same file as --input")
        .oneLine();
    calibrate(scores, model).exits(2, "--output", "is the same file as --calibrator").oneLine();
    Path cf = dir.randomScores("cf.csv", 3, 2);
    byte[] cfBytes = Files.readAllBytes(cf);
    Cli.run(
            "fit",
            "--method",
            "contextual",
            "--scores",
            "prob",
            "--content-free",
            cf,
            "--output",
            cf)
        .exits(2, "is the same file as --content-free")
        .oneLine();
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            hardLink)
        .exits(2, "is the same file as --input")
        .oneLine();
    Cli.run(
            "calibrate",
            "--method",
            "contextual",
            "--content-free",
            cf,
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            cf)
        .exits(2, "is the same file as --content-free")
        .oneLine();
    Path texts = Files.writeString(tmp.resolve("texts.csv"), "text\ngood\nbad\n");
    Path template = Files.writeString(tmp.resolve("t.json"), "{}");
    String[] labels = {"--label", "negative=bad", "--label", "positive=good"};
    Cli.run("score", labels, "--input", texts, "--output", texts)
        .exits(2, "is the same file as --input")
        .oneLine();
    Cli.run(
            "score",
            labels,
            "--input",
            texts,
            "--template",
            template,
            "--output",
            scores,
            "--content-free-output",
            template)
        .exits(2, "--content-free-output", "is the same file as --template")
        .oneLine();
    Path fresh = tmp.resolve("fresh.csv");
    Cli.run("score", labels, "--input", texts, "--output", fresh, "--content-free-output", fresh)
        .exits(2, "--content-free-output", "is the same file as --output")
        .oneLine();
    Path reportDir = Files.createDirectories(tmp.resolve("report"));
    Path page = Files.copy(scores, reportDir.resolve("index.html"));
    Cli.run("report", "--input", page, "--scores", "prob", "--output", reportDir)
        .exits(2, "is the same file as --input")
        .oneLine();
    assertThat(Files.readAllBytes(scores)).isEqualTo(input);
    assertThat(Files.readAllBytes(page)).isEqualTo(input);
    assertThat(Files.readAllBytes(model)).isEqualTo(savedModel);
    assertThat(Files.readAllBytes(cf)).isEqualTo(cfBytes);
    assertThat(Files.readString(texts)).isEqualTo("text\ngood\nbad\n");
    assertThat(Files.readString(template)).isEqualTo("{}");
    assertThat(fresh).doesNotExist();
    assertThat(Files.isSymbolicLink(symlink)).isTrue();
    TestDir.assertNoTemporaryFiles(tmp);
  }

  // ---- atomic writes

  @Test
  void aBadRowLeavesThePreviousOutputAndNoTemporaryFile() throws Exception {
    Path out = tmp.resolve("out.csv");
    calibrate(scores, out).ok();
    byte[] previous = Files.readAllBytes(out);
    String bad =
        Files.readString(dir.randomScores("bad.csv", 500, 3))
            .replace("r400,", "r400,negative,0.5\nx,");
    Path badFile = Files.writeString(tmp.resolve("bad.csv"), bad);
    Cli r = calibrate(badFile, out);
    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(Files.readAllBytes(out)).isEqualTo(previous);
    TestDir.assertNoTemporaryFiles(tmp);
  }

  /** Eight concurrent runs to one output, three times: always one run's complete output. */
  @Test
  void concurrentRunsToOneOutputLeaveOneCompleteFile() throws Exception {
    List<Path> inputs = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Path in = dir.randomScores("in" + i + ".csv", 3000 + 400 * i, 10 + i);
      Path alone = tmp.resolve("alone" + i + ".csv");
      calibrate(in, alone).ok();
      inputs.add(in);
      expected.add(Files.readString(alone));
    }
    Path out = tmp.resolve("shared.csv");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 3; round++) {
        List<Future<Cli>> runs = new ArrayList<>();
        for (Path in : inputs) {
          runs.add(pool.submit(() -> calibrate(in, out)));
        }
        for (Future<Cli> f : runs) {
          f.get(300, TimeUnit.SECONDS).ok();
        }
        assertThat(expected).as("round %d", round).contains(Files.readString(out));
        Cli.run("metrics", "--input", out, "--scores", "prob").ok();
        TestDir.assertNoTemporaryFiles(tmp);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A run killed (SIGKILL) in the middle of writing leaves the previous file intact. */
  @Test
  @Timeout(300)
  void aKilledRunLeavesThePreviousFile() throws Exception {
    Path big = dir.randomScores("big.csv", 600_000, 4);
    Path out = tmp.resolve("out.csv");
    calibrate(scores, out).ok();
    byte[] previous = Files.readAllBytes(out);
    Path temp = null;
    Process p;
    try (WatchService watch = tmp.getFileSystem().newWatchService()) {
      tmp.register(
          watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      p =
          new ProcessBuilder(
                  Cli.javaCommand(
                      List.of(),
                      "calibrate",
                      "--calibrator",
                      model,
                      "--scores",
                      "prob",
                      "--input",
                      big,
                      "--output",
                      out))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      while (temp == null) {
        assertThat(p.isAlive()).as("the run ended before it could be killed mid-write").isTrue();
        for (String n : TestDir.names(tmp)) {
          if (n.startsWith(".out.csv" + AtomicOutput.TEMP_MARKER)
              && Files.size(tmp.resolve(n)) > 100_000) {
            temp = tmp.resolve(n);
          }
        }
        // a file in the folder was created or written (or a second passed): look again
        WatchKey key = watch.poll(1, TimeUnit.SECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllBytes(out)).isEqualTo(previous);
    assertThat(temp).exists(); // killed mid-write: its temporary file is stale now
    Cli.run("metrics", "--input", out, "--scores", "prob").ok();
    // the next save of the same target removes it
    calibrate(dir.randomScores("small.csv", 50, 5), out).ok();
    assertThat(temp).doesNotExist();
    TestDir.assertNoTemporaryFiles(tmp);
  }

  @Test
  void aFullDiskLeavesThePreviousOutput() throws Exception {
    SmallFilesystem fs = SmallFilesystem.tryMount(tmp, 64);
    Assumptions.assumeTrue(fs != null, "cannot mount a small tmpfs here (needs root): skipping");
    try (fs) {
      Path out = fs.dir().resolve("out.csv");
      calibrate(scores, out).ok();
      byte[] previous = Files.readAllBytes(out);
      Cli r = calibrate(dir.randomScores("many.csv", 5000, 6), out);
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("out.csv").contains("No space left on device");
      assertThat(Files.readAllBytes(out)).isEqualTo(previous);
      assertThat(TestDir.names(fs.dir())).containsExactly("out.csv");
    }
  }

  // ---- targets that are not regular files; links

  @Test
  void targetsThatAreNotRegularFilesAreRefused() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("folder.csv"));
    calibrate(scores, folder).exits(2, "--output", "folder.csv", "is a folder").oneLine();
    Path fifo = tmp.resolve("fifo.json");
    Assumptions.assumeTrue(run("mkfifo", fifo), "no mkfifo here: skipping");
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            fifo)
        .exits(2, "fifo.json", "is not a regular file")
        .oneLine();
    assertThat(Files.isRegularFile(fifo)).isFalse();
    Path plain = Files.writeString(tmp.resolve("plain"), "x");
    Cli.run("report", "--input", scores, "--scores", "prob", "--output", plain)
        .exits(2, "is not a folder")
        .oneLine();
    Path device = tmp.resolve("device");
    if (run("mknod", device, "c", "1", "7")) { // our own /dev/full node
      Cli.run(
              "fit",
              "--method",
              "temperature",
              "--scores",
              "prob",
              "--input",
              scores,
              "--output",
              device)
          .exits(2, "is not a regular file")
          .oneLine();
      assertThat(Files.isRegularFile(device)).isFalse();
    } else {
      System.out.println("cannot mknod here (needs root): skipping the device case");
    }
    TestDir.assertNoTemporaryFiles(tmp);
  }

  @Test
  void aSymbolicLinkOutputIsWrittenThroughAndStaysALink() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("out.csv"), Path.of("real", "target.csv"));
    calibrate(scores, link).ok();
    Path modelLink = Files.createSymbolicLink(tmp.resolve("m.json"), Path.of("real", "m.json"));
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            modelLink)
        .ok();
    calibrate(scores, link).ok(); // and over an existing target
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.isSymbolicLink(modelLink)).isTrue();
    assertThat(TestDir.names(real)).containsExactly("m.json", "target.csv");
    assertThat(Files.readString(real.resolve("target.csv")))
        .startsWith("id,gold,negative,positive,prediction\n");
    CalibratorFiles.load(real.resolve("m.json"));
  }

  // ---- permissions

  @Test
  void newFilesFollowTheUmaskAndReplacedFilesKeepTheirMode() throws Exception {
    Set<PosixFilePermission> umaskMode =
        Files.getPosixFilePermissions(Files.createFile(tmp.resolve("reference")));
    Path out = tmp.resolve("new.csv");
    calibrate(scores, out).ok();
    assertThat(Files.getPosixFilePermissions(out)).isEqualTo(umaskMode);
    assertThat(Files.getPosixFilePermissions(model)).isEqualTo(umaskMode);

    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-rw-r--"));
    calibrate(scores, out).ok();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-rw-r--");
    Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("rw-r-----"));
    Cli.run("fit", "--method", "vector", "--scores", "prob", "--input", scores, "--output", model)
        .ok();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(model)))
        .isEqualTo("rw-r-----");

    Path report = tmp.resolve("report");
    Cli.run("report", "--input", scores, "--scores", "prob", "--output", report).ok();
    for (String f : List.of("index.html", "reliability.png", "reliability.svg")) {
      assertThat(Files.getPosixFilePermissions(report.resolve(f))).as(f).isEqualTo(umaskMode);
    }
    Files.setPosixFilePermissions(
        report.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
    Cli.run("report", "--input", scores, "--scores", "prob", "--output", report).ok();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(report.resolve("index.html"))))
        .isEqualTo("rw-r--r--");
    assertThat(TestDir.names(report))
        .containsExactly("index.html", "reliability.png", "reliability.svg");
    Png.assertReport(report.resolve("reliability.png"), 1);
  }

  // ---- standard input and output, FIFOs

  private static long inputCopies() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("calibra-input-")).count();
    }
  }

  @Test
  @Timeout(120)
  void standardInputAndOutput() throws Exception {
    long copies = inputCopies();
    byte[] bytes = Files.readAllBytes(scores);
    String expected =
        Cli.run("metrics", "--input", scores, "--scores", "prob", "--json").ok().out();
    assertThat(
            Cli.runWithInput(bytes, "metrics", "--input", "-", "--scores", "prob", "--json")
                .ok()
                .out())
        .isEqualTo(expected);

    Path calibrated = tmp.resolve("calibrated.csv");
    calibrate(scores, calibrated).ok();
    Cli piped =
        Cli.runWithInput(
                bytes,
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
    assertThat(piped.out()).isEqualTo(Files.readString(calibrated));

    Cli json =
        Cli.runWithInput(
                bytes,
                "fit",
                "--method",
                "temperature",
                "--scores",
                "prob",
                "--input",
                "-",
                "--output",
                "-")
            .ok();
    assertThat(
            CalibratorFiles.fromJson(json.out().getBytes(StandardCharsets.UTF_8), Path.of("-"))
                .calibrator())
        .isEqualTo(CalibratorFiles.load(model).calibrator());

    // with the model on standard output, fit --method auto's ranking goes to standard error
    Cli auto =
        Cli.run("fit", "--method", "auto", "--scores", "prob", "--input", scores, "--output", "-")
            .ok();
    CalibratorFiles.fromJson(auto.out().getBytes(StandardCharsets.UTF_8), Path.of("-"));
    assertThat(auto.err()).contains("best: ");

    Path report = tmp.resolve("report");
    Cli.runWithInput(bytes, "report", "--input", "-", "--scores", "prob", "--output", report).ok();
    assertThat(Files.readString(report.resolve("index.html"))).contains("standard input");

    Cli.runWithInput(
            bytes,
            "fit",
            "--method",
            "auto",
            "--scores",
            "prob",
            "--input",
            "-",
            "--content-free",
            "-",
            "--output",
            "x.json")
        .exits(2, "--input and --content-free are both -")
        .oneLine();
    Cli bad =
        Cli.runWithInput(
            "gold,a,b\na,0.5,0.7\n".getBytes(StandardCharsets.UTF_8),
            "metrics",
            "--input",
            "-",
            "--scores",
            "prob");
    assertThat(bad.code()).isEqualTo(3);
    assertThat(bad.err()).contains("standard input:2").doesNotContain("calibra-input-");
    assertThat(inputCopies()).isEqualTo(copies);
  }

  @Test
  void scoreReadsStandardInputAndWritesStandardOutput() throws Exception {
    String texts = "id,text,gold\nt0,a wonderful film,positive\nt1,\"dull, slow\",negative\n";
    Path input = Files.writeString(tmp.resolve("texts.csv"), texts);
    Path out = tmp.resolve("scored.csv");
    // the int8 encoder, the quicker of the two embedded models to load: what is checked here is
    // the streams, and int8 scores are the same bytes whatever the batching
    String[] labels = {
      "--model",
      "embedded-minilm-int8",
      "--label",
      "negative=The movie was terrible.",
      "--label",
      "positive=The movie was great."
    };
    Cli.run("score", labels, "--input", input, "--output", out).ok();
    List<String> args = new ArrayList<>(List.of("score"));
    args.addAll(List.of(labels));
    args.addAll(List.of("--input", "-", "--output", "-"));
    Cli piped =
        Cli.runWithInput(texts.getBytes(StandardCharsets.UTF_8), args.toArray(String[]::new)).ok();
    assertThat(piped.out())
        .isEqualTo(Files.readString(out))
        .startsWith("id,gold,negative,positive\nt0,positive,");
  }

  @Test
  @Timeout(120)
  void aFifoInputIsReadOnceAndNeverHangs() throws Exception {
    Path fifo = tmp.resolve("scores.fifo");
    Assumptions.assumeTrue(run("mkfifo", fifo), "no mkfifo here: skipping");
    long copies = inputCopies();
    byte[] bytes = Files.readAllBytes(scores);
    String expected =
        Cli.run("metrics", "--input", scores, "--scores", "prob", "--json").ok().out();
    for (String command : List.of("metrics", "report")) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  Files.write(fifo, bytes);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      writer.setDaemon(true);
      writer.start();
      Cli r =
          command.equals("metrics")
              ? Cli.run("metrics", "--input", fifo, "--scores", "prob", "--json")
              : Cli.run(
                  "report", "--input", fifo, "--scores", "prob", "--output", tmp.resolve("r"));
      r.ok();
      writer.join(60_000);
      if (command.equals("metrics")) {
        assertThat(r.out()).isEqualTo(expected);
      }
    }
    assertThat(Files.readString(tmp.resolve("r/index.html"))).contains("scores.fifo");
    assertThat(inputCopies()).isEqualTo(copies);
  }

  // ---- folders as input, standard output failures, reasons

  @Test
  void aFolderAsInputIsBadData() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("folder"));
    Path out = tmp.resolve("o.csv");
    Cli.run("metrics", "--input", folder, "--scores", "prob")
        .exits(3, "folder", "is a folder")
        .oneLine();
    calibrate(folder, out).exits(3, "is a folder").oneLine();
    Cli.run(
            "calibrate",
            "--calibrator",
            folder,
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            out)
        .exits(3, "is a folder")
        .oneLine();
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            folder,
            "--output",
            out)
        .exits(3, "is a folder")
        .oneLine();
    Cli.run(
            "score",
            new String[] {"--label", "a=x", "--label", "b=y"},
            "--input",
            folder,
            "--output",
            out)
        .exits(3, "is a folder")
        .oneLine();
    assertThat(out).doesNotExist();
  }

  @Test
  void aFailedWriteToStandardOutputIsAnError() throws Exception {
    Path full = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.exists(full), "no /dev/full here: skipping");
    Process p =
        new ProcessBuilder(
                Cli.javaCommand(
                    List.of(), "metrics", "--input", scores, "--scores", "prob", "--json"))
            .redirectOutput(full.toFile())
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(1);
    assertThat(err.lines().filter(l -> l.startsWith("calibra: ")).toList())
        .containsExactly("calibra: cannot write to standard output: No space left on device");
  }

  @Test
  void anUnreadableInputNamesTheReason() throws Exception {
    Assumptions.assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "running as root, which reads any file: skipping the permission case");
    Path locked = Files.copy(scores, tmp.resolve("locked.csv"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Cli.run("metrics", "--input", locked, "--scores", "prob")
        .exits(3, "locked.csv", "Permission denied")
        .oneLine();
  }

  // ---- fit prints one line

  @Test
  void fitPrintsAOneLineSummary() throws Exception {
    int k = 3000;
    StringBuilder header = new StringBuilder("id");
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < k; i++) {
      header.append(",l").append(i);
    }
    Path cf = tmp.resolve("cf.csv");
    StringBuilder content = new StringBuilder(header).append('\n');
    Random random = new Random(7);
    for (int r = 0; r < 3; r++) {
      row.setLength(0);
      row.append("cf").append(r);
      for (int i = 0; i < k; i++) {
        row.append(',').append(-1 - random.nextDouble());
      }
      content.append(row).append('\n');
    }
    Files.writeString(cf, content);
    Cli r =
        Cli.run(
                "fit",
                "--method",
                "contextual",
                "--scores",
                "logprob",
                "--content-free",
                cf,
                "--output",
                tmp.resolve("c.json"))
            .ok();
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).contains("contextual, 3000 labels, 3000 parameters").hasSizeLessThan(300);
    Cli t =
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
    assertThat(t.err())
        .containsPattern(
            "wrote .*model.json: temperature \\(T = [0-9.]+\\), 2 labels, 1 parameter\n");
  }
}
