package io.calibra.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.calibra.calibrate.Calibrator;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.DataFileException;
import io.calibra.label.LabelDistribution;
import java.nio.file.Path;

/**
 * The calibrator JSON loader on arbitrary bytes: it loads a calibrator whose outputs are valid
 * distributions, or throws {@link DataFileException}, and nothing else. Fuzz with {@code
 * JAZZER_FUZZ=1 ./mvnw test -pl calibration-core -Dtest=CalibratorJsonFuzzTest}.
 */
class CalibratorJsonFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void loaderThrowsOnlyDataFileException(byte[] data) {
    Calibrator c;
    try {
      c = CalibratorFiles.fromJson(data, Path.of("fuzzed.json")).calibrator();
    } catch (DataFileException expected) {
      return;
    }
    double[] q = c.apply(LabelDistribution.uniform(c.labels())).toArray();
    for (double v : q) {
      if (!(v >= 0 && v <= 1)) {
        throw new AssertionError("a loaded calibrator produced " + v);
      }
    }
  }
}
