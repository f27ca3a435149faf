package io.calibra.cli.demo;

import io.calibra.cli.output.HtmlReport;
import io.calibra.cli.output.ReliabilityDiagram;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's HTML page. At the top, the headline of every setting in one table (raw, contextual and
 * auto); then per setting a lead: one reliability diagram with raw, contextual and auto overlaid
 * and their rows per confidence bin, the change each made in words, and every method that made
 * accuracy, ECE or NLL worse than raw or gave the gold label a (nearly) zero probability, flagged;
 * then the table of all its methods (intervals inline, the best value per column marked) and each
 * method's diagram as small multiples. Further tables (the 8-bit study) close the page.
 */
final class DemoReport {
  /** What a method is in the lead. */
  enum Role {
    RAW,
    CONTEXTUAL,
    AUTO,
    OTHER
  }

  /**
   * One method's results in a setting.
   *
   * @param name the method as the table names it
   * @param role its part in the lead
   * @param diagram the base name of its diagram's files beside the page, or null for none
   * @param metrics its test metrics; null when it was not fitted
   * @param contentFree its content-free distribution as text
   * @param intervals bootstrap intervals by metric key; empty for none
   * @param nearZeroGold test rows where it gives the gold label a probability below {@link
   *     AgainstRaw#NEAR_ZERO}
   * @param notFitted why it was not fitted, when {@code metrics} is null
   */
  record Method(
      String name,
      Role role,
      String diagram,
      CalibrationMetrics metrics,
      String contentFree,
      Map<String, Bootstrap.Interval> intervals,
      int nearZeroGold,
      String notFitted) {}

  /**
   * One setting (task and classifier).
   *
   * @param id its anchor on the page and the prefix of its files
   * @param heading its heading
   * @param note what the data and labels are
   * @param labels the label names, in order
   * @param methods its methods in table order; exactly one {@link Role#RAW}, at most one {@link
   *     Role#CONTEXTUAL} and one {@link Role#AUTO}
   * @param autoChoice what auto chose, or null without auto
   * @param overlay the base name of the overlaid diagram's files beside the page
   */
  record Setting(
      String id,
      String heading,
      String note,
      List<String> labels,
      List<Method> methods,
      String autoChoice,
      String overlay) {

    /** The method in role {@code role}, or null. */
    Method method(Role role) {
      return methods.stream().filter(m -> m.role() == role).findFirst().orElse(null);
    }
  }

  /** The table's flag of a method that made something worse than raw (the lead says what). */
  static final String WORSE_FLAG = "worse than raw";

  /** The flag of one that also gives the gold label a (nearly) zero probability on some rows. */
  static final String SEVERE_FLAG = "worse than raw; gold label ≈ 0 on some rows";

  /** What the page calls worse than raw ({@link AgainstRaw#worse}). */
  private static final String WORSE_MEANS =
      String.format(
          Locale.ROOT,
          "<p class=\"rule\">Worse: a higher NLL, accuracy down by %.0f point or more, ECE up by"
              + " %.2f or more (smaller changes are within their sampling noise), or the gold label"
              + " given a probability below %s.</p>\n",
          AgainstRaw.ACCURACY_TOLERANCE,
          AgainstRaw.ECE_TOLERANCE,
          AgainstRaw.NEAR_ZERO_TEXT);

  /** The page's own style, after {@link HtmlReport#STYLE}. */
  private static final String STYLE =
      "section{border-top:2px solid #ddd;margin-top:2em}"
          + ".lead{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start}"
          + ".lead figure img{max-width:100%;height:auto}"
          + ".words{flex:1;min-width:320px;max-width:60em}.words li{margin:.3em 0}"
          + ".worse-list li{color:#b3261e}.worse-list li.severe{font-weight:bold}"
          + ".fine{color:#1e6b34}.rule{font-size:.85em;color:#555}"
          + ".multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));"
          + "gap:.8em}.multiples figure{text-align:center}.multiples img{width:280px;height:240px}"
          + "nav a{margin-right:1em}";

  private DemoReport() {}

  /** Writes the page to {@code file}, atomically. */
  static void write(
      Path file,
      String title,
      String note,
      List<Setting> settings,
      List<HtmlReport.Table> tables,
      String footnote) {
    StringBuilder h = new StringBuilder();
    HtmlReport.head(h, title, STYLE);
    h.append("<p>").append(HtmlReport.escape(note)).append("</p>\n");
    glance(h, settings);
    for (Setting s : settings) {
      setting(h, s);
    }
    for (HtmlReport.Table t : tables) {
      HtmlReport.table(h, t);
    }
    if (footnote != null && !footnote.isEmpty()) {
      h.append("<p class=\"footnote\">").append(HtmlReport.escape(footnote)).append("</p>\n");
    }
    HtmlReport.writePage(file, h);
  }

