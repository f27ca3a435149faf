package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's fp32 against int8 study, on the built-in SST-2 sample and a made-up AG News file in
 * the AG News layout, so that it runs without ../shared.
 */
class DemoQuantizationStudyTest {
  @TempDir Path tmp;

  /** Made-up headlines in AG News's CSV layout (quotes, commas, the " #39;s" escape). */
  private Path agNews() throws IOException {
    String[][] topics = {
      {"Leaders meet for peace talks", "Ministers from both nations agreed a ceasefire on Monday."},
      {
        "Striker scores twice in cup final",
        "The home side won 3-1, and the fans' celebrations lasted all night."
      },
      {
        "Shares fall as oil prices climb",
        "Stocks slid for a third day while investors weighed the central bank #39;s outlook."
      },
      {
        "New chip doubles battery life",
        "Engineers say the processor uses half the power of last year #39;s model."
      },
    };
    StringBuilder sb = new StringBuilder("Class Index,Title,Description\n");
    for (int i = 0; i < 24; i++) {
      int c = i % 4;
      sb.append(c + 1)
          .append(",\"")
          .append(topics[c][0])
          .append(i >= 4 ? ", part " + i : "")
          .append("\",\"")
          .append(topics[c][1])
          .append("\"\n");
    }
    Path file = tmp.resolve("agnews.csv");
    Files.writeString(file, sb.toString());
    return file;
  }

  private static String sample(Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("sample"));
    DemoData d = DemoData.builtIn();
    for (String name : new String[] {"train", "dev", "test"}) {
      DemoData.Split split =
          name.equals("train") ? d.train() : name.equals("dev") ? d.dev() : d.test();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < split.size(); i++) {
        sb.append(split.gold()[i]).append(' ').append(split.texts().get(i)).append('\n');
      }
      Files.writeString(dir.resolve(name + ".txt"), sb.toString());
    }
    return dir.toString();
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

  @Test
  void studyPrintsAndReportsFp32AndInt8SideBySide() throws IOException {
    Path out = tmp.resolve("report");
    Path ag = agNews();
    Cli r =
        Cli.run(
            "demo",
            "--full",
            "--data",
            sample(tmp),
            "--agnews",
            ag.toString(),
            "--agnews-rows",
            "0",
            "--output",
            out.toString());
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
      Map<String, String> rows = DemoCommandTest.table(text, setting);
      // contextual calibration maps the content-free distribution to uniform
      assertThat(rows.get("contextual (N/A, \"\", [MASK])")).endsWith("0.250|0.250|0.250|0.250");
      assertThat(rows.get("raw")).doesNotEndWith("0.250|0.250|0.250|0.250");
      DemoCommandTest.assertAutoRowIsItsChoice(text, setting);
    }
    // the study's fp32 raw AG News row is the demo table's raw row (the same scores)
    String[] raw = DemoCommandTest.table(text, "agnews-descriptions").get("raw").split("\\s+");
    String agStudy = text.substring(text.indexOf("AG News zero-shot, fp32 against int8"));
    assertThat(agStudy)
        .containsPattern("(?m)^raw\\s+" + raw[0] + "\\s+" + raw[2] + "\\s+" + raw[4] + "\\s");

    DemoData d = DemoData.builtIn();
    String zeroShotStudy = text.substring(text.indexOf("SST-2 zero-shot, fp32 against int8"));
    assertThat(zeroShotStudy)
        .contains(expectedRawLine(d.test().texts(), d.test().gold(), DemoCommand.LABELS));

    String html = Files.readString(out.resolve("index.html"));
    assertThat(html)
        .contains("<h2>SST-2 zero-shot: fp32 against int8</h2>")
        .contains("<h2>SST-2 4-shot: fp32 against int8</h2>")
        .contains("<h2>AG News zero-shot: fp32 against int8</h2>")
        .contains("<h2>AG News zero-shot, label descriptions</h2>")
        .contains("<h2>AG News zero-shot, label words</h2>")
        .contains("science = &quot;Technology&quot;")
        .contains("<th>int8 ECE</th>");
  }

  @Test
  void badAgNewsFilesFailBeforeAnyModelLoadsNamingLineAndColumn() throws IOException {
    Path out = tmp.resolve("report");
    Path badClass = tmp.resolve("bad-class.csv");
    Files.writeString(badClass, "Class Index,Title,Description\n1,a,b\n7,\"x, y\",z\n");
    Cli r =
        Cli.run(
            "demo",
            "--data",
            sample(tmp),
            "--agnews",
            badClass.toString(),
            "--output",
            out.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains(badClass + ":3:1").contains("class index '7'");
    assertThat(r.out()).doesNotContain("zero-shot (");

    Path badHeader = tmp.resolve("bad-header.csv");
    Files.writeString(badHeader, "label,text\n1,a\n");
    Cli h = Cli.run("demo", "--agnews", badHeader.toString(), "--output", out.toString());
    assertThat(h.code()).isEqualTo(3);
    assertThat(h.err())
        .contains(badHeader + ":1:1")
        .contains("expected Class Index,Title,Description");

    Cli rows = Cli.run("demo", "--agnews-rows", "3", "--output", out.toString());
    assertThat(rows.code()).isEqualTo(2);
    assertThat(rows.err()).contains("--agnews-rows is 3; expected 0 (all) or at least 4");

    Cli missing =
        Cli.run("demo", "--agnews", tmp.resolve("none.csv").toString(), "--output", out.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("none.csv is not a file");
  }

  @Test
  void agNewsTextsAreCleanedAsTheReferenceCodeDoes() {
    // hand computed from the replacements in ../shared/data/README.md
    assertThat(AgNews.clean("the bank #39;s view, quot;calm quot; \\ today"))
        .isEqualTo("the bank's view,\"calm\"   today");
  }
}
