package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.cli.output.ReliabilityDiagram;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Checks of a written reliability diagram PNG. */
public final class Png {
  private Png() {}

  /** The colour of the reliability curve (ReliabilityDiagram.chart). */
  static final int CURVE = 0x1f77b4;

  /**
   * The file decodes as a PNG of the diagram's size (560 x 480, ReliabilityDiagram), and is drawn:
   * more than a handful of colours (background, axes, diagonal, bars, text).
   */
  public static void assertDiagram(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("%s decodes as an image", file).isNotNull();
    assertThat(image.getWidth()).as("width of %s", file).isEqualTo(560);
    assertThat(image.getHeight()).as("height of %s", file).isEqualTo(480);
    assertThat(colours(image, 0, 0, 560, 480)).as("colours in %s", file).isGreaterThan(5);
  }

  /**
   * The file decodes as the page of {@code calibra report} with {@code panels} diagrams: at most 3
   * panels of 560 x 640 to a row (ReliabilityDiagram.WIDTH, PANEL_HEIGHT), each one drawn: its top
   * 480 pixels hold the reliability curve's colour, its bottom 160 the histogram's bars
   * (ReliabilityDiagram.BARS); and no panel beyond the last is drawn.
   *
   * @return the decoded image
   */
  static BufferedImage assertReport(Path file, int panels) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("%s decodes as an image", file).isNotNull();
    int columns = Math.min(3, panels);
    int rows = (panels + 2) / 3;
    assertThat(image.getWidth()).as("width of %s", file).isEqualTo(columns * 560);
    assertThat(image.getHeight()).as("height of %s", file).isEqualTo(rows * 640);
    int bars = ReliabilityDiagram.BARS.getRGB() & 0xffffff;
    for (int p = 0; p < columns * rows; p++) {
      int x = (p % 3) * 560;
      int y = (p / 3) * 640;
      boolean drawn = p < panels;
      assertThat(count(image, x, y, 560, 480, CURVE))
          .as("pixels of the reliability curve in panel %d of %s", p, file)
          .matches(n -> drawn ? n > 50 : n == 0);
      assertThat(count(image, x, y + 480, 560, 160, bars))
          .as("pixels of the histogram bars in panel %d of %s", p, file)
          .matches(n -> drawn ? n > 50 : n == 0);
      if (drawn) {
        assertThat(colours(image, x, y, 560, 640)).as("colours in panel %d", p).isGreaterThan(5);
      }
    }
    return image;
  }

  /** The number of pixels of colour {@code rgb} in the rectangle. */
  public static int count(BufferedImage image, int x0, int y0, int w, int h, int rgb) {
    int n = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  private static int colours(BufferedImage image, int x0, int y0, int w, int h) {
    Set<Integer> colours = new HashSet<>();
    for (int y = y0; y < y0 + h; y += 2) {
      for (int x = x0; x < x0 + w; x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
