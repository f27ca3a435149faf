package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.ContextualCalibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a first user typing the documented commands meets: files that look like score files but are
 * not (calibra-spark calibrate's output, a semicolon-separated file) are refused with exit 3 and
 * one line saying what to do, rather than read into wrong numbers. Expected positions are counted
 * by hand in the files written here.
 */
class CliFirstContactTest {
  @TempDir Path tmp;
  private TestDir dir;

  @BeforeEach
  void setUp() {
    dir = new TestDir(tmp);
  }

  @Test
  void metricsRefusesCalibraSparkCalibrateOutput() throws IOException {
    Path f =
        dir.write(
            "calibrated.csv",
            "id,gold,negative,positive,calibrated_negative,calibrated_positive,prediction,confidence\n"
                + "r1,positive,-1.0,2.0,0.05,0.95,positive,0.95\n"
                + "r2,negative,1.0,-2.0,0.95,0.05,negative,0.95\n");
    Cli r = Cli.run("metrics", "--input", f, "--scores", "logit");
    r.exits(3, f + ":1:5:", "'calibrated_negative'", "calibra-spark calibrate's output").oneLine();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void metricsKeepsALabelNamedConfidence() throws IOException {
    Path f =
        dir.write("confidence.csv", "gold,confidence,doubt\nconfidence,0.9,0.1\ndoubt,0.2,0.8\n");
    Cli r = Cli.run("metrics", "--input", f, "--scores", "prob");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("accuracy").contains("1.000000");
  }

  @Test
  void metricsOnASemicolonSeparatedFileSaysCommas() throws IOException {
    Path f = dir.write("semi.csv", "id;gold;negative;positive\nr1;0;0.8;0.2\n");
    Cli.run("metrics", "--input", f, "--scores", "prob")
        .exits(3, f + ":1:1:", "separated by semicolons", "must be separated by commas")
        .oneLine();
  }

  private static final String[] LABELS = {
    "--label", "negative=The movie was terrible.", "--label", "positive=The movie was great."
  };

  @Test
  void scoreTakesALabelColumnAsTheGoldColumn() throws IOException {
    Path texts = dir.write("texts.csv", "text,label\na wonderful film,positive\ndull,negative\n");
    Path out = tmp.resolve("scores.csv");
    Cli.run("score", LABELS, "--input", texts, "--output", out).ok();
    // the gold cells are the file's label cells, row by row
    assertThat(Files.readAllLines(out)).first().isEqualTo("id,gold,negative,positive");
    assertThat(Files.readAllLines(out).get(1)).startsWith("0,positive,");
    assertThat(Files.readAllLines(out).get(2)).startsWith("1,negative,");
  }

  @Test
  void scoreRefusesAColumnItDoesNotKnow() throws IOException {
    Path texts = dir.write("texts.csv", "text,labels\na wonderful film,positive\n");
    Path out = tmp.resolve("scores.csv");
    Cli.run("score", LABELS, "--input", texts, "--output", out)
        .exits(3, texts + ":1:2:", "unknown column 'labels'", "'label' (or 'gold')")
        .oneLine();
    assertThat(out).doesNotExist();
  }

  @Test
  void scoreRefusesBothLabelAndGold() throws IOException {
    Path texts = dir.write("texts.csv", "gold,text,label\nnegative,a wonderful film,positive\n");
    Cli.run("score", LABELS, "--input", texts, "--output", tmp.resolve("scores.csv"))
        .exits(3, texts + ":1:1:", "both 'label' and 'gold' columns")
        .oneLine();
  }

  @Test
  void aMisspeltRequiredOptionIsNamedWithItsCorrection() throws IOException {
    Path f = dir.write("scores.csv", "gold,negative,positive\n0,0.8,0.2\n");
    Cli r = Cli.run("metrics", "--input", f, "--scroes", "logit");
    r.exits(2, "'--scroes'", "did you mean --scores?").oneLine();
    // the misspelling is the problem; the missing --scores follows from it
    assertThat(r.err()).doesNotContain("Missing required option");
  }

  @Test
  void aMisspeltCommandIsNamedWithItsCorrection() {
    Cli.run("metric", "--input", "f.csv", "--scores", "logit")
        .exits(2, "'metric'", "did you mean metrics?")
        .oneLine();
  }

  @Test
  void aMisspeltOptionIsNamedWithItsCorrection() throws IOException {
    Path f = dir.write("scores.csv", "gold,negative,positive\n0,0.8,0.2\n");
    Cli.run(
            "fit",
            "--method",
            "histogram-binning",
            "--scores",
            "prob",
            "--input",
            f,
            "--output",
            tmp.resolve("m.json"),
            "--bin",
            "10")
        .exits(2, "'--bin'", "did you mean --bins?")
        .oneLine();
  }

  @Test
  void aTruncatedCalibratorIsDescribedInPlainWords() throws IOException {
    Path scores = dir.write("scores.csv", "gold,negative,positive\n0,0.8,0.2\n");
    Path model =
        dir.write("model.json", "{\"format\": \"calibra-calibrator\", \"schema_version\": 2");
    Cli r =
        Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            tmp.resolve("out.csv"));
    r.exits(3, model + ":1:", "the file ends before the JSON is complete", "line 1, column 1")
        .oneLine();
    assertThat(r.err()).doesNotContain("Source").doesNotContain("REDACTED");
  }

  @Test
  void theContentFreeDefaultIsShownAsItIsTyped() throws IOException {
    String help = Cli.run("score", "--help").ok().out().replaceAll("\\s+", " ");
    assertThat(help).contains("an empty item is the empty string (default: N/A,,[MASK])");
    // the shown default, split as picocli splits it, is the core's default
    assertThat(List.of("N/A,,[MASK]".split(",", -1)))
        .isEqualTo(ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS);
    Path texts = dir.write("texts.csv", "text\na wonderful film\n");
    Path typed = tmp.resolve("typed.csv");
    Path byDefault = tmp.resolve("default.csv");
    Cli.run("score", LABELS, "--input", texts, "--output", tmp.resolve("s1.csv")).ok();
    Cli.run(
            "score",
            LABELS,
            "--input",
            texts,
            "--output",
            tmp.resolve("s2.csv"),
            "--content-free",
            "N/A,,[MASK]",
            "--content-free-output",
            typed)
        .ok();
    Cli.run(
            "score",
            LABELS,
            "--input",
            texts,
            "--output",
            tmp.resolve("s3.csv"),
            "--content-free-output",
            byDefault)
        .ok();
    assertThat(Files.readAllLines(typed)).hasSize(4).isEqualTo(Files.readAllLines(byDefault));
  }

  /**
   * Every comma separates two inputs, so an empty last item is the empty string, as an empty item
   * anywhere else is (hand-counted rows: N/A and the empty string; two empty strings).
   */
  @Test
  void anEmptyLastContentFreeItemIsTheEmptyString() throws IOException {
    Path texts = dir.write("texts.csv", "text\na wonderful film\n");
    Path trailing = tmp.resolve("trailing.csv");
    Path leading = tmp.resolve("leading.csv");
    Path commaOnly = tmp.resolve("comma.csv");
    for (String[] run :
        new String[][] {
          {"N/A,", trailing.toString()}, {",N/A", leading.toString()}, {",", commaOnly.toString()}
        }) {
      Cli.run(
              "score",
              LABELS,
              "--input",
              texts,
              "--output",
              tmp.resolve("s.csv"),
              "--content-free",
              run[0],
              "--content-free-output",
              run[1])
          .ok();
    }
    assertThat(Files.readAllLines(trailing)).hasSize(3);
    assertThat(Files.readAllLines(commaOnly)).hasSize(3);
    // the same two inputs in the other order: the same score rows, swapped
    List<String> t = Files.readAllLines(trailing);
    List<String> l = Files.readAllLines(leading);
    assertThat(l).containsExactly(t.get(0), t.get(2), t.get(1));
  }

  @Test
  void contentFreeInputsWithoutTheirOutputAreAUsageError() throws IOException {
    Path texts = dir.write("texts.csv", "text\na wonderful film\n");
    Path out = tmp.resolve("scores.csv");
    Cli.run("score", LABELS, "--input", texts, "--output", out, "--content-free", "N/A")
        .exits(2, "--content-free", "give --content-free-output FILE too")
        .oneLine();
    assertThat(out).doesNotExist();
  }

  @Test
  void writingToStandardOutputSaysSoAndOneRowIsSingular() throws IOException {
    Path scores =
        dir.write("scores.csv", "gold,negative,positive\n0,0.8,0.2\n1,0.4,0.6\n0,0.45,0.55\n");
    Path one = dir.write("one.csv", "gold,negative,positive\n0,0.7,0.3\n");
    Cli fit =
        Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            scores,
            "--output",
            "-");
    fit.ok();
    assertThat(fit.err()).startsWith("wrote standard output: temperature");
    Path model = dir.write("model.json", fit.out());
    Cli calibrate =
        Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--scores",
            "prob",
            "--input",
            one,
            "--output",
            "-");
    calibrate.ok();
    assertThat(calibrate.err().strip()).isEqualTo("wrote 1 calibrated row to standard output");
  }

  @Test
  void scoringOnePromptSaysOnePromptAndTheInt8NoteNamesTheOption() throws Exception {
    Path texts = dir.write("texts.csv", "text\na wonderful film\n");
    java.util.List<String> command =
        Cli.javaCommand(
            List.of("-Xss8m", "-Dcalibra.progress=lines"),
            "score",
            "--model",
            "embedded-minilm-int8",
            LABELS,
            "--input",
            texts,
            "--output",
            "-");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(tmp.resolve("err.log").toFile())
            .start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(tmp.resolve("err.log"));
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(err)
        .contains("Scoring texts.csv: 1 prompt ...")
        .contains("Scoring texts.csv: done, 1 prompt in ")
        .contains("wrote standard output")
        .contains("--quantized-batching on the command line")
        .doesNotContain("1 prompts")
        .doesNotContain("wrote -");
  }
}
