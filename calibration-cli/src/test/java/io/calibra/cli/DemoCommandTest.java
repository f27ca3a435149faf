package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.CalibrationMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo on its built-in sample: the headline by default, the full study with --full. */
class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void fullRunsEveryMethodOnTheBuiltInSampleAndWritesTheReport() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("no-data"));
    Path out = tmp.resolve("report");
    // --data pointing at a folder without SST-2 files is an error; without --data and without
    // ../shared/data/sst2 beside the working folder the built-in sample is used.
    Cli bad =
        Cli.run("demo", "--data", empty.resolve("missing").toString(), "--output", out.toString());
    assertThat(bad.code()).isEqualTo(2);

    Cli r =
        Cli.run(
            "demo",
            "--full",
            "--no-quantization-study",
            "--data",
            sample(),
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // The rows come from the method registry (every method an encoder's scores
    // can be fitted with), then contextual + temperature and auto.
    List<String> files = new ArrayList<>(List.of("raw", "contextual-temperature", "auto"));
    for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
      switch (m.fitsOn()) {
        case CONTENT_FREE_ROWS, UNLABELLED_ROWS, LABELLED_ROWS -> {
          assertThat(r.out()).containsPattern("(?m)^" + Pattern.quote(m.methodName()) + " \\(");
          if (!Pattern.compile("(?m)^" + Pattern.quote(m.methodName()) + " \\(.*not fitted: ")
              .matcher(r.out())
              .find()) {
            files.add(m.methodName());
          }
        }
        default -> assertThat(r.out()).doesNotContainPattern("(?m)^" + m.methodName() + " ");
      }
    }
    assertThat(r.out()).containsPattern("\\(not fitted here: .*leave-one-out, generative");
    for (String setting : new String[] {"zero-shot", "4-shot"}) {
      assertAutoRowIsItsChoice(r.out(), setting);
    }
    assertThat(r.out()).contains("zero-shot").contains("4-shot").contains("report: ");
    // Each setting checks contextual calibration on its dev rows, and every
    // check that got worse is a warning on standard error.
    assertThat(r.out().split("check of contextual calibration, contextual on ", -1)).hasSize(3);
    long worse = r.out().lines().filter(l -> l.contains("; worse: consider leaving")).count();
    long warnings =
        r.err().lines().filter(l -> l.contains("calibration made the dev set worse")).count();
    assertThat(warnings).isEqualTo(worse);
    for (String setting : new String[] {"zero-shot", "4-shot"}) {
      for (String file : files) {
        Png.assertDiagram(out.resolve(setting + "-" + file + ".png"));
        assertThat(Files.readString(out.resolve(setting + "-" + file + ".svg"))).contains("<svg");
      }
    }
    String html = Files.readString(out.resolve("index.html"));
    assertThat(html)
        .contains("<table>")
        .contains("zero-shot-contextual.svg")
        .contains("content-free distribution");
    // Percentile bootstrap intervals of accuracy and ECE, inline beside the values of
    // every method's row of the two SST-2 settings, each [lower, upper] with lower <= upper; the
    // other metrics have none
    assertThat(r.out()).contains("bootstrap intervals of accuracy and ECE (200 resamples");
    List<String> ciRows =
        html.lines().filter(l -> l.startsWith("<tr") && l.contains("<span class=\"ci\">")).toList();
    // one per fitted row of each setting (a method can have no fit in one setting only: on a
    // small dev set the model gets all right, the scaling methods refuse)
    long fittedRows = 0;
    for (String setting : new String[] {"zero-shot", "4-shot"}) {
      fittedRows +=
          table(r.out(), setting).values().stream()
              .filter(v -> !v.startsWith("not fitted"))
              .count();
    }
    assertThat(ciRows).hasSize((int) fittedRows);
    Pattern interval =
        Pattern.compile(
            "<td[^>]*>[0-9.]+ <span class=\"ci\">\\[([0-9.]+), ([0-9.]+)\\]</span></td>");
    for (String row : ciRows) {
      Matcher m = interval.matcher(row);
      int found = 0;
      while (m.find()) {
        assertThat(Double.parseDouble(m.group(1)))
            .isLessThanOrEqualTo(Double.parseDouble(m.group(2)));
        found++;
      }
      assertThat(found).as(row).isEqualTo(2);
    }
  }

  /**
   * Without --full: SST-2 zero-shot only (and AG News when given), raw, contextual and auto, no
   * intervals and no 8-bit study; the page leads with the overlaid diagram, and the last line says
   * where the report is.
   */
  @Test
  void theDefaultIsTheHeadlineAndEndsWithWhereTheReportIs() throws IOException {
    Path out = tmp.resolve("report");
    Cli r = Cli.run("demo", "--data", sample(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, String> rows = table(r.out(), "zero-shot");
    assertThat(rows.keySet())
        .hasSize(3)
        .startsWith("raw", "contextual (N/A, \"\", [MASK])")
        .anyMatch(k -> k.startsWith("auto (dev: "));
    assertThat(r.out())
        .doesNotContain("4-shot (")
        .doesNotContain("8-bit against 32-bit")
        .doesNotContain("bootstrap intervals of accuracy and ECE (")
        .contains("--full adds SST-2 4-shot, every registered method");
    List<String> lines = r.out().lines().toList();
    Path index = out.resolve("index.html").toAbsolutePath().normalize();
    assertThat(lines.get(lines.size() - 1)).isEqualTo("report: " + index);
    String html = Files.readString(index);
    assertThat(html)
        .contains("<section id=\"zero-shot\">")
        .contains("<img src=\"zero-shot-overlay.svg\"")
        .contains("<li><b>contextual</b>: ")
        .doesNotContain("<span class=\"ci\">")
        .doesNotContain("fp32 against int8");
    java.awt.image.BufferedImage overlay =
        javax.imageio.ImageIO.read(out.resolve("zero-shot-overlay.png").toFile());
    assertThat(overlay.getWidth()).isEqualTo(ReliabilityDiagram.WIDTH);
    assertThat(overlay.getHeight()).isEqualTo(ReliabilityDiagram.PANEL_HEIGHT);
    for (String file : new String[] {"raw", "contextual", "auto"}) {
      Png.assertDiagram(out.resolve("zero-shot-" + file + ".png"));
    }
    // every image and link of the page is a file beside it (or an anchor on it)
    Matcher ref = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(html);
    int refs = 0;
    while (ref.find()) {
      assertThat(out.resolve(ref.group(1))).as(ref.group(0)).isRegularFile();
      refs++;
    }
    assertThat(refs).as("the overlay and three diagrams, each an SVG linking its PNG").isEqualTo(8);
  }

  /** A setting's printed table: method name to the rest of its row. */
  static Map<String, String> table(String out, String setting) {
    Map<String, String> rows = new LinkedHashMap<>();
    List<String> lines = out.lines().toList();
    int i = 0;
    while (!lines.get(i).startsWith(setting + " (")) {
      i++;
    }
    for (i += 2;
        i < lines.size()
            && !lines.get(i).isBlank()
            && !lines.get(i).startsWith("(")
            && !lines.get(i).startsWith("check of ");
        i++) {
      String line = lines.get(i);
      Matcher m = Pattern.compile("^(.*?\\S)\\s{2,}(\\S.*)$").matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      rows.put(m.group(1), m.group(2));
    }
    return rows;
  }

  /**
   * The auto row has the numbers of the candidate it names (cross-validated on dev, refitted on all
   * of dev: the same calibrator as that candidate's row).
   */
  static void assertAutoRowIsItsChoice(String out, String setting) {
    Map<String, String> rows = table(out, setting);
    String auto =
        rows.keySet().stream().filter(k -> k.startsWith("auto (dev: ")).findFirst().orElseThrow();
    String choice = auto.substring("auto (dev: ".length(), auto.length() - 1);
    String row =
        switch (choice) {
          case "none" -> "raw";
          case "contextual" -> "contextual (N/A, \"\", [MASK])";
          case "contextual+temperature" -> "contextual + temperature (dev)";
          default -> choice + " (dev)";
        };
    assertThat(rows).containsKey(row);
    assertThat(rows.get(auto)).as(setting + ": " + auto).isEqualTo(rows.get(row));
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
