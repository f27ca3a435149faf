package io.calibra.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelSet;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The score-file reader on arbitrary bytes: it reads rows or throws {@link DataFileException}, and
 * nothing else. Regression inputs: ScoreFileFuzzTestInputs/ beside this class in test resources;
 * fuzz with {@code JAZZER_FUZZ=1 ./mvnw test -pl calibration-core -Dtest=ScoreFileFuzzTest}.
 */
class ScoreFileFuzzTest {
  private static final Path NAME = Path.of("fuzzed.csv");

  @FuzzTest(maxDuration = "5m")
  void readerThrowsOnlyDataFileException(byte[] data) {
    if (data.length == 0) {
      read(data, ScoreFormat.PROB, null);
      return;
    }
    ScoreFormat format = ScoreFormat.values()[(data[0] & 0xFF) % 3];
    LabelSet expected = (data[0] & 0x80) != 0 ? LabelSet.of("negative", "positive") : null;
    read(Arrays.copyOfRange(data, 1, data.length), format, expected);
  }

  private static void read(byte[] bytes, ScoreFormat format, LabelSet expected) {
    try (ScoreFileReader reader =
        ScoreFileReader.open(new ByteArrayInputStream(bytes), NAME, format, expected)) {
      while (reader.hasNext()) {
        ScoreRow row = reader.next();
        double sum = 0;
        for (double p : row.distribution().toArray()) {
          if (!(p >= 0 && p <= 1)) {
            throw new AssertionError("a row passed with probability " + p);
          }
          sum += p;
        }
        if (!(Math.abs(sum - 1) < 1e-6)) {
          throw new AssertionError("a row passed summing to " + sum);
        }
      }
    } catch (DataFileException expectedFailure) {
      // the documented outcome for bad input
    }
  }
}
