package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.Calibrator;
import io.calibra.io.CalibratorFiles;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fit} on a small dev set that the model classifies all right (separable, as small dev sets
 * often are): every fitted method whose maximum-likelihood fit then does not exist refuses in one
 * line with exit 3, and {@code auto} keeps the raw scores, so its test NLL is not worse than raw.
 * The model: positive with probability 0.2 + 0.6 p(positive), so about 70% accurate on test rows.
 */
class CliSmallDevTest {
  @TempDir Path tmp;

  private static final LabelSet LABELS = LabelSet.of("negative", "positive");

  /** 16 rows, each gold label on top by a margin (p of the gold label 0.65 to 0.95). */
  private static Path separableDev(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder("id,gold,negative,positive\n");
    for (int i = 0; i < 16; i++) {
      double gold = 0.65 + 0.3 * i / 15.0;
      boolean positive = i % 2 == 0;
      double p = positive ? gold : 1 - gold;
      sb.append(
          String.format(
              Locale.ROOT, "r%d,%s,%s,%s%n", i, positive ? "positive" : "negative", 1 - p, p));
    }
    return Files.writeString(dir.resolve("dev.csv"), sb.toString());
  }

  private static LabelledSet test(int n, long seed) {
    Random random = new Random(seed);
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      double p = 0.001 + 0.998 * random.nextDouble();
      gold[i] = random.nextDouble() < 0.2 + 0.6 * p ? 1 : 0;
      rows.add(LabelDistribution.ofProbabilities(LABELS, 1 - p, p));
    }
    return LabelledSet.of(rows, gold);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "temperature",
        "vector",
        "matrix",
        "dirichlet",
        "scaling-binning",
        "platt",
        "beta"
      })
  void everyMethodWithoutAFitRefusesInOneLine(String method) throws IOException {
    Path dev = separableDev(tmp);
    Path model = tmp.resolve("model.json");
    Cli r =
        Cli.run("fit", "--method", method, "--scores", "prob", "--input", dev, "--output", model);
    assertThat(r.code()).as(r.err()).isEqualTo(Main.BAD_DATA);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err())
        .contains("maximum-likelihood fit")
        .contains("add labelled rows the model gets wrong")
        .doesNotContain("\tat ");
    assertThat(model).doesNotExist();
  }

  @Test
  void autoKeepsTheRawScoresAndIsNotWorseThanRawOnTest() throws IOException {
    Path dev = separableDev(tmp);
    Path model = tmp.resolve("model.json");
    Cli r =
        Cli.run("fit", "--method", "auto", "--scores", "prob", "--input", dev, "--output", model);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("note: few rows: the rarest label has 8 dev rows")
        .contains("temperature                  failed: fold 1 of 5: temperature scaling has no")
        .contains("best: none")
        .contains("where a fit does not exist: add labelled rows the model gets wrong");
    Calibrator c = CalibratorFiles.load(model).calibrator();
    LabelledSet test = test(400, 7);
    LabelledSet calibrated = LabelledSet.of(c.applyAll(test.distributions()), test.goldArray());
    assertThat(Metrics.nll(calibrated)).isLessThanOrEqualTo(Metrics.nll(test));
  }

  @Test
  void fourLabelLogitsAllRightRefuseEveryScalingMethodAndAutoKeepsThem() throws IOException {
    // 20 rows of logits over four labels, the gold label's logit 1.5 to 3.4 above the others
    StringBuilder sb = new StringBuilder("id,gold,a,b,c,d\n");
    String[] names = {"a", "b", "c", "d"};
    for (int i = 0; i < 20; i++) {
      double[] z = {0.1 * (i % 3), -0.2, 0.05 * i, 0};
      z[i % 4] = 1.5 + 0.1 * i + z[i % 4];
      sb.append(
          String.format(
              Locale.ROOT, "r%d,%s,%s,%s,%s,%s%n", i, names[i % 4], z[0], z[1], z[2], z[3]));
    }
    Path dev = Files.writeString(tmp.resolve("four.csv"), sb.toString());
    Path model = tmp.resolve("model.json");
    for (String method : new String[] {"temperature", "vector", "matrix", "dirichlet"}) {
      Cli r =
          Cli.run(
              "fit", "--method", method, "--scores", "logit", "--input", dev, "--output", model);
      assertThat(r.code()).as(method + ": " + r.err()).isEqualTo(Main.BAD_DATA);
      assertThat(r.err()).as(method).contains("has no maximum-likelihood fit");
      assertThat(model).doesNotExist();
    }
    Cli auto =
        Cli.run("fit", "--method", "auto", "--scores", "logit", "--input", dev, "--output", model);
    assertThat(auto.code()).as(auto.err()).isZero();
    assertThat(auto.out()).contains("note: few rows").contains("best: none");
  }

  @Test
  void aFitPastItsTimeLimitStopsInOneLineAndWritesNothing() throws IOException {
    Path dev = new TestDir(tmp).randomScores("dev.csv", 300, 3);
    Path model = tmp.resolve("model.json");
    // a limit of a microsecond is past by the first iteration
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "dirichlet",
            "--scores",
            "prob",
            "--input",
            dev,
            "--output",
            model,
            "--time-limit",
            "0.000001");
    assertThat(r.code()).as(r.err()).isEqualTo(Main.FAILURE);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err())
        .startsWith("calibra: --method dirichlet stopped at the time limit of 1.0E-6 s (during")
        .contains("raise --time-limit");
    assertThat(model).doesNotExist();
  }

  @Test
  void theBudgetsAreUsageCheckedAndDocumented() throws IOException {
    Path dev = new TestDir(tmp).randomScores("dev.csv", 50, 3);
    Path model = tmp.resolve("model.json");
    Cli zero =
        Cli.run(
            "fit",
            "--method",
            "vector",
            "--scores",
            "prob",
            "--input",
            dev,
            "--output",
            model,
            "--max-iterations",
            "0");
    assertThat(zero.code()).isEqualTo(Main.USAGE);
    Cli never =
        Cli.run(
            "fit",
            "--method",
            "vector",
            "--scores",
            "prob",
            "--input",
            dev,
            "--output",
            model,
            "--time-limit",
            "-1");
    assertThat(never.code()).isEqualTo(Main.USAGE);
    // one iteration: saved, with the warning that the fit stopped short
    Cli one =
        Cli.run(
            "fit",
            "--method",
            "matrix",
            "--scores",
            "prob",
            "--input",
            dev,
            "--output",
            model,
            "--max-iterations",
            "1");
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(Cli.run("fit", "--help").out()).contains("--max-iterations", "--time-limit");
  }
}
