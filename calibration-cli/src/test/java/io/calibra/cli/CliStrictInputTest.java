package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict input through the command line on real files in a temporary folder: the number grammar,
 * gold indices, bad UTF-8 with line and column, strict JSON, label names and templates.
 */
class CliStrictInputTest {
  @TempDir Path tmp;
  private TestDir dir;
  private Path good;

  @BeforeEach
  void writeGoodFile() throws IOException {
    dir = new TestDir(tmp);
    good =
        dir.write(
            "good.csv",
            // the third row is misclassified: separable rows would have no temperature fit
            "id,gold,negative,positive\na,negative,0.8,0.2\nb,positive,0.3,0.7\nc,negative,0.45,0.55\n");
  }

  private static Cli metrics(Path file, String scores) {
    return Cli.run("metrics", "--input", file.toString(), "--scores", scores);
  }

  private Path fitTemperature() {
    Path model = tmp.resolve("m.json");
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            good.toString(),
            "--output",
            model.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return model;
  }

  private Cli calibrate(Path model) {
    return Cli.run(
        "calibrate",
        "--calibrator",
        model.toString(),
        "--scores",
        "prob",
        "--input",
        good.toString(),
        "--output",
        tmp.resolve("out.csv").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x1p-1", "1d", "1.5f", "inf", "1,000"})
  void numbersOutsideTheDecimalGrammarAreBadData(String number) throws IOException {
    Path f = dir.write("hex.csv", "gold,a,b\na,0.5,0.5\nb,-1,\"" + number + "\"\n");
    metrics(f, "logit").exits(3, "hex.csv:3:3", "is not a number").noStackTrace();
  }

  // bad UTF-8 names the line and column

  @Test
  void badUtf8InAScoreFileNamesLineAndColumn() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("id,gold,a,b\nr1,a,0.5,0.5\nr2,".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {(byte) 0xE9}); // Latin-1 'é'
    b.writeBytes(",0.5,0.5\n".getBytes(StandardCharsets.UTF_8));
    metrics(dir.write("latin1.csv", b.toByteArray()), "prob")
        .exits(3, "latin1.csv:3:2", "UTF-8")
        .noStackTrace();
  }

  @Test
  void badUtf8InATextsFileNamesLineAndColumn() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("id,text\n1,fine\n2,caf".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {(byte) 0xE9});
    b.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    Path texts = dir.write("texts.csv", b.toByteArray());
    Cli r =
        Cli.run(
            "score",
            "--label",
            "neg=bad",
            "--label",
            "pos=good",
            "--input",
            texts.toString(),
            "--output",
            tmp.resolve("s.csv").toString());
    r.exits(3, "texts.csv:3:2", "not valid UTF-8").noStackTrace();
  }

  @Test
  void badUtf8InJsonFilesNamesLineAndColumn() throws IOException {
    Path model = fitTemperature();
    String json = Files.readString(model);
    Path latin1 = dir.write("latin1.json", json.getBytes(StandardCharsets.ISO_8859_1));
    // a Latin-1 byte in the second line
    byte[] bytes = Files.readAllBytes(latin1);
    int secondLine = json.indexOf('\n') + 3;
    bytes[secondLine] = (byte) 0xE9;
    Files.write(latin1, bytes);
    calibrate(latin1).exits(3, "latin1.json:2:3", "not valid UTF-8").noStackTrace();
    Path utf16 = dir.write("utf16.json", ("\uFEFF" + json).getBytes(StandardCharsets.UTF_16LE));
    calibrate(utf16).exits(3, "utf16.json:1:1", "not valid UTF-8").noStackTrace();
  }

  @Test
  void calibratorJsonIsReadStrictly() throws IOException {
    Path model = fitTemperature();
    String json = Files.readString(model);
    int lines = (int) json.strip().lines().count();
    calibrate(dir.write("trailing.json", json.strip() + "\n{}\n"))
        .exits(3, "trailing.json:" + (lines + 1) + ":1", "Trailing token")
        .noStackTrace();
    Path dup =
        dir.write(
            "dup.json",
            json.replaceFirst("\"schema_version\"", "\"format\" : \"x\",\n  \"schema_version\""));
    calibrate(dup).exits(3, "dup.json:3:", "Duplicate field 'format'").noStackTrace();
    String versioned =
        json.replaceFirst("\"schema_version\" : (\\d+)", "\"schema_version\" : $1.0");
    assertThat(versioned).isNotEqualTo(json);
    Path fractional = dir.write("fraction.json", versioned);
    calibrate(fractional).exits(3, "fraction.json:3:22", "expected an integer").noStackTrace();
  }

  @Test
  void jsonFilesOverTheSizeLimitAreRefused() throws IOException {
    Path model = fitTemperature();
    String before = System.getProperty("calibra.json.maxBytes");
    try {
      System.setProperty("calibra.json.maxBytes", "100");
      calibrate(model).exits(3, "m.json", "over the size limit of 100 bytes").noStackTrace();
      Path template = dir.write("t.json", "{\"instruction\": \"" + "x".repeat(200) + "\"}");
      scoreWithTemplate(template, "neg=bad", "pos=good")
          .exits(3, "t.json", "size limit")
          .noStackTrace();
      System.setProperty("calibra.json.maxBytes", "-5");
      calibrate(model).exits(2, "calibra.json.maxBytes is -5").noStackTrace().oneLine();
    } finally {
      if (before == null) {
        System.clearProperty("calibra.json.maxBytes");
      } else {
        System.setProperty("calibra.json.maxBytes", before);
      }
    }
    assertThat(calibrate(model).code()).isZero();
  }

