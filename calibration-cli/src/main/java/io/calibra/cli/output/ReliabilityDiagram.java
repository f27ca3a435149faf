package io.calibra.cli.output;

import io.calibra.io.AtomicOutput;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.ReliabilityBin;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A reliability diagram (Guo et al. 2017): per confidence bin, the accuracy against the mean
 * confidence, with the diagonal of perfect calibration; for {@code calibra report}, with the
 * histogram of the bins' row counts under it, several inputs on one page. Written as PNG and SVG,
 * atomically.
 */
public final class ReliabilityDiagram {
  private ReliabilityDiagram() {}

  static XYChart chart(CalibrationMetrics m, String title) {
    XYChart chart = axes(title);
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (ReliabilityBin b : m.reliability()) {
      x.add(b.meanConfidence());
      y.add(b.accuracy());
    }
    XYSeries observed =
        chart.addSeries(String.format(Locale.ROOT, "model (ECE %.3f)", m.ece()), x, y);
    observed.setMarker(SeriesMarkers.CIRCLE);
    observed.setLineColor(new Color(0x1f77b4));
    observed.setMarkerColor(new Color(0x1f77b4));
    return chart;
  }

  /** The name of the diagonal's series. */
  private static final String DIAGONAL = "perfect calibration";

  /** The empty reliability chart: the unit square, its title, and the diagonal. */
  private static XYChart axes(String title) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(CHART_HEIGHT)
            .title(title)
            .xAxisTitle("confidence")
            .yAxisTitle("accuracy")
            .build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendVisible(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart.getStyler().setDecimalPattern("0.0").setLocale(Locale.ROOT);
    XYSeries diagonal = chart.addSeries(DIAGONAL, new double[] {0, 1}, new double[] {0, 1});
    diagonal.setMarker(SeriesMarkers.NONE);
    diagonal.setLineColor(Color.GRAY);
    diagonal.setLineStyle(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    return chart;
  }

  /** Width of one diagram, in pixels. */
  public static final int WIDTH = 560;

  /** Height of the reliability chart of a panel, in pixels. */
  static final int CHART_HEIGHT = 480;

  /** Height of the bin-count histogram under it, in pixels. */
  static final int HISTOGRAM_HEIGHT = 160;

  /** Height of a panel: the reliability chart and its histogram. */
  public static final int PANEL_HEIGHT = CHART_HEIGHT + HISTOGRAM_HEIGHT;

  /** Panels per row of a page of several diagrams. */
  public static final int COLUMNS = 3;

  /** The fill colour of the histogram bars. */
  public static final Color BARS = new Color(0x9ecae1);

  /** One diagram of a page: an input's name and its metrics. */
  public record Panel(String name, CalibrationMetrics metrics) {}

  /**
   * The bin counts of {@code m} as a histogram over the same confidence axis, [0, 1]: one bar per
   * non-empty bin from its lower to its upper edge, as high as its row count.
   */
  static XYChart histogram(CalibrationMetrics m) {
    XYChart chart = histogramAxes();
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    x.add(0.0);
    y.add(0.0);
    for (ReliabilityBin b : m.reliability()) {
      // a bar: up at the lower edge, across, down at the upper edge
      x.add(b.lower());
      y.add(0.0);
      x.add(b.lower());
      y.add((double) b.count());
      x.add(b.upper());
      y.add((double) b.count());
      x.add(b.upper());
      y.add(0.0);
    }
    x.add(1.0);
    y.add(0.0);
    long most = m.reliability().stream().mapToLong(ReliabilityBin::count).max().orElse(1);
    chart.getStyler().setYAxisMax(Math.ceil(most * 1.15));
    XYSeries bars = chart.addSeries("rows per bin", x, y);
    bars.setMarker(SeriesMarkers.NONE);
    bars.setFillColor(BARS);
    bars.setLineColor(BARS.darker());
    return chart;
  }

  /** The empty histogram: rows against confidence in [0, 1], drawn as areas. */
  private static XYChart histogramAxes() {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HISTOGRAM_HEIGHT)
            .xAxisTitle("confidence")
            .yAxisTitle("rows")
            .build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendVisible(false);
    chart.getStyler().setDecimalPattern("0.0").setLocale(Locale.ROOT);
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    return chart;
  }

