package io.calibra.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.cli.Png;
import io.calibra.cli.output.HtmlReport;
import io.calibra.cli.output.ReliabilityDiagram;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's page on small made-up data: each setting leads with its overlaid diagram and the
 * change in words, flags the methods that made things worse, then the full table with intervals
 * inline and the best value per column marked.
 */
class DemoReportTest {
  @TempDir Path tmp;

  private static final LabelSet LABELS = LabelSet.of("negative", "positive");

  /** 200 rows, gold drawn with probability p(positive) from a seeded generator. */
  private static final int[] GOLD = new int[200];

  private static final double[] P = new double[200];

  static {
    Random random = new Random(7);
    for (int i = 0; i < GOLD.length; i++) {
      P[i] = random.nextDouble();
      GOLD[i] = random.nextDouble() < P[i] ? 1 : 0;
    }
  }

  /** The rows with p(positive) mapped by {@code f}. */
  private static LabelledSet rows(java.util.function.DoubleUnaryOperator f) {
    List<LabelDistribution> d = new ArrayList<>();
    for (double p : P) {
      double q = f.applyAsDouble(p);
      d.add(LabelDistribution.ofProbabilities(LABELS, 1 - q, q));
    }
    return LabelledSet.of(d, GOLD);
  }

  private static DemoReport.Method method(
      String name, DemoReport.Role role, LabelledSet rows, Map<String, Bootstrap.Interval> ci) {
    return new DemoReport.Method(
        name,
        role,
        "s-" + role.name().toLowerCase(Locale.ROOT),
        Metrics.evaluate(rows),
        "0.500|0.500",
        ci,
        AgainstRaw.nearZeroGold(rows),
        null);
  }

  /** A setting: raw (calibrated by construction), an overconfident contextual, auto, and more. */
  private static DemoReport.Setting setting() {
    LabelledSet raw = rows(p -> p);
    // overconfident (pushed towards 0 and 1) and shifted: rows with p in [0.3, 0.5) flip
    LabelledSet contextual = rows(p -> p < 0.3 ? p * p : 1 - (1 - p) * (1 - p));
    // a mild shrink towards 1/2
    LabelledSet auto = rows(p -> 0.5 + 0.9 * (p - 0.5));
    // (nearly) zero to the gold label on the rows where p < 0.2 and gold is positive
    LabelledSet broken = rows(p -> p < 0.2 ? 1e-9 : p);
    return new DemoReport.Setting(
        "zero-shot",
        "SST-2 zero-shot",
        "200 test rows, made up.",
        LABELS.names(),
        List.of(
            method(
                "raw",
                DemoReport.Role.RAW,
                raw,
                Map.of("accuracy", new Bootstrap.Interval(0.6875, 0.7232))),
            method(
                "contextual (N/A, \"\", [MASK])", DemoReport.Role.CONTEXTUAL, contextual, Map.of()),
            method("prototypical (test rows)", DemoReport.Role.OTHER, broken, Map.of()),
            new DemoReport.Method(
                "beta (dev)",
                DemoReport.Role.OTHER,
                null,
                null,
                null,
                Map.of(),
                0,
                "beta calibration needs exactly 2 labels"),
            method("auto (dev: vector)", DemoReport.Role.AUTO, auto, Map.of())),
        "vector",
        "zero-shot-overlay");
  }