  @Test
  void templateJsonIsReadStrictly() throws IOException {
    Path dup = dir.write("dup.json", "{\"instruction\": \"a\",\n \"instruction\": \"b\"}");
    scoreWithTemplate(dup, "neg=bad", "pos=good")
        .exits(3, "dup.json:2:", "Duplicate field")
        .noStackTrace();
    Path trailing = dir.write("trail.json", "{\"instruction\": \"a\"}\n]");
    scoreWithTemplate(trailing, "neg=bad", "pos=good").exits(3, "trail.json:2:1:").noStackTrace();
  }

  @Test
  void outOfMemoryIsOneLineAndExitOne() throws Exception {
    // a 48 MB calibrator file (under the 64 MiB limit) read in a 32 MB heap
    Path big = tmp.resolve("big.json");
    try (Writer w = Files.newBufferedWriter(big)) {
      w.write("{\"format\": \"calibra-calibrator\", \"schema_version\": 1, \"pad\": [");
      for (int i = 0; i < 12_000_000; i++) {
        w.write("0.1,");
      }
      w.write("0]}");
    }
    Process p =
        new ProcessBuilder(
                Cli.javaCommand(
                    List.of("-Xmx32m", "-XX:+UseSerialGC"),
                    "calibrate",
                    "--calibrator",
                    big.toString(),
                    "--scores",
                    "prob",
                    "--input",
                    good.toString(),
                    "--output",
                    tmp.resolve("o.csv").toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(1);
    assertThat(err.strip())
        .isEqualTo(
            "calibra: out of memory while running calibra calibrate; raise the heap with"
                + " CALIBRA_JAVA_OPTS (for example CALIBRA_JAVA_OPTS=-Xmx4g)");
    assertThat(Files.exists(tmp.resolve("o.csv"))).isFalse();
  }

  @Test
  void metricsOfAHundredThousandLabelsRunInTheLaunchersOneGigabyteHeap() throws Exception {
    int k = 100_000;
    int rows = 40;
    Path f = tmp.resolve("wide.csv");
    try (Writer w = Files.newBufferedWriter(f)) {
      w.write("gold");
      for (int c = 0; c < k; c++) {
        w.write(",l" + c);
      }
      w.write('\n');
      // row r predicts label r with probability 1; gold is label r for even r, r + 1 for odd r
      for (int r = 0; r < rows; r++) {
        w.write("l" + (r % 2 == 0 ? r : r + 1));
        for (int c = 0; c < k; c++) {
          w.write(c == r ? ",1" : ",0");
        }
        w.write('\n');
      }
    }
    Process p =
        new ProcessBuilder(
                Cli.javaCommand(
                    List.of("-Xmx1g", "-XX:+UseSerialGC"),
                    "metrics",
                    "--input",
                    f.toString(),
                    "--scores",
                    "prob",
                    "--json"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    // hand computed: half the rows correct with confidence 1; ECE = |0.5 - 1| = 0.5
    assertThat(out).contains("\"accuracy\":0.5").contains("\"ece\":0.5");
  }

  @Test
  void oneBasedNumericGoldSaysIndicesAreZeroBased() throws IOException {
    Path f =
        dir.write(
            "agnews.csv",
            "gold,World,Sports,Business,Sci/Tech\n1,0.7,0.1,0.1,0.1\n4,0.1,0.1,0.1,0.7\n");
    metrics(f, "prob")
        .exits(
            3,
            "agnews.csv:3:1",
            "gold 4 is out of range: numbers in the gold column are 0-based label indices 0..3",
            "[World, Sports, Business, Sci/Tech]")
        .noStackTrace();
  }

  @Test
  void probabilitiesReadAsLogitsGiveAWarningAndAsLogProbabilitiesAnError() throws IOException {
    Cli asLogits = metrics(good, "logit");
    assertThat(asLogits.code()).as(asLogits.err()).isZero();
    assertThat(asLogits.err())
        .contains("calibra: warning: every row of " + good)
        .contains("is a probability distribution")
        .contains("did you mean --scores prob?");
    Cli asLogprobs =
        Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "logprob",
            "--input",
            good.toString(),
            "--output",
            tmp.resolve("t.json").toString());
    // a probability above 0 is no log-probability: bad input data, with a hint
    assertThat(asLogprobs.code()).as(asLogprobs.err()).isEqualTo(3);
    assertThat(asLogprobs.err())
        .contains(good + ":2:")
        .contains("expected a value <= 0")
        .contains("the file may hold probabilities (score format prob)");
    assertThat(metrics(good, "prob").err()).doesNotContain("warning");
    Path logits = dir.write("logits.csv", "gold,a,b\na,2.5,-1\nb,0.2,0.8\n");
    assertThat(metrics(logits, "logit").err()).doesNotContain("warning");
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "-1", "Infinity", "-Infinity", "abc", "0x1p-1"})
  void badLambdaIsUsage(String lambda) {
    Cli.run(
            "fit",
            "--method",
            "vector",
            "--scores",
            "prob",
            "--input",
            good.toString(),
            "--lambda",
            lambda,
            "--output",
            tmp.resolve("v.json").toString())
        .exits(2, "--lambda")
        .noStackTrace()
        .oneLine();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0.05", "NaN", "Infinity", "1e-310", "4.9e-324"})
  void badScaleIsUsage(String scale) throws IOException {
    score("--scale", scale).exits(2, "--scale").noStackTrace().oneLine();
  }

  @Test
  void badBatchSizeAndThreadsAreUsage() throws IOException {
    score("--batch-size", "0").exits(2, "--batch-size", "0 is below 1").noStackTrace().oneLine();
    score("--batch-size", "-3").exits(2, "--batch-size").noStackTrace().oneLine();
    score("--threads", "-1").exits(2, "--threads", "-1 is negative").noStackTrace().oneLine();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "10001", "2147483647", "x"})
  void badBinsAreUsage(String bins) {
    Cli.run("metrics", "--input", good.toString(), "--scores", "prob", "--bins", bins)
        .exits(2, "--bins")
        .noStackTrace()
        .oneLine();
    Cli.run(
            "report",
            "--input",
            good.toString(),
            "--scores",
            "prob",
            "--bins",
            bins,
            "--output",
            tmp.resolve("r").toString())
        .exits(2, "--bins")
        .noStackTrace()
        .oneLine();
  }

  @Test
  void tenThousandBinsAreAllowed() {
    assertThat(
            Cli.run("metrics", "--input", good.toString(), "--scores", "prob", "--bins", "10000")
                .code())
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0", "-2"})
  void foldsBelowTwoAreUsage(String folds) {
    Cli.run(
            "fit",
            "--method",
            "auto",
            "--scores",
            "prob",
            "--input",
            good.toString(),
            "--folds",
            folds,
            "--output",
            tmp.resolve("a.json").toString())
        .exits(2, "--folds", "below 2")
        .noStackTrace()
        .oneLine();
  }

  @Test
  void oneLabelIsUsage() throws IOException {
    Path texts = dir.write("texts.csv", "id,text\n1,fine\n");
    Cli.run(
            "score",
            "--label",
            "only=good",
            "--input",
            texts.toString(),
            "--output",
            tmp.resolve("s.csv").toString())
        .exits(2, "give at least two --label NAME=TEXT options")
        .noStackTrace()
        .oneLine();
  }

  @Test
  void aDemonstrationLabelNotInTheLabelSetIsUsage() throws IOException {
    Path t =
        dir.write(
            "t.json",
            "{\"demonstrations\": [{\"text\": \"a\", \"label\": \"neg\"},"
                + " {\"text\": \"b\", \"label\": \"neutral\"}]}");
    scoreWithTemplate(t, "neg=bad", "pos=good")
        .exits(
            2,
            "demonstration 1 has label 'neutral', which is not among the --label names [neg, pos]")
        .noStackTrace()
        .oneLine();
  }

  @Test
  void anEncoderTemplateMissingALabelsDemonstrationsIsUsage() throws IOException {
    Path t = dir.write("t.json", "{\"demonstrations\": [{\"text\": \"a\", \"label\": \"neg\"}]}");
    scoreWithTemplate(t, "neg=bad", "pos=good")
        .exits(2, "label 'pos' has none")
        .noStackTrace()
        .oneLine();
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "gold", "prediction", "text", " gold", "0.5", "b "})
  void labelNamesThatCannotBeReadBackAreUsage(String name) throws IOException {
    Path texts = dir.write("texts.csv", "id,text\n1,fine\n");
    Cli.run(
            "score",
            "--label",
            name + "=x",
            "--label",
            "pos=good",
            "--input",
            texts.toString(),
            "--output",
            tmp.resolve("s.csv").toString())
        .exits(2, "--label " + name + "=x")
        .noStackTrace()
        .oneLine();
  }

  private Cli score(String option, String value) throws IOException {
    Path texts = dir.write("texts.csv", "id,text\n1,fine\n");
    return Cli.run(
        "score",
        "--label",
        "neg=bad",
        "--label",
        "pos=good",
        option,
        value,
        "--input",
        texts.toString(),
        "--output",
        tmp.resolve("s.csv").toString());
  }

  private Cli scoreWithTemplate(Path template, String... labels) throws IOException {
    Path texts = dir.write("texts.csv", "id,text\n1,fine\n");
    List<String> args = new ArrayList<>(List.of("score"));
    for (String l : labels) {
      args.add("--label");
      args.add(l);
    }
    args.addAll(
        List.of(
            "--template",
            template.toString(),
            "--input",
            texts.toString(),
            "--output",
            tmp.resolve("s.csv").toString()));
    return Cli.run(args.toArray(String[]::new));
  }
}