  /** One row per setting: raw, contextual and auto as accuracy / ECE / NLL, linking each lead. */
  private static void glance(StringBuilder h, List<Setting> settings) {
    h.append("<h2 id=\"glance\">At a glance</h2>\n")
        .append("<p>Test rows; accuracy / ECE / NLL (for ECE and NLL lower is better).</p>\n")
        .append("<table class=\"glance\">\n<tr><th>setting</th><th>raw</th><th>contextual</th>")
        .append("<th>auto (its choice on dev)</th></tr>\n");
    for (Setting s : settings) {
      h.append("<tr><td><a href=\"#")
          .append(HtmlReport.escape(s.id()))
          .append("\">")
          .append(HtmlReport.escape(s.heading()))
          .append("</a></td>");
      for (Role role : List.of(Role.RAW, Role.CONTEXTUAL, Role.AUTO)) {
        Method m = s.method(role);
        h.append("<td>");
        if (m != null && m.metrics() != null) {
          CalibrationMetrics x = m.metrics();
          h.append(
              String.format(Locale.ROOT, "%.4f / %.4f / %.4f", x.accuracy(), x.ece(), x.nll()));
          if (role == Role.AUTO && s.autoChoice() != null) {
            h.append(" (").append(HtmlReport.escape(s.autoChoice())).append(')');
          }
        }
        h.append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void setting(StringBuilder h, Setting s) {
    String id = HtmlReport.escape(s.id());
    h.append("<section id=\"").append(id).append("\">\n<h2>");
    h.append(HtmlReport.escape(s.heading())).append("</h2>\n");
    h.append("<p>").append(HtmlReport.escape(s.note())).append("</p>\n");
    Method raw = s.method(Role.RAW);
    h.append("<div class=\"lead\">\n<figure><a href=\"")
        .append(HtmlReport.escape(s.overlay()))
        .append(".png\"><img src=\"")
        .append(HtmlReport.escape(s.overlay()))
        .append(".svg\" width=\"")
        .append(ReliabilityDiagram.WIDTH)
        .append("\" height=\"")
        .append(ReliabilityDiagram.PANEL_HEIGHT)
        .append("\" alt=\"reliability diagram of raw, contextual and auto: ")
        .append(HtmlReport.escape(s.heading()))
        .append("\"></a><figcaption>Raw, contextual and auto on the ")
        .append(raw.metrics().rows())
        .append(" test rows; bars: rows per confidence bin.</figcaption></figure>\n");
    h.append("<div class=\"words\">\n<h3>What calibration changed</h3>\n<ul class=\"changes\">\n");
    for (Role role : List.of(Role.CONTEXTUAL, Role.AUTO)) {
      Method m = s.method(role);
      if (m == null) {
        continue;
      }
      h.append("<li><b>").append(role == Role.AUTO ? "auto" : "contextual").append("</b>");
      if (role == Role.AUTO && s.autoChoice() != null) {
        h.append(" (chose ").append(HtmlReport.escape(s.autoChoice())).append(" on dev)");
      }
      h.append(": ")
          .append(
              HtmlReport.escape(
                  m.metrics() == null
                      ? "not fitted: " + m.notFitted()
                      : AgainstRaw.change(raw.metrics(), m.metrics())))
          .append("</li>\n");
    }
    h.append("</ul>\n");
    worseList(h, s, raw);
    h.append("</div>\n</div>\n");
    h.append("<h3>")
        .append(s.methods().size() > 3 ? "Every method" : "The methods")
        .append("</h3>\n");
    List<HtmlReport.Row> rows = new ArrayList<>();
    for (Method m : s.methods()) {
      List<String> worse = worse(raw, m);
      rows.add(
          m.metrics() == null
              ? HtmlReport.Row.notFitted(m.name(), m.notFitted())
              : new HtmlReport.Row(
                  m.name(),
                  m.metrics(),
                  m.contentFree(),
                  m.intervals(),
                  worse.isEmpty() ? null : nearZeroBeyondRaw(raw, m) > 0 ? SEVERE_FLAG : WORSE_FLAG,
                  worse.isEmpty() ? null : String.join("; ", worse),
                  null));
    }
    HtmlReport.metricsTable(h, s.labels(), rows);
    h.append("<div class=\"multiples\">\n");
    for (Method m : s.methods()) {
      if (m.diagram() == null || m.metrics() == null) {
        continue;
      }
      String base = HtmlReport.escape(m.diagram());
      h.append("<figure><a href=\"")
          .append(base)
          .append(".png\"><img src=\"")
          .append(base)
          .append(".svg\" alt=\"reliability diagram: ")
          .append(HtmlReport.escape(m.name()))
          .append("\" title=\"")
          .append(HtmlReport.escape(m.name()))
          .append("\"></a></figure>\n");
    }
    h.append("</div>\n</section>\n");
  }

  /** The methods that made something worse than raw, each with what, or a line saying none did. */
  private static void worseList(StringBuilder h, Setting s, Method raw) {
    List<String> items = new ArrayList<>();
    for (Method m : s.methods()) {
      if (m.role() == Role.RAW || m.metrics() == null) {
        continue;
      }
      List<String> worse = worse(raw, m);
      if (!worse.isEmpty()) {
        items.add(
            "<li"
                + (nearZeroBeyondRaw(raw, m) > 0 ? " class=\"severe\"" : "")
                + "><b>"
                + HtmlReport.escape(m.name())
                + "</b>: "
                + HtmlReport.escape(String.join("; ", worse))
                + "</li>\n");
      }
    }
    if (items.isEmpty()) {
      h.append("<p class=\"fine\">No method made things worse than raw.</p>\n");
      h.append(WORSE_MEANS);
      return;
    }
    h.append("<h3>Worse than raw</h3>\n").append(WORSE_MEANS);
    h.append("<ul class=\"worse-list\">\n");
    items.forEach(h::append);
    h.append("</ul>\n");
  }

  private static List<String> worse(Method raw, Method m) {
    if (m.role() == Role.RAW || m.metrics() == null) {
      return List.of();
    }
    return AgainstRaw.worse(raw.metrics(), m.metrics(), nearZeroBeyondRaw(raw, m));
  }

  /** {@code m}'s rows with a (nearly) zero gold probability, when it has more than raw; else 0. */
  private static int nearZeroBeyondRaw(Method raw, Method m) {
    return m.nearZeroGold() > raw.nearZeroGold() ? m.nearZeroGold() : 0;
  }
}
