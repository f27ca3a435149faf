package io.calibra.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.cli.Png;
import io.calibra.cli.output.ReliabilityDiagram;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on the built-in sample written as an SST-2 folder and a made-up AG News file: the full
 * study (every method, intervals, the fp32 against int8 study) from one run shared by the tests
 * that read it, the headline by default, and where the data come from.
 */
class DemoCommandTest {
  @TempDir static Path tmp;

  /** The SST-2 settings and the AG News ones, in the order the full run prints them. */
  private static final List<String> FULL_SETTINGS =
      List.of("zero-shot", "4-shot", "agnews-descriptions", "agnews-words");

  private static Path sample;
  private static Path fullReport;
  private static DemoRun full;

  @BeforeAll
  static void runTheFullStudyOnce() throws IOException {
    sample = DemoRun.writeSample(tmp.resolve("data/sst2"));
    Path agNews = DemoRun.writeAgNews(tmp.resolve("agnews.csv"));
    fullReport = tmp.resolve("full");
    full =
        DemoRun.of(
            "demo",
            "--full",
            "--sst2",
            sample.toString(),
            "--agnews",
            agNews.toString(),
            "--agnews-rows",
            "0",
            "--output",
            fullReport.toString());
  }

  @Test
  void fullRunsEveryMethodOnEverySettingAndWritesTheReport() throws IOException {
    DemoRun r = full;
    assertThat(r.code()).as(r.err()).isZero();
    // The rows come from the method registry (every method an encoder's scores
    // can be fitted with), then contextual + temperature and auto.
    for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
      switch (m.fitsOn()) {
        case CONTENT_FREE_ROWS, UNLABELLED_ROWS, LABELLED_ROWS ->
            assertThat(r.out()).containsPattern("(?m)^" + Pattern.quote(m.methodName()) + " \\(");
        default -> assertThat(r.out()).doesNotContainPattern("(?m)^" + m.methodName() + " ");
      }
    }
    assertThat(r.out()).containsPattern("\\(not fitted here: .*leave-one-out, generative");
    for (String setting : FULL_SETTINGS) {
      assertAutoRowIsItsChoice(r.out(), setting);
      // every fitted row has its diagram, as PNG and SVG
      for (Map.Entry<String, String> row : table(r.out(), setting).entrySet()) {
        if (row.getValue().startsWith("not fitted")) {
          continue;
        }
        String file = setting + "-" + diagramName(row.getKey());
        Png.assertDiagram(fullReport.resolve(file + ".png"));
        assertThat(Files.readString(fullReport.resolve(file + ".svg"))).contains("<svg");
      }
    }
    assertThat(r.out()).contains("report: ");
    // Each setting checks contextual calibration on its dev rows, and every
    // check that got worse is a warning on standard error.
    assertThat(r.out().split("check of contextual calibration, contextual on ", -1))
        .hasSize(FULL_SETTINGS.size() + 1);
    long worse = r.out().lines().filter(l -> l.contains("; worse: consider leaving")).count();
    long warnings =
        r.err().lines().filter(l -> l.contains("calibration made the dev set worse")).count();
    assertThat(warnings).isEqualTo(worse);
    String html = Files.readString(fullReport.resolve("index.html"));
    assertThat(html)
        .contains("<table>")
        .contains("zero-shot-contextual.svg")
        .contains("content-free distribution");
    // Percentile bootstrap intervals of accuracy and ECE, inline beside the values of
    // every fitted method's row of every setting, each [lower, upper] with lower <= upper; the
    // other metrics have none
    assertThat(r.out()).contains("bootstrap intervals of accuracy and ECE (200 resamples");
    List<String> ciRows =
        html.lines().filter(l -> l.startsWith("<tr") && l.contains("<span class=\"ci\">")).toList();
    // a method can have no fit in one setting only: on a small dev set the model gets all right,
    // the scaling methods refuse
    long fittedRows = 0;
    for (String setting : FULL_SETTINGS) {
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

  @Test
  void studyPrintsAndReportsFp32AndInt8SideBySide() throws IOException {
    DemoRun r = full;
    assertThat(r.code()).as(r.err()).isZero();
    String text = r.out();
    assertThat(text)
        .contains("8-bit against 32-bit")
        .contains("SST-2 zero-shot, fp32 against int8: 28 test rows, 12 dev rows")
        .contains("SST-2 4-shot, fp32 against int8: 28 test rows, 12 dev rows")
        .contains("AG News zero-shot, fp32 against int8: 12 test rows, 12 dev rows")
        .contains("content-free p_cf (negative|positive): fp32 ")
        .contains("content-free p_cf (world|sports|business|science): fp32 ");
    for (String method : new String[] {"contextual", "temperature (dev)", "auto (dev)"}) {
      assertThat(text.lines().filter(l -> l.startsWith(method + " ")).count())
          .as(method)
          .isGreaterThanOrEqualTo(3);
    }
    assertThat(text.lines().filter(l -> l.startsWith("auto picked: fp32 ")).count()).isEqualTo(3);

    // AG News has its own tables in the demo, with a sentence and with a label
    // word per topic, scored once and reused by the study.
    assertThat(text)
        .contains(
            "agnews-descriptions (classpath:all-minilm-l6-v2.onnx): 12 test rows, 12 dev rows")
        .contains("agnews-words (classpath:all-minilm-l6-v2.onnx): 12 test rows, 12 dev rows");
    for (String setting : new String[] {"agnews-descriptions", "agnews-words"}) {
      Map<String, String> rows = table(text, setting);
      // contextual calibration maps the content-free distribution to uniform
      assertThat(rows.get("contextual (N/A, \"\", [MASK])")).endsWith("0.250|0.250|0.250|0.250");
      assertThat(rows.get("raw")).doesNotEndWith("0.250|0.250|0.250|0.250");
    }
    // the study's fp32 raw AG News row is the demo table's raw row (the same scores)
    String[] raw = table(text, "agnews-descriptions").get("raw").split("\\s+");
    String agStudy = text.substring(text.indexOf("AG News zero-shot, fp32 against int8"));
    assertThat(agStudy)
        .containsPattern("(?m)^raw\\s+" + raw[0] + "\\s+" + raw[2] + "\\s+" + raw[4] + "\\s");

    DemoData d = DemoData.builtIn();
    String zeroShotStudy = text.substring(text.indexOf("SST-2 zero-shot, fp32 against int8"));
    assertThat(zeroShotStudy)
        .contains(expectedRawLine(d.test().texts(), d.test().gold(), DemoCommand.LABELS));

    String html = Files.readString(fullReport.resolve("index.html"));
    assertThat(html)
        .contains("<h2>SST-2 zero-shot: fp32 against int8</h2>")
        .contains("<h2>SST-2 4-shot: fp32 against int8</h2>")
        .contains("<h2>AG News zero-shot: fp32 against int8</h2>")
        .contains("<h2>AG News zero-shot, label descriptions</h2>")
        .contains("<h2>AG News zero-shot, label words</h2>")
        .contains("science = &quot;Technology&quot;")
        .contains("<th>int8 ECE</th>");
  }

  /**
   * Without --full: SST-2 zero-shot only (and AG News when there is some), raw, contextual and
   * auto, no intervals and no 8-bit study; the page leads with the overlaid diagram, and the last
   * line says where the report is. Without --sst2 the data come from the folder named by
   * calibra.data (what ./calibra passes: the project's shared data), here one with SST-2 only.
   */
  @Test
  void theDefaultIsTheHeadlineOnTheDataFolderAndEndsWithWhereTheReportIs() throws IOException {
    Path out = tmp.resolve("report");
    DemoRun r;
    System.setProperty(DemoInputs.DATA_PROPERTY, sample.getParent().toString());
    try {
      r = DemoRun.of("demo", "--output", out.toString());
    } finally {
      System.clearProperty(DemoInputs.DATA_PROPERTY);
    }
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("SST-2 from " + sample.toAbsolutePath().normalize())
        .contains("(no AG News data: give --agnews <file>");
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

  /**
   * Data locations are checked before any model loads (exit 2, one line); --data, the old name of
   * --sst2, still works with a note (named in an error, which names --sst2), but not together with
   * --sst2.
   */
  @Test
  void dataLocationsThatAreNotThereAreUsageErrors() {
    Path out = tmp.resolve("unused");
    String missing = tmp.resolve("missing").toString();
    DemoRun sst2 = DemoRun.of("demo", "--sst2", missing, "--output", out.toString());
    assertThat(sst2.code()).isEqualTo(2);
    assertThat(sst2.err().strip())
        .isEqualTo("calibra: --sst2 " + missing + " is not a folder (see calibra demo --help)");
    DemoRun old = DemoRun.of("demo", "--data", missing, "--output", out.toString());
    assertThat(old.code()).isEqualTo(2);
    assertThat(old.err().lines())
        .containsExactly(
            "calibra: --sst2 "
                + missing
                + " is not a folder; --data is the old name of --sst2 (see calibra demo --help)");
    DemoRun both = DemoRun.of("demo", "--data", sample.toString(), "--sst2", sample.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("option '--sst2' (<folder>) should be specified only once");
    assertThat(out).doesNotExist();
  }

  /** The option values the demo cannot run with are refused by their converters (exit 2). */
  @Test
  void badOptionValuesAreOneLineUsageErrors() {
    for (String[] args :
        new String[][] {
          {"--shots", "0", "--shots is 0; expected at least 1"},
          {"--agnews-rows", "3", "--agnews-rows is 3; expected 0 (all) or at least 4"},
          {"--agnews-rows", "-1", "--agnews-rows is -1; expected 0 (all) or at least 4"},
          {"--model", "gpt", "--model is gpt; expected embedded-minilm or embedded-minilm-int8"},
        }) {
      DemoRun r = DemoRun.of("demo", args[0], args[1]);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("calibra: " + args[2] + " (see calibra demo --help)");
    }
  }

  /** The help fits a screen and names what to give, not Java fields. */
  @Test
  void helpIsShortAndNamesWhatToGive() {
    DemoRun help = DemoRun.of("demo", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out().lines().count()).isLessThanOrEqualTo(60);
    assertThat(help.out())
        .contains("--sst2=<folder>", "--agnews=<file>", "--output=<folder>", "--model=<model>")
        .contains("embedded-minilm, embedded-minilm-int8", "(default: embedded-minilm)")
        .contains("Input:", "Output:", "Model:", "Method:")
        .doesNotContain("--data");
  }

  /** The diagram's file name of a table row: the method's name before its parenthesis. */
  private static String diagramName(String row) {
    if (row.startsWith("auto (dev: ")) {
      return "auto";
    }
    if (row.equals("contextual + temperature (dev)")) {
      return "contextual-temperature";
    }
    int paren = row.indexOf(" (");
    return paren < 0 ? row : row.substring(0, paren);
  }

  /** The raw row of the study, recomputed with the library: fp32 batched, int8 (row by row). */
  private static String expectedRawLine(List<String> texts, int[] gold, LabelSet labels) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s ", "raw"));
    for (ModelSource source :
        List.of(ModelSource.embeddedMiniLm(), ModelSource.embeddedMiniLmInt8())) {
      // fp32 at the demo's batch size; int8 at another one, which must not matter
      int batch = source.equals(ModelSource.embeddedMiniLm()) ? 16 : 7;
      try (Scorer s = OnnxScorers.encoder(source).batchSize(batch).build()) {
        List<LabelDistribution> d = new ArrayList<>();
        for (LabelScores x : s.scoreAll(texts, labels)) {
          d.add(x.toDistribution());
        }
        CalibrationMetrics m = Metrics.evaluate(LabelledSet.of(d, gold));
        line.append(
            String.format(Locale.ROOT, " %8.4f %7.4f %7.4f  ", m.accuracy(), m.ece(), m.nll()));
      }
    }
    return line.toString().stripTrailing();
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
}
