package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input gives exit code 3 and a message naming the file, line and column. */
class CliBadInputTest {
  @TempDir Path tmp;
  private TestDir dir;
  private Path good;

  @BeforeEach
  void writeGoodFile() throws IOException {
    dir = new TestDir(tmp);
    good =
        dir.write(
            "good.csv", "id,gold,negative,positive\na,negative,0.8,0.2\nb,positive,0.3,0.7\n");
  }

  private static Cli metrics(Path file) {
    return Cli.run("metrics", "--input", file.toString(), "--scores", "prob");
  }

  @Test
  void goodFileWorks() {
    Cli r = metrics(good);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("accuracy").contains("1.000000");
  }

  @Test
  void missingFile() {
    metrics(tmp.resolve("nope.csv")).exits(3, "nope.csv", "file not found");
  }

  @Test
  void emptyFile() throws IOException {
    metrics(dir.write("empty.csv", "")).exits(3, "empty.csv:1", "empty");
  }

  @Test
  void noHeader() throws IOException {
    metrics(dir.write("noheader.csv", "0.8,0.2\n0.3,0.7\n"))
        .exits(3, "noheader.csv:1:1", "is the header row missing?");
  }

  @Test
  void unknownLabelColumnForAModel() throws IOException {
    // a misclassified row: separable rows have no temperature fit
    Path fitting =
        dir.write(
            "fitting.csv",
            "id,gold,negative,positive\na,negative,0.8,0.2\nb,positive,0.3,0.7\nc,negative,0.45,0.55\n");
    Path model = tmp.resolve("m.json");
    assertThat(
            Cli.run(
                    "fit",
                    "--method",
                    "temperature",
                    "--scores",
                    "prob",
                    "--input",
                    fitting.toString(),
                    "--output",
                    model.toString())
                .code())
        .isZero();
    Path other = dir.write("other.csv", "id,negative,neutral\na,0.5,0.5\n");
    Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "prob",
            "--input",
            other.toString(),
            "--output",
            tmp.resolve("o.csv").toString())
        .exits(3, "other.csv:1:3", "unknown label column 'neutral'");
  }

  @Test
  void modelFittedOnAnotherLabelSet() throws IOException {
    Path threeLabels =
        dir.write(
            "three.csv",
            "gold,a,b,c\na,0.5,0.3,0.2\nb,0.2,0.5,0.3\nc,0.1,0.1,0.8\na,0.2,0.5,0.3\n");
    Path model = tmp.resolve("abc.json");
    assertThat(
            Cli.run(
                    "fit",
                    "--method",
                    "temperature",
                    "--scores",
                    "prob",
                    "--input",
                    threeLabels.toString(),
                    "--output",
                    model.toString())
                .code())
        .isZero();
    Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "prob",
            "--input",
            good.toString(),
            "--output",
            tmp.resolve("o.csv").toString())
        .exits(3, "good.csv:1:3", "unknown label column 'negative'", "[a, b, c]");
  }

  @Test
  void nonNumericCell() throws IOException {
    metrics(dir.write("text.csv", "gold,negative,positive\nnegative,0.8,0.2\npositive,high,low\n"))
        .exits(3, "text.csv:3:2", "'high' for label 'negative' is not a number");
  }

  @Test
  void nanCell() throws IOException {
    metrics(dir.write("nan.csv", "gold,negative,positive\nnegative,NaN,0.2\n"))
        .exits(3, "nan.csv:2:2", "NaN for label 'negative'");
  }

  @Test
  void negativeProbability() throws IOException {
    metrics(dir.write("neg.csv", "gold,negative,positive\nnegative,1.2,-0.2\n"))
        .exits(3, "neg.csv:2:2", "probability 1.2 for label 'negative' is outside [0, 1]");
  }

  @Test
  void raggedRow() throws IOException {
    metrics(dir.write("ragged.csv", "gold,negative,positive\nnegative,0.8,0.2\npositive,0.3\n"))
        .exits(3, "ragged.csv:3:3", "row has 2 fields; the header has 3");
  }

  @Test
  void goldThatIsNotALabel() throws IOException {
    metrics(dir.write("gold.csv", "id,gold,negative,positive\na,neutral,0.8,0.2\n"))
        .exits(3, "gold.csv:2:2", "gold 'neutral' is not a label");
  }

  @Test
  void corruptModelFile() throws IOException {
    Path model = dir.write("broken.json", "{\"format\": \"calibra-calibrator\", \"schema_ver");
    Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "prob",
            "--input",
            good.toString(),
            "--output",
            tmp.resolve("o.csv").toString())
        .exits(3, "broken.json", "corrupt or truncated");
  }

  @Test
  void badUsageIsExitCode2() {
    assertThat(Cli.run("metrics", "--input", good.toString()).code()).isEqualTo(2);
    assertThat(Cli.run("metrics", "--input", good.toString(), "--scores", "probability").code())
        .isEqualTo(2);
    assertThat(Cli.run("fit", "--method", "magic", "--scores", "prob", "--output", "x.json").code())
        .isEqualTo(2);
    assertThat(Cli.run("frobnicate").code()).isEqualTo(2);
    assertThat(Cli.run().code()).isEqualTo(2);
  }
}
