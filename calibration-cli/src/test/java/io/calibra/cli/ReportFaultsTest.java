package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.faults.SmallFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
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
