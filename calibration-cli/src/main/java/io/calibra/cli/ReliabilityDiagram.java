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
 * confidence, with the diagonal of perfect calibration. Written as PNG and SVG, atomically.
 */
final class ReliabilityDiagram {
  private ReliabilityDiagram() {}

  static XYChart chart(CalibrationMetrics m, String title) {
    XYChart chart =
        new XYChartBuilder()
            .width(560)
            .height(480)
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