  @Test
  void eachSettingLeadsWithTheOverlayAndTheChangeInWordsThenTheFullTable() throws Exception {
    DemoReport.Setting s = setting();
    Path page = tmp.resolve("index.html");
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      DemoReport.write(page, "demo", "note", List.of(s), List.of(), "Intervals: made up.");
    } finally {
      Locale.setDefault(before);
    }
    String html = Files.readString(page);
    assertThat(html).endsWith("</html>\n").doesNotContainPattern("\\d,\\d\\d\\d");
    String section = html.substring(html.indexOf("<section id=\"zero-shot\">"));
    // the lead comes before the table, the small multiples after it
    int lead = section.indexOf("<div class=\"lead\">");
    int table = section.indexOf("<table>");
    int multiples = section.indexOf("<div class=\"multiples\">");
    assertThat(lead).isPositive().isLessThan(table);
    assertThat(table).isLessThan(multiples);
    assertThat(section.substring(lead, table))
        .contains("<img src=\"zero-shot-overlay.svg\" width=\"560\" height=\"640\"")
        .contains("on the 200 test rows; bars: rows per confidence bin");
    // the change in words, as AgainstRaw writes it (its own test checks the wording)
    CalibrationMetrics raw = s.method(DemoReport.Role.RAW).metrics();
    CalibrationMetrics contextual = s.method(DemoReport.Role.CONTEXTUAL).metrics();
    CalibrationMetrics auto = s.method(DemoReport.Role.AUTO).metrics();
    assertThat(section.substring(lead, table))
        .contains(
            "<li><b>contextual</b>: "
                + HtmlReport.escape(AgainstRaw.change(raw, contextual))
                + "</li>")
        .contains(
            "<li><b>auto</b> (chose vector on dev): "
                + HtmlReport.escape(AgainstRaw.change(raw, auto))
                + "</li>");
    // flagged: the overconfident contextual (NLL worse), and the method giving the gold label
    // (nearly) zero probability, marked severe; the not-fitted method and raw are not flagged
    String worse = section.substring(section.indexOf("<ul class=\"worse-list\">"), table);
    int brokenRows = s.methods().get(2).nearZeroGold();
    assertThat(brokenRows).as("made-up rows with p < 0.2 and gold positive").isPositive();
    assertThat(worse)
        .contains("<li><b>contextual (N/A, &quot;&quot;, [MASK])</b>: ")
        .contains(
            "NLL " + String.format(Locale.ROOT, "%.3f -&gt; %.3f", raw.nll(), contextual.nll()))
        .containsPattern(
            "<li class=\"severe\"><b>prototypical \\(test rows\\)</b>: [^<]*gold label's"
                + " probability below 1e-6 on "
                + brokenRows
                + " of 200 rows</li>")
        .doesNotContain("<b>raw</b>")
        .doesNotContain("beta");
    assertThat(section)
        .containsPattern(
            "<tr class=\"flagged\"><td>prototypical \\(test rows\\) <span class=\"flag\""
                + " title=\"[^\"]*gold label's probability below 1e-6 on "
                + brokenRows
                + " of 200 rows\">"
                + Pattern.quote(DemoReport.SEVERE_FLAG)
                + "</span></td>")
        .contains(
            "<tr class=\"flagged\"><td>contextual (N/A, &quot;&quot;, [MASK]) <span class=\"flag\""
                + " title=\"")
        .contains("\">" + DemoReport.WORSE_FLAG + "</span></td>")
        .contains("<td colspan=\"10\" class=\"not-fitted\">not fitted: beta calibration needs");
    // the interval inline, beside its value
    assertThat(section)
        .containsPattern(
            "<tr><td>raw</td><td( class=\"best\")?>"
                + Pattern.quote(HtmlReport.value(raw.accuracy()))
                + " <span class=\"ci\">\\[0\\.6875, 0\\.7232\\]</span></td>");
    // the best per column: the highest accuracy, the lowest NLL, each in a cell marked best
    List<CalibrationMetrics> fitted =
        s.methods().stream().map(DemoReport.Method::metrics).filter(m -> m != null).toList();
    String bestAccuracy =
        HtmlReport.value(
            fitted.stream().mapToDouble(CalibrationMetrics::accuracy).max().orElseThrow());
    String bestNll =
        HtmlReport.value(fitted.stream().mapToDouble(CalibrationMetrics::nll).min().orElseThrow());
    List<String> best = new ArrayList<>();
    Matcher m = Pattern.compile("<td class=\"best\">([0-9.]+)").matcher(section);
    while (m.find()) {
      best.add(m.group(1));
    }
    assertThat(best).contains(bestAccuracy, bestNll);
    assertThat(contextual.accuracy())
        .as("made-up data: accuracies differ")
        .isNotEqualTo(raw.accuracy());
    assertThat(section)
        .doesNotContain("<td class=\"best\">" + HtmlReport.value(contextual.nll()) + "<");
    // the small multiples link each fitted method's diagram
    assertThat(section.substring(multiples))
        .contains("<img src=\"s-raw.svg\"")
        .contains("<a href=\"s-auto.png\">")
        .doesNotContain("beta");
    // at a glance: a row per setting linking its section
    assertThat(html)
        .contains("<a href=\"#zero-shot\">SST-2 zero-shot</a>")
        .contains("Intervals: made up.");
  }

  @Test
  void aSettingWhereNothingGotWorseSaysSo() throws Exception {
    LabelledSet raw = rows(p -> 0.5 + 0.5 * (p - 0.5));
    LabelledSet better = rows(p -> p);
    DemoReport.Setting s =
        new DemoReport.Setting(
            "words",
            "AG News",
            "made up",
            LABELS.names(),
            List.of(
                method("raw", DemoReport.Role.RAW, raw, Map.of()),
                method("auto (dev: platt)", DemoReport.Role.AUTO, better, Map.of())),
            "platt",
            "words-overlay");
    assertThat(AgainstRaw.worse(Metrics.evaluate(raw), Metrics.evaluate(better), 0))
        .as("the shrunk scores are worse than the calibrated ones")
        .isEmpty();
    Path page = tmp.resolve("index.html");
    DemoReport.write(page, "demo", "note", List.of(s), List.of(), null);
    assertThat(Files.readString(page))
        .contains("No method made things worse than raw.")
        .contains("ECE up by 0.01 or more")
        .doesNotContain("class=\"flagged\"");
  }

  /**
   * The overlaid diagram: one 560 x 640 panel, each series' colour on the chart (its markers) and
   * in the histogram under it (its bars).
   */
  @Test
  void theOverlayDrawsEverySeriesAndItsBinCounts() throws Exception {
    List<Color> colours = List.of(new Color(0x555555), new Color(0xe69f00), new Color(0x0072b2));
    DemoReport.Setting s = setting();
    List<ReliabilityDiagram.Series> series = new ArrayList<>();
    int i = 0;
    for (DemoReport.Role role :
        List.of(DemoReport.Role.RAW, DemoReport.Role.CONTEXTUAL, DemoReport.Role.AUTO)) {
      series.add(
          new ReliabilityDiagram.Series(role.name(), s.method(role).metrics(), colours.get(i++)));
    }
    ReliabilityDiagram.writeOverlay(series, "SST-2 zero-shot", tmp, "overlay");
    BufferedImage image = ImageIO.read(tmp.resolve("overlay.png").toFile());
    assertThat(image.getWidth()).isEqualTo(560);
    assertThat(image.getHeight()).isEqualTo(640);
    for (Color c : colours) {
      int rgb = c.getRGB() & 0xffffff;
      assertThat(Png.count(image, 0, 0, 560, 480, rgb)).as("curve %06x", rgb).isGreaterThan(50);
      assertThat(Png.count(image, 0, 480, 560, 160, rgb)).as("bars %06x", rgb).isGreaterThan(50);
    }
    assertThat(Files.readString(tmp.resolve("overlay.svg"))).contains("<svg");
  }
}
