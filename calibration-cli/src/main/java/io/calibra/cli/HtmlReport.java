package io.calibra.cli;

import io.calibra.io.AtomicOutput;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A static HTML page: a metrics table and the reliability diagrams, written atomically. */
final class HtmlReport {
  /** One method's row and diagram. */
  record Section(String name, String image, CalibrationMetrics metrics, String contentFree) {}

  /** A further table under its own heading, such as the demo's fp32 against int8 study. */
  record Table(String heading, String note, List<String> header, List<List<String>> rows) {}

  /** An image of the page, {@code image.svg} with a link to {@code image.png}, and its size. */
  record Figure(String image, String alt, String caption, int width, int height) {}

  private HtmlReport() {}

  /** The sections' own diagrams, one figure each, as the demo draws them. */
  private static List<Figure> figuresOf(List<Section> sections) {
    return sections.stream()
        .map(
            s ->
                new Figure(
                    s.image(),
                    "reliability diagram: " + s.name(),
                    s.name(),
                    ReliabilityDiagram.WIDTH,
                    ReliabilityDiagram.CHART_HEIGHT))
        .toList();
  }

  static void write(
      Path file, String title, String note, List<String> labels, List<Section> sections) {
    write(file, title, note, labels, sections, Map.of(), List.of());
  }

  /**
   * The page, with a row of confidence intervals under each section named in {@code intervals} (by
   * metric key, as {@link MetricsCommand#keyed}).
   */
  static void write(
      Path file,
      String title,
      String note,
      List<String> labels,
      List<Section> sections,
      Map<String, Map<String, Bootstrap.Interval>> intervals) {
    write(file, title, note, labels, sections, intervals, List.of());
  }

  /**
   * The page with {@code tables} after the methods' table, before the diagrams, and a row of
   * confidence intervals under each section named in {@code intervals}.
   */
  static void write(
      Path file,
      String title,
      String note,
      List<String> labels,
      List<Section> sections,
      Map<String, Map<String, Bootstrap.Interval>> intervals,
      List<Table> tables) {
    write(file, title, note, labels, sections, intervals, tables, figuresOf(sections));
  }

  /**
   * The page with its images given as {@code figures} (rather than one per section), such as the
   * one page of diagrams of {@code calibra report}.
   */
  static void write(
      Path file,
      String title,
      String note,
      List<String> labels,
      List<Section> sections,
      Map<String, Map<String, Bootstrap.Interval>> intervals,
      List<Table> tables,
      List<Figure> figures) {
    AtomicOutput.write(file, page(title, note, labels, sections, intervals, tables, figures));
  }

  /** The bytes (UTF-8) of the page {@link #write} writes. */
  static byte[] page(
      String title,
      String note,
      List<String> labels,
      List<Section> sections,
      Map<String, Map<String, Bootstrap.Interval>> intervals,
      List<Table> tables,
      List<Figure> figures) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(escape(title))
        .append("</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;color:#222}")
        .append(
            "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;")
        .append("text-align:right}th:first-child,td:first-child{text-align:left}")
        .append(".diagrams{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}")
        .append("figcaption{text-align:center}</style>\n</head>\n<body>\n")
        .append("<h1>")
        .append(escape(title))
        .append("</h1>\n");
    if (note != null && !note.isEmpty()) {
      h.append("<p>").append(escape(note)).append("</p>\n");
    }
    h.append("<table>\n<tr><th>method</th><th>accuracy</th><th>macro-F1</th><th>ECE</th>")
        .append(
            "<th>ECE (equal mass)</th><th>MCE</th><th>classwise ECE</th><th>Brier</th><th>NLL</th>")
        .append("<th>predictions ")
        .append(escape(String.join("|", labels)))
        .append("</th>");
    boolean withCf = sections.stream().anyMatch(s -> s.contentFree() != null);
    if (withCf) {
      h.append("<th>content-free distribution</th>");
    }
    h.append("</tr>\n");
    for (Section s : sections) {
      CalibrationMetrics m = s.metrics();
      h.append("<tr><td>").append(escape(s.name())).append("</td>");
      for (Map.Entry<String, Double> e : MetricsCommand.keyed(m).entrySet()) {
        h.append("<td>").append(String.format("%.4f", e.getValue())).append("</td>");
      }
      h.append("<td>").append(escape(join(m.predictionCounts()))).append("</td>");
      if (withCf) {
        h.append("<td>")
            .append(escape(s.contentFree() == null ? "" : s.contentFree()))
            .append("</td>");
      }
      h.append("</tr>\n");
      Map<String, Bootstrap.Interval> ci = intervals.get(s.name());
      if (ci != null) {
        h.append("<tr class=\"ci\"><td>interval</td>");
        for (String key : MetricsCommand.keyed(m).keySet()) {
          Bootstrap.Interval i = ci.get(key);
          h.append("<td>")
              .append(
                  i == null
                      ? ""
                      : String.format(java.util.Locale.ROOT, "[%.4f, %.4f]", i.lower(), i.upper()))
              .append("</td>");
        }
        h.append("<td></td>");
        if (withCf) {
          h.append("<td></td>");
        }
        h.append("</tr>\n");
      }
    }
    h.append("</table>\n");
    for (Table t : tables) {
      h.append("<h2>").append(escape(t.heading())).append("</h2>\n");
      if (t.note() != null && !t.note().isEmpty()) {
        h.append("<p>").append(escape(t.note())).append("</p>\n");
      }
      h.append("<table>\n<tr>");
      for (String c : t.header()) {
        h.append("<th>").append(escape(c)).append("</th>");
      }
      h.append("</tr>\n");
      for (List<String> row : t.rows()) {
        h.append("<tr>");
        for (String c : row) {
          h.append("<td>").append(escape(c)).append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("<div class=\"diagrams\">\n");
    for (Figure f : figures) {
      h.append("<figure><img src=\"")
          .append(escape(f.image()))
          .append(".svg\" width=\"")
          .append(f.width())
          .append("\" height=\"")
          .append(f.height())
          .append("\" alt=\"")
          .append(escape(f.alt()))
          .append("\"><figcaption>")
          .append(escape(f.caption()))
          .append(" (<a href=\"")
          .append(escape(f.image()))
          .append(".png\">PNG</a>)</figcaption></figure>\n");
    }
    h.append("</div>\n</body>\n</html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String join(List<Long> counts) {
    StringBuilder sb = new StringBuilder();
    for (Long c : counts) {
      if (sb.length() > 0) {
        sb.append('|');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
