package io.calibra.io;

import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.MatrixScaling;
import io.calibra.label.LabelSet;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves two large calibrators to one file in turn, forever, printing "saved" after each save; the
 * fault test kills it after some saves, during the next one.
 */
public final class SaveLoop {
  private SaveLoop() {}

  static Calibrator big(double value) {
    int k = 300;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("label" + i);
    }
    double[] w = new double[k * k];
    java.util.Arrays.fill(w, value);
    return MatrixScaling.of(LabelSet.of(names), w, new double[k]);
  }

  public static void main(String[] args) {
    Path file = Paths.get(args[0]);
    Calibrator[] both = {big(0.25), big(0.5)};
    System.out.println("ready");
    System.out.flush();
    for (long i = 0; ; i++) {
      CalibratorFiles.save(both[(int) (i % 2)], Provenance.now("matrix", null, null, null), file);
      System.out.println("saved");
      System.out.flush();
    }
  }
}
