package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers that are not a score file's although every column parses: the output of {@code
 * calibra-spark calibrate} (whose calibrated_LABEL and confidence columns would count as labels)
 * and a header separated by semicolons or tabs. Expected positions are counted by hand in the
 * headers written here.
 */
class ScoreFileHeaderLayoutTest {
  @TempDir Path tmp;

  private Path write(String content) throws IOException {
    Path p = tmp.resolve("scores.csv");
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private static void open(Path file) {
    ScoreFileReader.open(file, ScoreFormat.LOGIT).close();
  }

  /** The header calibra-spark calibrate --format csv writes for the labels negative, positive. */
  private static final String SPARK_OUTPUT =
      "id,gold,negative,positive,calibrated_negative,calibrated_positive,prediction,confidence\n"
          + "r1,positive,-1.0,2.0,0.05,0.95,positive,0.95\n";

  @Test
  void refusesCalibraSparkCalibrateOutputNamingTheFirstCalibratedColumn() throws IOException {
    Path f = write(SPARK_OUTPUT);
    assertThatThrownBy(() -> open(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(f + ":1:5: column 'calibrated_negative'")
        .hasMessageContaining("calibra-spark calibrate's output")
        .hasMessageContaining("keep either the raw or the calibrated columns, named by the labels");
  }

  @Test
  void refusesItAlsoWhenTheLabelsAreExpectedSayingWhatItIs() throws IOException {
    Path f = write(SPARK_OUTPUT);
    assertThatThrownBy(
            () ->
                ScoreFileReader.open(
                        f,
                        ScoreFormat.LOGIT,
                        io.calibra.label.LabelSet.of(List.of("negative", "positive")))
                    .close())
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(f + ":1:5: column 'calibrated_negative'");
  }

  @Test
  void refusesTheCalibratedColumnsWithConfidenceEvenWithoutTheRawColumns() throws IOException {
    Path f = write("gold,calibrated_negative,calibrated_positive,confidence\n0,0.1,0.9,0.9\n");
    assertThatThrownBy(() -> open(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(f + ":1:4: column 'confidence'");
  }

  @Test
  void aLabelNamedConfidenceWithoutTheCalibratedTwinsIsALabel() throws IOException {
    Path f = write("gold,confidence,doubt\nconfidence,2.0,1.0\n");
    try (ScoreFileReader r = ScoreFileReader.open(f, ScoreFormat.LOGIT)) {
      assertThat(r.labels().names()).containsExactly("confidence", "doubt");
      assertThat(r.next().gold()).isZero();
    }
  }

  @Test
  void aLabelNamedCalibratedSomethingWithoutItsTwinIsALabel() throws IOException {
    Path f = write("gold,calibrated_guess,raw_guess\n0,2.0,1.0\n");
    try (ScoreFileReader r = ScoreFileReader.open(f, ScoreFormat.LOGIT)) {
      assertThat(r.labels().names()).containsExactly("calibrated_guess", "raw_guess");
    }
  }

  @Test
  void theRuleIsOneAndPublicForOtherReadersOfColumns() {
    assertThat(
            ScoreFileReader.calibratedOutputColumn(
                List.of(
                    "id", "a", "b", "calibrated_a", "calibrated_b", "prediction", "confidence")))
        .isEqualTo(3);
    assertThat(ScoreFileReader.calibratedOutputColumn(List.of("a", "b", "confidence")))
        .isEqualTo(-1);
    // the output with its calibrated columns dropped but confidence kept: its prediction column
    // shows where it came from (hand-counted position of confidence)
    assertThat(
            ScoreFileReader.calibratedOutputColumn(
                List.of("id", "gold", "a", "b", "prediction", "confidence")))
        .isEqualTo(5);
    assertThat(ScoreFileReader.calibratedOutputColumn(List.of("a", "confidence", "prediction")))
        .isEqualTo(1);
    assertThat(ScoreFileReader.calibratedOutputColumn(List.of("calibrated_a", "calibrated_b")))
        .isEqualTo(-1);
  }

  @Test
  void aSemicolonSeparatedHeaderSaysCommas() throws IOException {
    Path f = write("id;gold;negative;positive\nr1;0;1.0;2.0\n");
    assertThatThrownBy(() -> open(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(f + ":1:1: the header is one column separated by semicolons")
        .hasMessageEndingWith("the columns of a score file must be separated by commas");
  }

  @Test
  void aTabSeparatedHeaderSaysCommas() throws IOException {
    Path f = write("gold\tnegative\tpositive\n0\t1.0\t2.0\n");
    assertThatThrownBy(() -> open(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(f + ":1:1: the header is one column separated by tabs")
        .hasMessageContaining("gold\\tnegative")
        .hasMessageNotContaining("\t");
  }
}
