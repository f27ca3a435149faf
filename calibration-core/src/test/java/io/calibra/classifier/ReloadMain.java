package io.calibra.classifier;

import io.calibra.io.CalibratorFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a fresh JVM by {@link SavedCalibrationTest}: loads a saved calibration onto the toy
 * scorer, classifies {@code n} texts of a seed and writes one line per prediction.
 */
public final class ReloadMain {
  private ReloadMain() {}

  /** Arguments: calibration file, number of texts, seed, output file. */
  public static void main(String[] args) throws Exception {
    CalibratedClassifier classifier =
        CalibratedClassifier.builder(ToyModel.scorer("toy"), ToyModel.TEMPLATE)
            .calibration(CalibratorFiles.load(Path.of(args[0])))
            .build();
    int n = Integer.parseInt(args[1]);
    List<String> texts = ToyModel.texts(n, Long.parseLong(args[2]), new int[n]);
    Files.write(
        Path.of(args[3]),
        SavedCalibrationTest.lines(classifier.classifyAll(texts)),
        StandardCharsets.UTF_8);
  }
}
