package io.calibra.cli;

import io.calibra.io.AtomicOutput;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.ReliabilityBin;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
final class ReliabilityDiagram {
  private ReliabilityDiagram() {}

  static XYChart chart(CalibrationMetrics m, String title) {
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
    chart.getStyler().setDecimalPattern("0.0");
    XYSeries diagonal =
        chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
    diagonal.setMarker(SeriesMarkers.NONE);
    diagonal.setLineColor(Color.GRAY);
    diagonal.setLineStyle(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (ReliabilityBin b : m.reliability()) {
      x.add(b.meanConfidence());
      y.add(b.accuracy());
    }
    XYSeries observed = chart.addSeries(String.format("model (ECE %.3f)", m.ece()), x, y);
    observed.setMarker(SeriesMarkers.CIRCLE);
    observed.setLineColor(new Color(0x1f77b4));
    observed.setMarkerColor(new Color(0x1f77b4));
    return chart;
  }

  /** Width of one diagram, in pixels. */
  static final int WIDTH = 560;

  /** Height of the reliability chart of a panel, in pixels. */
  static final int CHART_HEIGHT = 480;

  /** Height of the bin-count histogram under it, in pixels. */
  static final int HISTOGRAM_HEIGHT = 160;

  /** Height of a panel: the reliability chart and its histogram. */
  static final int PANEL_HEIGHT = CHART_HEIGHT + HISTOGRAM_HEIGHT;

  /** Panels per row of a page of several diagrams. */
  static final int COLUMNS = 3;

  /** The fill colour of the histogram bars. */
  static final Color BARS = new Color(0x9ecae1);

  /** One diagram of a page: an input's name and its metrics. */
  record Panel(String name, CalibrationMetrics metrics) {}

  /**
   * The bin counts of {@code m} as a histogram over the same confidence axis, [0, 1]: one bar per
   * non-empty bin from its lower to its upper edge, as high as its row count.
   */
  static XYChart histogram(CalibrationMetrics m) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HISTOGRAM_HEIGHT)
            .xAxisTitle("confidence")
            .yAxisTitle("rows")
            .build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendVisible(false);
    chart.getStyler().setDecimalPattern("0.0");
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
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

  /**
   * The page of diagrams as the files {@code base.png} and {@code base.svg} (by name, in that
   * order): one panel per input, at most {@value #COLUMNS} to a row, each the reliability diagram
   * titled with its name and, under it, the histogram of its bin counts.
   */
  static java.util.Map<String, byte[]> page(List<Panel> panels, String base) {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("no diagrams to draw");
    }
    int columns = Math.min(COLUMNS, panels.size());
    int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
    int width = columns * WIDTH;
    int height = rows * PANEL_HEIGHT;
    try {
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(
              width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = image.createGraphics();
      g.setRenderingHint(
          java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
      paintPage(g, panels, width, height);
      g.dispose();
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      if (!javax.imageio.ImageIO.write(image, "png", png)) {
        throw new IllegalStateException("no PNG writer in this Java runtime");
      }
      de.erichseifert.vectorgraphics2d.VectorGraphics2D v =
          new de.erichseifert.vectorgraphics2d.VectorGraphics2D();
      paintPage(v, panels, width, height);
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

  /** Writes {@code base.png} and {@code base.svg} atomically. */
  static void write(CalibrationMetrics m, String title, Path dir, String base) {
    XYChart chart = chart(m, title);
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
}
