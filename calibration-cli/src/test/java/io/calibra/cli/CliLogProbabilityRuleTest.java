package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that reads {@code --scores logprob} files refuses a positive log-probability with
 * exit code 3 and file:line:column, and reads rounding up to 1e-6 above 0 as 0.
 */
class CliLogProbabilityRuleTest {
  @TempDir Path tmp;
  private Path good;
  private Path bad;
  private String where;

  @BeforeEach
  void files() throws IOException {
    TestDir dir = new TestDir(tmp);
    // the last row is misclassified, so temperature scaling has a fit on these rows
    String rows =
        "a,-0.1,-2.5\nb,-1.9,-0.2\na,-0.3,-1.4\nb,-2.2,-0.1\na,-0.05,-3\nb,-1.2,-0.4\na,-1.5,-0.3\n";
    good = dir.write("good.csv", "gold,a,b\n" + rows);
    // line 4, column 3: the label b's cell of the third row
    bad = dir.write("bad.csv", "gold,a,b\n" + rows.replace("a,-0.3,-1.4", "a,-0.3,0.5"));
    where = bad + ":4:3: log-probability for label 'b' (index 1) is 0.5";
  }

  private Cli fitTemperature(Path input) {
    return Cli.run(
        "fit",
        "--method",
        "temperature",
        "--scores",
        "logprob",
        "--input",
        input,
        "--output",
        tmp.resolve("t.json"));
  }

  @Test
  void metricsRefusesAPositiveLogProbability() {
    Cli.run("metrics", "--input", bad, "--scores", "logprob")
        .exits(3, where, "expected a value <= 0")
        .oneLine()
        .noStackTrace();
    Cli.run("metrics", "--input", bad, "--scores", "logit").ok();
  }

  @Test
  void fitRefusesAPositiveLogProbability() {
    fitTemperature(bad).exits(3, where).oneLine().noStackTrace();
    assertThat(tmp.resolve("t.json")).doesNotExist();
  }

  @Test
  void calibrateRefusesAPositiveLogProbability() {
    fitTemperature(good).ok();
    Cli.run(
            "calibrate",
            "--calibrator",
            tmp.resolve("t.json"),
            "--scores",
            "logprob",
            "--input",
            bad,
            "--output",
            tmp.resolve("out.csv"))
        .exits(3, where)
        .noStackTrace();
    assertThat(tmp.resolve("out.csv")).doesNotExist();
  }

  @Test
  void reportRefusesAPositiveLogProbability() {
    Cli.run("report", "--input", bad, "--scores", "logprob", "--output", tmp.resolve("r"))
        .exits(3, where)
        .noStackTrace();
  }

  @Test
  void conformalRefusesAPositiveLogProbabilityInEitherFile() {
    for (Path[] files : new Path[][] {{bad, good}, {good, bad}}) {
      Path sets = tmp.resolve("sets.csv");
      Cli.run(
              "conformal",
              "--labelled-scores",
              files[0],
              "--input",
              files[1],
              "--scores",
              "logprob",
              "--alpha",
              "0.2",
              "--method",
              "lac",
              "--output",
              sets)
          .exits(3, where)
          .noStackTrace();
      assertThat(sets).doesNotExist();
    }
  }

  @Test
  void roundingJustAboveZeroIsReadAsZero() throws IOException {
    // 4e-7 is what a single-precision log-softmax can give for a probability of one
    Path rounded = new TestDir(tmp).write("rounded.csv", "gold,a,b\na,4e-7,-20\nb,-20,1e-6\n");
    Cli r = Cli.run("metrics", "--input", rounded, "--scores", "logprob", "--json").ok();
    assertThat(r.out()).contains("\"accuracy\":1.0");
  }
}
