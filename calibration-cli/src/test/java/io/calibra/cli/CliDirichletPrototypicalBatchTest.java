package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.BatchCalibration;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.DirichletCalibration;
import io.calibra.calibrate.PrototypicalCalibration;
import io.calibra.golden.GoldenCase;
import io.calibra.io.CalibratorFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code calibra fit --method dirichlet|prototypical|batch} with their options, on the golden cases
 * written as score files: each saved model equals the Java API's fit on the same rows (the CSV
 * holds the logits as Double.toString, so the rows are the same doubles), and bad combinations are
 * usage errors.
 */
class CliDirichletPrototypicalBatchTest {
  @TempDir Path tmp;

  private Calibrator fit(Path scores, String... options) {
    Path out = tmp.resolve("model-" + System.nanoTime() + ".json");
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "fit",
                "--scores",
                "logit",
                "--input",
                scores.toString(),
                "--output",
                out.toString()));
    args.addAll(java.util.List.of(options));
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    lastErr = r.err();
    return CalibratorFiles.load(out).calibrator();
  }

  private String lastErr;

  @Test
  void dirichletWithGivenOrCrossValidatedStrengths() throws IOException {
    GoldenCase g = GoldenCase.load("sst2-zeroshot-minilm");
    Path scores = GoldenCsv.scores(g, tmp);
    Calibrator given =
        fit(scores, "--method", "dirichlet", "--odir-lambda", "0.5", "--odir-mu", "2");
    assertThat(given).isEqualTo(DirichletCalibration.fit(g.raw(), 0.5, 2));
    // chosen by cross-validation: lambda 1, mu 0.001 as the scipy reference
    // (golden/calibrators-b/dirichlet.json, "cv" of this case)
    Calibrator chosen = fit(scores, "--method", "dirichlet");
    assertThat(lastErr).contains("dirichlet: lambda = 1.0, mu = 0.001 chosen by 3-fold");
    assertThat(chosen).isEqualTo(DirichletCalibration.fit(g.raw(), 1.0, 0.001));
  }

  @Test
  void prototypicalUsesTheSeed() throws IOException {
    GoldenCase g = GoldenCase.load("agnews-zeroshot-minilm");
    Path scores = GoldenCsv.scores(g, tmp);
    Calibrator seven = fit(scores, "--method", "prototypical", "--seed", "7");
    assertThat(seven).isEqualTo(PrototypicalCalibration.fit(g.rawDistributions(), 7));
    assertThat(seven).isInstanceOf(Calibrator.Mixture.class);
    Calibrator zero = fit(scores, "--method", "prototypical");
    assertThat(zero).isEqualTo(PrototypicalCalibration.fit(g.rawDistributions(), 0));
    // calibrate with the saved model: the posterior of the first row
    Path model = tmp.resolve("proto.json");
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "prototypical",
            "--scores",
            "logit",
            "--input",
            scores.toString(),
            "--output",
            model.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path calibrated = tmp.resolve("calibrated.csv");
    r =
        Cli.run(
            "calibrate",
            "--model",
            model.toString(),
            "--scores",
            "logit",
            "--input",
            scores.toString(),
            "--output",
            calibrated.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String first = Files.readAllLines(calibrated).get(1);
    double[] q = zero.apply(g.rawDistributions().get(0)).toArray();
    assertThat(first).contains(Double.toString(q[0]));
  }

  @Test
  void batchStrengthGivenOrChosen() throws IOException {
    GoldenCase g = GoldenCase.load("sst2-zeroshot-minilm");
    Path scores = GoldenCsv.scores(g, tmp);
    Calibrator plain = fit(scores, "--method", "batch");
    assertThat(plain).isEqualTo(BatchCalibration.fit(g.rawDistributions()));
    Calibrator half = fit(scores, "--method", "batch", "--gamma", "0.5");
    assertThat(half).isEqualTo(BatchCalibration.fit(g.rawDistributions(), 0.5));
    assertThat(((Calibrator.BiasCorrection) half).strength()).isEqualTo(0.5);
    Calibrator auto = fit(scores, "--method", "batch", "--gamma", "auto");
    Calibrator expected = BatchCalibration.fit(g.rawDistributions(), g.raw());
    assertThat(auto).isEqualTo(expected);
    assertThat(lastErr)
        .contains(
            "batch: gamma = "
                + ((Calibrator.BiasCorrection) expected).strength()
                + " chosen by the NLL of 1821 rows with gold");
    Path noGold = Files.writeString(tmp.resolve("nogold.csv"), "a,b\n0.5,1\n1,0.5\n");
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "batch",
            "--gamma",
            "auto",
            "--scores",
            "logit",
            "--input",
            noGold.toString(),
            "--output",
            tmp.resolve("x.json").toString());
    assertThat(r.code()).isEqualTo(Main.BAD_DATA);
    assertThat(r.err()).contains("no rows with gold; --gamma auto chooses gamma on labelled rows");
    assertThat(tmp.resolve("x.json")).doesNotExist();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "--method temperature --odir-lambda 1 --odir-mu 1;--odir-lambda and --odir-mu apply to"
            + " --method dirichlet only",
        "--method dirichlet --odir-lambda 1;Missing required argument(s): --odir-mu=<strength>",
        "--method dirichlet --odir-mu -1;is not a finite value >= 0",
        "--method temperature --gamma 1;--gamma applies to --method batch only",
        "--method batch --gamma -1;expected a finite value >= 0 (at most 1e300) or auto",
        "--method batch --gamma NaN;--gamma is NaN; expected a finite value >= 0",
        "--method batch --gamma often;expected a decimal number >= 0 or auto",
      })
  void badCombinationsAreUsageErrors(String options, String message) throws IOException {
    Path scores = Files.writeString(tmp.resolve("s.csv"), "gold,a,b\na,0.5,1\nb,1,0.5\n");
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "fit",
                "--scores",
                "logit",
                "--input",
                scores.toString(),
                "--output",
                tmp.resolve("m.json").toString()));
    args.addAll(java.util.List.of(options.split(" ")));
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains(message);
    assertThat(tmp.resolve("m.json")).doesNotExist();
  }
}