  /**
   * The page of diagrams as the files {@code base.png} and {@code base.svg} (by name, in that
   * order): one panel per input, at most {@value #COLUMNS} to a row, each the reliability diagram
   * titled with its name and, under it, the histogram of its bin counts.
   */
  public static java.util.Map<String, byte[]> page(List<Panel> panels, String base) {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("no diagrams to draw");
    }
    int columns = Math.min(COLUMNS, panels.size());
    int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
    int width = columns * WIDTH;
    int height = rows * PANEL_HEIGHT;
    return render(g -> paintPage(g, panels, width, height), width, height, base);
  }

  /** Draws an image onto a canvas of the size it was given. */
  private interface Painter {
    void paint(java.awt.Graphics2D g);
  }

  /** What {@code painter} draws, as the files {@code base.png} and {@code base.svg} (by name). */
  private static java.util.Map<String, byte[]> render(
      Painter painter, int width, int height, String base) {
    try {
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(
              width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = image.createGraphics();
      g.setRenderingHint(
          java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
      painter.paint(g);
      g.dispose();
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      if (!javax.imageio.ImageIO.write(image, "png", png)) {
        throw new IllegalStateException("no PNG writer in this Java runtime");
      }
      de.erichseifert.vectorgraphics2d.VectorGraphics2D v =
          new de.erichseifert.vectorgraphics2d.VectorGraphics2D();
      painter.paint(v);
      ByteArrayOutputStream svg = new ByteArrayOutputStream();
      new de.erichseifert.vectorgraphics2d.svg.SVGProcessor()
          .getDocument(
              v.getCommands(),
              new de.erichseifert.vectorgraphics2d.util.PageSize(0, 0, width, height))
          .writeTo(svg);
      java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
      files.put(base + ".png", png.toByteArray());
      files.put(base + ".svg", svg.toByteArray());
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw the reliability diagrams: " + e.getMessage(), e);
    }
  }

  private static void paintPage(java.awt.Graphics2D g, List<Panel> panels, int width, int height) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < panels.size(); i++) {
      int x = (i % COLUMNS) * WIDTH;
      int y = (i / COLUMNS) * PANEL_HEIGHT;
      Panel p = panels.get(i);
      java.awt.Graphics2D top = (java.awt.Graphics2D) g.create();
      top.translate(x, y);
      top.clipRect(0, 0, WIDTH, CHART_HEIGHT);
      chart(p.metrics(), p.name()).paint(top, WIDTH, CHART_HEIGHT);
      top.dispose();
      java.awt.Graphics2D bottom = (java.awt.Graphics2D) g.create();
      bottom.translate(x, y + CHART_HEIGHT);
      bottom.clipRect(0, 0, WIDTH, HISTOGRAM_HEIGHT);
      histogram(p.metrics()).paint(bottom, WIDTH, HISTOGRAM_HEIGHT);
      bottom.dispose();
    }
  }

  /**
   * Writes {@code base.png} and {@code base.svg} atomically: the diagram at {@value #WIDTH} x
   * {@value #CHART_HEIGHT} with lettering large enough to read at half that size, where a page of
   * small multiples shows it.
   */
  public static void write(CalibrationMetrics m, String title, Path dir, String base) {
    XYChart chart = chart(m, title);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 26));
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 22));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
    chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 22));
    chart.getSeriesCollection().stream()
        .filter(series -> !series.getName().equals(DIAGONAL))
        .forEach(series -> series.setLineWidth(3f));
    try {
      AtomicOutput.write(
          dir.resolve(base + ".png"),
          BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
      ByteArrayOutputStream svg = new ByteArrayOutputStream();
      VectorGraphicsEncoder.saveVectorGraphic(
          chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      AtomicOutput.write(dir.resolve(base + ".svg"), svg.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw the reliability diagram: " + e.getMessage(), e);
    }
  }

  /** One curve of an overlaid diagram: its name, metrics and colour. */
  public record Series(String name, CalibrationMetrics metrics, Color colour) {}

  /**
   * Writes {@code base.png} and {@code base.svg} atomically: one panel of {@value #WIDTH} x {@link
   * #PANEL_HEIGHT}, every series' reliability curve on one chart (with the diagonal), and under it
   * each series' rows per confidence bin as bars side by side in its colour, so that a point
   * resting on few rows shows as one.
   *
   * @throws IllegalArgumentException if there are no series
   */
  public static void writeOverlay(List<Series> series, String title, Path dir, String base) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no series to draw");
    }
    java.util.Map<String, byte[]> files =
        render(
            g -> {
              java.awt.Graphics2D top = (java.awt.Graphics2D) g.create();
              top.clipRect(0, 0, WIDTH, CHART_HEIGHT);
              overlayChart(series, title).paint(top, WIDTH, CHART_HEIGHT);
              top.dispose();
              java.awt.Graphics2D bottom = (java.awt.Graphics2D) g.create();
              bottom.translate(0, CHART_HEIGHT);
              bottom.clipRect(0, 0, WIDTH, HISTOGRAM_HEIGHT);
              groupedHistogram(series).paint(bottom, WIDTH, HISTOGRAM_HEIGHT);
              bottom.dispose();
            },
            WIDTH,
            PANEL_HEIGHT,
            base);
    java.util.Map<Path, byte[]> paths = new java.util.LinkedHashMap<>();
    files.forEach((name, bytes) -> paths.put(dir.resolve(name), bytes));
    OutputGroup.write(paths);
  }

  private static XYChart overlayChart(List<Series> series, String title) {
    XYChart chart = axes(title);
    for (Series s : series) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (ReliabilityBin b : s.metrics().reliability()) {
        x.add(b.meanConfidence());
        y.add(b.accuracy());
      }
      XYSeries line =
          chart.addSeries(
              String.format(Locale.ROOT, "%s (ECE %.3f)", s.name(), s.metrics().ece()), x, y);
      line.setMarker(SeriesMarkers.CIRCLE);
      line.setLineColor(s.colour());
      line.setMarkerColor(s.colour());
      line.setLineWidth(2f);
    }
    return chart;
  }

  /** Each series' bin counts as bars, a bin's width shared among the series in order. */
  private static XYChart groupedHistogram(List<Series> series) {
    XYChart chart = histogramAxes();
    long most = 1;
    for (Series s : series) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      int index = series.indexOf(s);
      for (ReliabilityBin b : s.metrics().reliability()) {
        double step = (b.upper() - b.lower()) / series.size();
        double from = b.lower() + index * step;
        x.addAll(List.of(from, from, from + step, from + step));
        y.addAll(List.of(0.0, (double) b.count(), (double) b.count(), 0.0));
        most = Math.max(most, b.count());
      }
      XYSeries bars = chart.addSeries(s.name() + " rows per bin", x, y);
      bars.setMarker(SeriesMarkers.NONE);
      bars.setFillColor(s.colour());
      bars.setLineColor(s.colour());
    }
    chart.getStyler().setYAxisMax(Math.ceil(most * 1.15));
    return chart;
  }
}
