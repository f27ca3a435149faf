package io.calibra.cli.output;

import io.calibra.io.AtomicOutput;
import io.calibra.metrics.Bootstrap;
import io.calibra.metrics.CalibrationMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A static HTML page: a metrics table and the reliability diagrams, written atomically. Numbers are
 * written with {@link Locale#ROOT} (a point before the decimals whatever the default locale); in a
 * metrics table each value carries its bootstrap interval inline ({@code 0.7046 [0.6875, 0.7232]})
 * and the best value of each column (at the precision shown) is marked.
 */
public final class HtmlReport {
  /** One method's row and diagram. */
  public record Section(
      String name, String image, CalibrationMetrics metrics, String contentFree) {}

  /** A further table under its own heading, such as the demo's fp32 against int8 study. */
  public record Table(String heading, String note, List<String> header, List<List<String>> rows) {}

  /** An image of the page, {@code image.svg} with a link to {@code image.png}, and its size. */
  public record Figure(String image, String alt, String caption, int width, int height) {}

  /**
   * One row of a metrics table.
   *
   * @param name the method or input
   * @param metrics its metrics; null when it was not fitted
   * @param contentFree its content-free distribution as text, or null
   * @param intervals bootstrap intervals by metric key ({@link CalibrationMetrics#byKey()}); empty
   *     for none
   * @param flag a short warning shown after the name, such as {@code worse than raw}; null for none
   * @param flagDetail what the warning is about, in words (the flag's tooltip); null for none
   * @param notFitted why it was not fitted, when {@code metrics} is null
   */
  public record Row(
      String name,
      CalibrationMetrics metrics,
      String contentFree,
      Map<String, Bootstrap.Interval> intervals,
      String flag,
      String flagDetail,
      String notFitted) {
    public Row {
      intervals = Map.copyOf(intervals);
    }

    /** A row of a method that was not fitted, saying why. */
    public static Row notFitted(String name, String why) {
      return new Row(name, null, null, Map.of(), null, null, why);
    }
  }

  /** Column headings of the metric keys of {@link CalibrationMetrics#byKey()}. */
  private static final Map<String, String> HEADINGS =
      Map.of(
          "accuracy", "accuracy",
          "macro_f1", "macro-F1",
          "ece", "ECE",
          "ece_equal_mass", "ECE (equal mass)",
          "mce", "MCE",
          "classwise_ece", "classwise ECE",
          "brier", "Brier",
          "nll", "NLL");

  /** The metric keys where higher is better; lower is better for every other. */
  private static final Set<String> HIGHER_IS_BETTER = Set.of("accuracy", "macro_f1");

  /** The page's style sheet. */
  static final String STYLE =
      "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1400px;padding:0 1em;"
          + "color:#222;line-height:1.4}"
          + "table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums;"
          + "display:block;max-width:100%;overflow-x:auto}"
          + "th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}"
          + "th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}"
          + "td.best{font-weight:bold;background:#e6f4ea}"
          + ".ci{color:#666;font-weight:normal;white-space:nowrap}"
          + "tr.flagged td:first-child{background:#fdecea}"
          + ".flag{color:#b3261e;font-weight:bold;white-space:nowrap}"
          + ".diagrams{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}"
          + "figcaption{text-align:center}";

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
   * The page, with the confidence intervals of each section named in {@code intervals} (by metric
   * key, as {@code calibra metrics}'s keys) beside its values.
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
   * The page with {@code tables} after the methods' table, before the diagrams, and the confidence
   * intervals of each section named in {@code intervals} beside its values.
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
  public static byte[] page(
      String title,
      String note,
      List<String> labels,
      List<Section> sections,
      Map<String, Map<String, Bootstrap.Interval>> intervals,
      List<Table> tables,
      List<Figure> figures) {
    StringBuilder h = new StringBuilder();
    head(h, title, "");
    if (note != null && !note.isEmpty()) {
      h.append("<p>").append(escape(note)).append("</p>\n");
    }
    List<Row> rows = new ArrayList<>();
    for (Section s : sections) {
      rows.add(
          new Row(
              s.name(),
              s.metrics(),
              s.contentFree(),
              intervals.getOrDefault(s.name(), Map.of()),
              null,
              null,
              null));
    }
    metricsTable(h, labels, rows);
    for (Table t : tables) {
      table(h, t);
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
    h.append("</div>\n");
    return end(h);
  }

  /** The page's start: doctype, head with {@link #STYLE} and {@code style}, and its heading. */
  public static void head(StringBuilder h, String title, String style) {
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape(title))
        .append("</title>\n<style>")
        .append(STYLE)
        .append(style)
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n");
  }

  /** Ends the page: its bytes (UTF-8). */
  static byte[] end(StringBuilder h) {
    h.append("</body>\n</html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Ends the page and writes it atomically. */
  public static void writePage(Path file, StringBuilder h) {
    AtomicOutput.write(file, end(h));
  }

  /**
   * A table of {@code rows}: one column per metric key (with the row's interval beside the value),
   * the prediction counts, and the content-free distribution when some row has one. With two or
   * more fitted rows, the best value of each metric column (at the precision shown; ties all
   * marked, none when all are equal) is in a cell of class {@code best}. A flagged row has class
   * {@code flagged} and its flag after its name, with the detail as the flag's tooltip; a row not
   * fitted says why across the metrics.
   */
  public static void metricsTable(StringBuilder h, List<String> labels, List<Row> rows) {
    List<String> keys =
        rows.stream()
            .filter(r -> r.metrics() != null)
            .findFirst()
            .map(r -> List.copyOf(r.metrics().byKey().keySet()))
            .orElse(List.of());
    boolean withCf = rows.stream().anyMatch(r -> r.contentFree() != null);
    h.append("<table>\n<tr><th>method</th>");
    for (String key : keys) {
      h.append("<th>").append(escape(HEADINGS.getOrDefault(key, key))).append("</th>");
    }
    h.append("<th>predictions ").append(escape(String.join("|", labels))).append("</th>");
    if (withCf) {
      h.append("<th>content-free distribution</th>");
    }
    h.append("</tr>\n");
    Map<String, String> best = best(keys, rows);
    for (Row r : rows) {
      h.append(r.flag() == null ? "<tr>" : "<tr class=\"flagged\">");
      h.append("<td>").append(escape(r.name()));
      if (r.flag() != null) {
        h.append(" <span class=\"flag\"");
        if (r.flagDetail() != null) {
          h.append(" title=\"").append(escape(r.flagDetail())).append('"');
        }
        h.append('>').append(escape(r.flag())).append("</span>");
      }
      h.append("</td>");
      if (r.metrics() == null) {
        h.append("<td colspan=\"")
            .append(keys.size() + 1 + (withCf ? 1 : 0))
            .append("\" class=\"not-fitted\">not fitted: ")
            .append(escape(r.notFitted() == null ? "" : r.notFitted()))
            .append("</td></tr>\n");
        continue;
      }
      Map<String, Double> values = r.metrics().byKey();
      for (String key : keys) {
        Double v = values.get(key);
        String text = v == null ? "" : value(v);
        h.append(text.equals(best.get(key)) ? "<td class=\"best\">" : "<td>").append(text);
        Bootstrap.Interval i = r.intervals().get(key);
        if (i != null) {
          h.append(" <span class=\"ci\">")
              .append(String.format(Locale.ROOT, "[%.4f, %.4f]", i.lower(), i.upper()))
              .append("</span>");
        }
        h.append("</td>");
      }
      h.append("<td>").append(escape(join(r.metrics().predictionCounts()))).append("</td>");
      if (withCf) {
        h.append("<td>")
            .append(escape(r.contentFree() == null ? "" : r.contentFree()))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  /** A metric's value as a table shows it: four decimals, {@link Locale#ROOT}. */
  public static String value(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * The best value of each metric column as shown ({@link #value}), by key; none when fewer than
   * two rows were fitted (a best of one says nothing).
   */
  private static Map<String, String> best(List<String> keys, List<Row> rows) {
    List<Map<String, Double>> fitted =
        rows.stream().filter(r -> r.metrics() != null).map(r -> r.metrics().byKey()).toList();
    Map<String, String> out = new java.util.HashMap<>();
    if (fitted.size() < 2) {
      return out;
    }
    for (String key : keys) {
      List<String> shown =
          fitted.stream()
              .map(m -> m.get(key))
              .filter(java.util.Objects::nonNull)
              .map(HtmlReport::value)
              .toList();
      if (shown.stream().distinct().count() < 2) {
        continue; // all equal: no best to point at
      }
      boolean higher = HIGHER_IS_BETTER.contains(key);
      shown.stream()
          .map(Double::parseDouble)
          .reduce(higher ? Math::max : Math::min)
          .ifPresent(v -> out.put(key, value(v)));
    }
    return out;
  }

  /** A further table under its own heading. */
  public static void table(StringBuilder h, Table t) {
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

  /**
   * {@code s} with {@code &}, {@code <}, {@code >} and {@code "} escaped for HTML text and
   * attributes.
   */
  public static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
