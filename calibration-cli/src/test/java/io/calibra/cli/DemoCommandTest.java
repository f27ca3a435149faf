package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo on its built-in sample: the table, the diagrams and the report. */
class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void builtInSampleRunsEveryMethodAndWritesTheReport() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("no-data"));
    Path out = tmp.resolve("report");
    // --data pointing at a folder without SST-2 files is an error; without --data and without
    // ../shared/data/sst2 beside the working folder the built-in sample is used.
    Cli bad =
        Cli.run("demo", "--data", empty.resolve("missing").toString(), "--output", out.toString());
    assertThat(bad.code()).isEqualTo(2);

    Cli r = Cli.run("demo", "--data", sample(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    for (String method :
        new String[] {
          "raw",
          "contextual (N/A, \"\", [MASK])",
          "domain-context",
          "batch",
          "temperature (dev)",
          "contextual + temperature (dev)"
        }) {
      assertThat(r.out()).contains(method);
    }
    assertThat(r.out()).contains("zero-shot").contains("4-shot").contains("report: ");
    // Issue 10 item 13: each setting checks contextual calibration on its dev rows, and every
    // check that got worse is a warning on standard error.
    assertThat(r.out().split("check of contextual calibration, contextual on ", -1)).hasSize(3);
    long worse = r.out().lines().filter(l -> l.contains("; worse: consider leaving")).count();
    long warnings =
        r.err().lines().filter(l -> l.contains("calibration made the dev set worse")).count();
    assertThat(warnings).isEqualTo(worse);
    for (String setting : new String[] {"zero-shot", "4-shot"}) {
      for (String file :
          new String[] {
            "raw", "contextual", "domain-context", "batch", "temperature", "contextual-temperature"
          }) {
        assertThat(ImageIO.read(out.resolve(setting + "-" + file + ".png").toFile())).isNotNull();
        assertThat(Files.readString(out.resolve(setting + "-" + file + ".svg"))).contains("<svg");
      }
    }
    String html = Files.readString(out.resolve("index.html"));
    assertThat(html)
        .contains("<table>")
        .contains("zero-shot-contextual.svg")
        .contains("content-free distribution");
  }

  /**
   * The built-in sample written out as an SST-2 folder, so the test does not depend on ../shared.
   */
  private String sample() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("sample"));
    DemoData d = DemoData.builtIn();
    write(dir.resolve("train.txt"), d.train());
    write(dir.resolve("dev.txt"), d.dev());
    write(dir.resolve("test.txt"), d.test());
    return dir.toString();
  }

  private static void write(Path file, DemoData.Split split) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < split.size(); i++) {
      sb.append(split.gold()[i]).append(' ').append(split.texts().get(i)).append('\n');
    }
    Files.writeString(file, sb.toString());
  }
}
