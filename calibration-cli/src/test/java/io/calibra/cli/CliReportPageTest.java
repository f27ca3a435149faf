package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.cli.output.ReliabilityDiagram;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * {@code calibra report} with several inputs draws one reliability diagram per input on one page,
 * each with the histogram of its bin counts under it; the PNG is decoded and checked panel by
 * panel, the SVG parsed, the HTML's rows checked against {@code calibra metrics}.
 */
class CliReportPageTest {
  @TempDir Path tmp;
  private TestDir dir;

  @BeforeEach
  void dir() {
    dir = new TestDir(tmp);
  }

  private static List<String> rowNames(String html) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("<tr><td>([^<]*)</td>").matcher(html);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static String accuracy(Path file) throws IOException {
    return metric(file, "prob", "accuracy");
  }

  /** A metric of {@code calibra metrics --json}, as the page prints it. */
  private static String metric(Path file, String scores, String key) throws IOException {
    Cli r = Cli.run("metrics", "--input", file, "--scores", scores, "--json").ok();
    JsonNode m = new ObjectMapper().readTree(r.out());
    return String.format("%.4f", m.get(key).asDouble());
  }

  /** The page's row named {@code name}. */
  private static String row(String html, String name) {
    String from = html.substring(html.indexOf("<tr><td>" + name + "</td>"));
    return from.substring(0, from.indexOf("</tr>"));
  }

