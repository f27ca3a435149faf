package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.faults.SmallFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `calibra report` into a full, read-only or impossible folder: a clear error, no partial file. */
class ReportFaultsTest {
  @TempDir Path tmp;

  private Path scores() throws Exception {
    StringBuilder sb = new StringBuilder("gold,negative,positive\n");
    for (int i = 0; i < 200; i++) {
      double p = (i % 100) / 100.0;
      sb.append(i % 3 == 0 ? "negative" : "positive")
          .append(',')
          .append(1 - p)
          .append(',')
          .append(p)
          .append('\n');
    }
    return Files.writeString(tmp.resolve("scores.csv"), sb.toString());
  }

  /**
   * Every file left is complete: no temporary files, every PNG decodes to the diagram's 560 x 480
   * pixels (Png.assertDiagram), every HTML page is whole.
   */
  private static void assertNoPartialFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        assertThat(name).doesNotContain(io.calibra.io.AtomicOutput.TEMP_MARKER);
        if (name.endsWith(".png")) {
          Png.assertDiagram(f);
        }
        if (name.endsWith(".html")) {
          assertThat(Files.readString(f)).endsWith("</html>\n");
        }
      }
    }
  }

  @Test
  void fullFolder() throws Exception {
    Path input = scores();
    SmallFilesystem fs = SmallFilesystem.tryMount(tmp, 24);
    Assumptions.assumeTrue(fs != null, "cannot mount a small tmpfs here (needs root): skipping");
    try (fs) {
      Cli r =
          Cli.run(
              "report",
              "--input",
              input.toString(),
              "--scores",
              "prob",
              "--output",
              fs.dir().toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("No space left on device");
      assertNoPartialFiles(fs.dir());
    }
  }

  /**
   * A disk that fills up after the first diagram is written: the previous report stays whole (all
   * three files byte for byte), nothing new is left beside it.
   */
  @Test
  void aDiskFullMidReportLeavesThePreviousReportWhole() throws Exception {
    Path input = scores();
    SmallFilesystem fs = SmallFilesystem.tryMount(tmp, 1024);
    Assumptions.assumeTrue(fs != null, "cannot mount a small tmpfs here (needs root): skipping");
    try (fs) {
      Path out = fs.dir().resolve("report");
      Object[] report = {"report", "--input", input, "--scores", "prob", "--output", out};
      Cli.run(report).ok();
      Map<String, byte[]> before = new TreeMap<>();
      for (String name : TestDir.names(out)) {
        before.put(name, Files.readAllBytes(out.resolve(name)));
      }
      assertThat(before).containsOnlyKeys("index.html", "reliability.png", "reliability.svg");
      // room for a new PNG (tens of KB) but not for the SVG after it (hundreds of KB)
      long room = before.get("reliability.png").length + 64 * 1024;
      long usable = Files.getFileStore(fs.dir()).getUsableSpace();
      Assumptions.assumeTrue(usable > room, "the small file system is already full: skipping");
      Files.write(fs.dir().resolve("filler"), new byte[(int) (usable - room)]);

      Cli r = Cli.run(report, "--bins", "5", "--title", "another report");
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("No space left on device");
      assertThat(r.err().lines()).hasSize(1);
      assertThat(TestDir.names(out)).containsExactlyElementsOf(before.keySet());
      for (Map.Entry<String, byte[]> f : before.entrySet()) {
        assertThat(Files.readAllBytes(out.resolve(f.getKey())))
            .as(f.getKey())
            .isEqualTo(f.getValue());
      }
      TestDir.assertNoTemporaryFiles(out);

      // a new folder on a full disk is not left behind either
      Cli fresh =
          Cli.run(
              "report", "--input", input, "--scores", "prob", "--output", fs.dir().resolve("new"));
      assertThat(fresh.code()).as(fresh.err()).isEqualTo(1);
      assertThat(fs.dir().resolve("new")).doesNotExist();
    }
  }

  @Test
  void readOnlyFolder() throws Exception {
    Path input = scores();
    SmallFilesystem fs = SmallFilesystem.tryMount(tmp, 1024);
    Assumptions.assumeTrue(fs != null, "cannot mount a small tmpfs here (needs root): skipping");
    try (fs) {
      fs.makeReadOnly();
      Cli r =
          Cli.run(
              "report",
              "--input",
              input.toString(),
              "--scores",
              "prob",
              "--output",
              fs.dir().toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("Read-only file system");
      try (Stream<Path> files = Files.list(fs.dir())) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void outputUnderAFile() throws Exception {
    Path input = scores();
    Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
    Cli r =
        Cli.run(
            "report",
            "--input",
            input.toString(),
            "--scores",
            "prob",
            "--output",
            file.resolve("out").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cannot create the output folder").contains("plain.txt");
  }
}
