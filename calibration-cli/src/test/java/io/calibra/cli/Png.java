package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Checks of a written reliability diagram PNG. */
final class Png {
  private Png() {}

  /**
   * The file decodes as a PNG of the diagram's size (560 x 480, ReliabilityDiagram), and is drawn:
   * more than a handful of colours (background, axes, diagonal, bars, text).
   */
  static void assertDiagram(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("%s decodes as an image", file).isNotNull();
    assertThat(image.getWidth()).as("width of %s", file).isEqualTo(560);
    assertThat(image.getHeight()).as("height of %s", file).isEqualTo(480);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("colours in %s", file).isGreaterThan(5);
  }
}
