package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input gives exit code 3 and a message naming the file, line and column. */
class CliBadInputTest {
  @TempDir Path tmp;
  private Path good;

  @BeforeEach
  void writeGoodFile() throws IOException {
    good = write("good.csv", "id,gold,negative,positive\na,negative,0.8,0.2\nb,positive,0.3,0.7\n");
  }

  private Path write(String name, String content) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private static Cli metrics(Path file) {
    return Cli.run("metrics", "--input", file.toString(), "--scores", "prob");
  }

  private static void assertBadData(Cli r, String... fragments) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(3);
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  @Test
  void goodFileWorks() {
    Cli r = metrics(good);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("accuracy").contains("1.000000");
  }

  @Test
  void missingFile() {
    assertBadData(metrics(tmp.resolve("nope.csv")), "nope.csv", "file not found");
  }

  @Test
  void emptyFile() throws IOException {
    assertBadData(metrics(write("empty.csv", "")), "empty.csv:1", "empty");
  }

  @Test
  void noHeader() throws IOException {
    assertBadData(
        metrics(write("noheader.csv", "0.8,0.2\n0.3,0.7\n")),
        "noheader.csv:1:1",
        "is the header row missing?");
  }

  @Test
  void unknownLabelColumnForAModel() throws IOException {
    Path model = tmp.resolve("m.json");
    assertThat(
            Cli.run(
                    "fit",
                    "--method",
                    "temperature",
                    "--scores",
                    "prob",
                    "--input",
                    good.toString(),
                    "--output",
                    model.toString())
                .code())
        .isZero();
    Path other = write("other.csv", "id,negative,neutral\na,0.5,0.5\n");
    assertBadData(
        Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "prob",
            "--input",
            other.toString(),
            "--output",
            tmp.resolve("o.csv").toString()),
        "other.csv:1:3",
        "unknown label column 'neutral'");
  }

  @Test
  void modelFittedOnAnotherLabelSet() throws IOException {
    Path threeLabels =
        write("three.csv", "gold,a,b,c\na,0.5,0.3,0.2\nb,0.2,0.5,0.3\nc,0.1,0.1,0.8\n");
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
    assertBadData(
        Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "prob",
            "--input",
            good.toString(),
            "--output",
            tmp.resolve("o.csv").toString()),
        "good.csv:1:3",
        "unknown label column 'negative'",
        "[a, b, c]");
  }

  @Test
  void nonNumericCell() throws IOException {
    assertBadData(
        metrics(write("text.csv", "gold,negative,positive\nnegative,0.8,0.2\npositive,high,low\n")),
        "text.csv:3:2",
        "'high' for label 'negative' is not a number");
  }

  @Test
  void nanCell() throws IOException {
    assertBadData(
        metrics(write("nan.csv", "gold,negative,positive\nnegative,NaN,0.2\n")),
        "nan.csv:2:2",
        "NaN for label 'negative'");
  }

  @Test
  void negativeProbability() throws IOException {
    assertBadData(
        metrics(write("neg.csv", "gold,negative,positive\nnegative,1.2,-0.2\n")),
        "neg.csv:2:2",
        "probability 1.2 for label 'negative' is outside [0, 1]");
  }

  @Test
  void raggedRow() throws IOException {
    assertBadData(
        metrics(write("ragged.csv", "gold,negative,positive\nnegative,0.8,0.2\npositive,0.3\n")),
        "ragged.csv:3:3",
        "row has 2 fields; the header has 3");
  }

  @Test
  void goldThatIsNotALabel() throws IOException {
    assertBadData(
        metrics(write("gold.csv", "id,gold,negative,positive\na,neutral,0.8,0.2\n")),
        "gold.csv:2:2",
        "gold 'neutral' is not a label");
  }

  @Test
  void corruptModelFile() throws IOException {
    Path model = write("broken.json", "{\"format\": \"calibra-calibrator\", \"schema_ver");
    assertBadData(
        Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "prob",
            "--input",
            good.toString(),
            "--output",
            tmp.resolve("o.csv").toString()),
        "broken.json",
        "corrupt or truncated");
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
