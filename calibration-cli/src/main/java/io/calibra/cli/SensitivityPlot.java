package io.calibra.cli;

import io.calibra.io.AtomicOutput;
import io.calibra.sensitivity.SensitivityReport;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The dot plot of {@code calibra sensitivity}: accuracy per prompt, one series per method. */
final class SensitivityPlot {
  private static final List<Color> COLOURS =
      List.of(
          new Color(0xD9, 0x5F, 0x02), new Color(0x1B, 0x9E, 0x77), new Color(0x75, 0x70, 0xB3));

  private SensitivityPlot() {}

  /** The chart: x the prompt number, y its accuracy; markers only, so the spread shows. */
  static XYChart chart(SensitivityReport report) {
    XYChart chart =
        new XYChartBuilder()
            .width(640)
            .height(420)
            .title("Accuracy per prompt")
            .xAxisTitle("prompt")
            .yAxisTitle("accuracy")
            .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setMarkerSize(10);
    double[] x = new double[report.prompts().size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    for (int m = 0; m < report.methods().size(); m++) {
      String method = report.methods().get(m);
      XYSeries s = chart.addSeries(method, x, report.accuracies(method));
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(
          m == 0 ? SeriesMarkers.CIRCLE : m == 1 ? SeriesMarkers.DIAMOND : SeriesMarkers.SQUARE);
      s.setMarkerColor(COLOURS.get(m % COLOURS.size()));
    }
    return chart;
  }

  /** Writes {@code base.png} and {@code base.svg} into {@code dir}. */
  static void write(SensitivityReport report, Path dir, String base) {
    XYChart chart = chart(report);
    try {
      AtomicOutput.write(
          dir.resolve(base + ".png"),
          BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
      ByteArrayOutputStream svg = new ByteArrayOutputStream();
      VectorGraphicsEncoder.saveVectorGraphic(
          chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      AtomicOutput.write(dir.resolve(base + ".svg"), svg.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw the accuracy plot: " + e.getMessage(), e);
    }
  }
}