  @Test
  void rawLogitsAndCalibratedProbabilitiesEachWithTheirOwnScores() throws Exception {
    StringBuilder sb = new StringBuilder("id,gold,negative,positive\n");
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 200; i++) {
      double z = random.nextGaussian() * 3;
      boolean positive = random.nextDouble() < 1 / (1 + Math.exp(-z / 3));
      sb.append(
          String.format(Locale.ROOT, "r%d,%s,0,%s%n", i, positive ? "positive" : "negative", z));
    }
    Path raw = dir.write("raw.csv", sb.toString());
    Path model = tmp.resolve("t.json");
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "logit",
            "--input",
            raw,
            "--output",
            model)
        .ok();
    Path calibrated = tmp.resolve("calibrated.csv");
    Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--scores",
            "logit",
            "--input",
            raw,
            "--output",
            calibrated)
        .ok();
    Path out = tmp.resolve("report");
    Cli.run(
            "report",
            "--input",
            raw,
            "--scores",
            "logit",
            "--name",
            "raw",
            "--input",
            calibrated,
            "--scores",
            "prob",
            "--name",
            "temperature",
            "--output",
            out)
        .ok();
    Png.assertReport(out.resolve("reliability.png"), 2);
    String html = Files.readString(out.resolve("index.html"));
    assertThat(row(html, "raw")).contains(metric(raw, "logit", "ece"));
    assertThat(row(html, "temperature")).contains(metric(calibrated, "prob", "ece"));
    assertThat(metric(raw, "logit", "ece")).isNotEqualTo(metric(calibrated, "prob", "ece"));

    Cli.run(
            "report",
            "--input",
            raw,
            "--input",
            calibrated,
            "--input",
            raw,
            "--name",
            "a",
            "--name",
            "b",
            "--name",
            "c",
            "--scores",
            "logit",
            "--scores",
            "prob",
            "--output",
            tmp.resolve("other"))
        .exits(2, "give one --scores for every --input, or one per --input in the same order")
        .oneLine();
  }

  @Test
  void rawAndCalibratedOnOnePageWithTheirNames() throws Exception {
    Path raw = dir.randomScores("raw.csv", 300, 1);
    Path model = tmp.resolve("t.json");
    Cli.run("fit", "--method", "temperature", "--scores", "prob", "--input", raw, "--output", model)
        .ok();
    Path calibrated = tmp.resolve("calibrated.csv");
    Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--scores",
            "prob",
            "--input",
            raw,
            "--output",
            calibrated)
        .ok();
    Path out = tmp.resolve("report");
    Cli.run(
            "report",
            "--input",
            raw,
            "--name",
            "raw",
            "--input",
            calibrated,
            "--name",
            "temperature <T>",
            "--scores",
            "prob",
            "--output",
            out)
        .ok();
    assertThat(TestDir.names(out))
        .containsExactly("index.html", "reliability.png", "reliability.svg");
    Png.assertReport(out.resolve("reliability.png"), 2);

    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    // the SVG names the W3C DTD: parse offline
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Element svg =
        xml.newDocumentBuilder()
            .parse(out.resolve("reliability.svg").toFile())
            .getDocumentElement();
    assertThat(svg.getTagName()).isEqualTo("svg");
    assertThat(svg.getAttribute("viewBox")).isEqualTo("0 0 1120 640");

    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).endsWith("</html>\n");
    assertThat(html).contains("<title>Calibration report: raw, temperature &lt;T&gt;</title>");
    // one metrics row per input, in order, named, with that file's own metrics
    assertThat(rowNames(html)).containsExactly("raw", "temperature &lt;T&gt;");
    assertThat(row(html, "raw")).contains(accuracy(raw));
    assertThat(row(html, "temperature &lt;T&gt;")).contains(accuracy(calibrated));
    // one image: the page of both diagrams, at its size
    assertThat(html.split("<img ", -1)).hasSize(2);
    assertThat(html).contains("src=\"reliability.svg\" width=\"1120\" height=\"640\"");
  }

  @Test
  void fourInputsWrapOntoASecondRowAndDefaultToTheirFileNames() throws Exception {
    List<Object> args = new ArrayList<>(List.of("report", "--scores", "prob"));
    for (int i = 0; i < 4; i++) {
      args.add("--input");
      args.add(dir.randomScores("s" + i + ".csv", 100 + 50 * i, i));
    }
    Path out = tmp.resolve("report");
    args.addAll(List.of("--output", out, "--bootstrap", "20", "--seed", "3"));
    Cli.run(args).ok();
    Png.assertReport(out.resolve("reliability.png"), 4);
    String html = Files.readString(out.resolve("index.html"));
    assertThat(rowNames(html)).containsExactly("s0.csv", "s1.csv", "s2.csv", "s3.csv");
    // every value of every input's row with its interval beside it
    List<String> rows = html.lines().filter(l -> l.startsWith("<tr><td>s")).toList();
    assertThat(rows).as("a row per input").hasSize(4);
    for (String row : rows) {
      assertThat(row.split("<span class=\"ci\">\\[", -1))
          .as("an interval per metric: %s", row)
          .hasSize(1 + 8);
    }
    assertThat(html).contains("width=\"1680\" height=\"1280\"");
  }

  /** Numbers are written with a point whatever the default locale, and the best is marked. */
  @Test
  void numbersUseAPointInEveryLocaleAndTheBestValueIsMarked() throws Exception {
    Path a = dir.randomScores("a.csv", 200, 1);
    Path b = dir.randomScores("b.csv", 200, 2);
    Path out = tmp.resolve("report");
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      Cli.run("report", "--input", a, "--input", b, "--scores", "prob", "--output", out).ok();
    } finally {
      Locale.setDefault(before);
    }
    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).doesNotContainPattern("\\d,\\d{4}");
    String accuracyA = metric(a, "prob", "accuracy").replace(',', '.');
    String accuracyB = metric(b, "prob", "accuracy").replace(',', '.');
    String best = Double.parseDouble(accuracyA) >= Double.parseDouble(accuracyB) ? "a" : "b";
    String bestValue = best.equals("a") ? accuracyA : accuracyB;
    assertThat(row(html, best + ".csv")).contains("<td class=\"best\">" + bestValue + "</td>");
    String other = best.equals("a") ? "b" : "a";
    if (!accuracyA.equals(accuracyB)) {
      assertThat(row(html, other + ".csv"))
          .doesNotContain("<td class=\"best\">" + (best.equals("a") ? accuracyB : accuracyA));
    }
  }

  @Test
  void oneInputIsOnePanel() throws Exception {
    Path out = tmp.resolve("report");
    Cli.run(
            "report",
            "--input",
            dir.randomScores("only.csv", 200, 5),
            "--scores",
            "prob",
            "--output",
            out)
        .ok();
    Png.assertReport(out.resolve("reliability.png"), 1);
    assertThat(Files.readString(out.resolve("index.html")))
        .contains("<title>Calibration report: only.csv</title>");
  }

  /**
   * The histogram draws the bin counts: with every row's confidence in the last of 10 bins, the
   * bars are all in the right tenth of the confidence axis and none in the left half.
   */
  @Test
  void theHistogramShowsWhereTheRowsAre() throws Exception {
    StringBuilder sb = new StringBuilder("gold,negative,positive\n");
    for (int i = 0; i < 100; i++) {
      double p = 0.91 + 0.0008 * i;
      sb.append(i % 10 == 0 ? "negative" : "positive")
          .append(String.format(Locale.ROOT, ",%s,%s%n", 1 - p, p));
    }
    Path file = dir.write("confident.csv", sb.toString());
    Path out = tmp.resolve("report");
    Cli.run("report", "--input", file, "--scores", "prob", "--bins", "10", "--output", out).ok();
    BufferedImage image = Png.assertReport(out.resolve("reliability.png"), 1);
    int bars = ReliabilityDiagram.BARS.getRGB() & 0xffffff;
    assertThat(Png.count(image, 0, 480, 280, 160, bars)).as("bars in the left half").isZero();
    assertThat(Png.count(image, 420, 480, 140, 160, bars)).as("bars on the right").isPositive();
  }

  @Test
  void badNamesAndMismatchedInputsAreRefused() throws Exception {
    Path a = dir.randomScores("a.csv", 50, 1);
    Path b = dir.randomScores("b.csv", 50, 2);
    Path out = tmp.resolve("report");
    Cli.run(
            "report",
            "--input",
            a,
            "--input",
            b,
            "--name",
            "x",
            "--scores",
            "prob",
            "--output",
            out)
        .exits(2, "give one --name per --input, in the same order; found 2 --input and 1 --name")
        .oneLine();
    Cli.run(
            "report",
            "--input",
            a,
            "--name",
            "x",
            "--input",
            b,
            "--name",
            "x",
            "--scores",
            "prob",
            "--output",
            out)
        .exits(2, "two inputs are both named 'x'")
        .oneLine();
    Cli.run("report", "--input", a, "--name", " ", "--scores", "prob", "--output", out)
        .exits(2, "--name is empty")
        .oneLine();
    Path other = Files.createDirectories(tmp.resolve("other")).resolve("a.csv");
    Files.copy(a, other);
    // the same file name in two folders: the paths tell them apart
    Cli.run("report", "--input", a, "--input", other, "--scores", "prob", "--output", out).ok();
    assertThat(rowNames(Files.readString(out.resolve("index.html"))))
        .containsExactly(a.toString(), other.toString());
    Path threeLabels = dir.write("three.csv", "gold,x,y,z\nx,0.5,0.3,0.2\ny,0.2,0.5,0.3\n");
    Path fresh = tmp.resolve("fresh");
    Cli.run("report", "--input", a, "--input", threeLabels, "--scores", "prob", "--output", fresh)
        .exits(3, "three.csv", "has the labels [x, y, z]; expected the labels of the first --input")
        .noStackTrace();
    assertThat(fresh).doesNotExist();
  }

  @Test
  void anInputInsideTheOutputFolderIsNeverOverwritten() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("report"));
    Path page = Files.copy(dir.randomScores("s.csv", 50, 1), out.resolve("index.html"));
    byte[] before = Files.readAllBytes(page);
    Cli.run(
            "report",
            "--input",
            dir.randomScores("t.csv", 50, 2),
            "--input",
            page,
            "--scores",
            "prob",
            "--output",
            out)
        .exits(2, "is the same file as --input")
        .oneLine();
    assertThat(Files.readAllBytes(page)).isEqualTo(before);
  }
}
