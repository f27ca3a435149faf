package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.HistogramBinning;
import io.calibra.calibrate.IsotonicCalibration;
import io.calibra.calibrate.LogisticCalibration;
import io.calibra.io.CalibratorFiles;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binning and logistic methods through the command line on real files: {@code fit --method}
 * isotonic, histogram-binning (with {@code --bins}), scaling-binning, platt and beta save what the
 * Java API fits; {@code --bins} and two-label methods are checked; {@code fit --method auto} ranks
 * every applicable method and names each failure.
 */
class CliClasswiseMethodsTest {
  @TempDir Path tmp;

  private static final LabelSet THREE = LabelSet.of("x", "y", "z");
  private static final LabelSet TWO = LabelSet.of("neg", "pos");

  /** A seeded labelled score file (probabilities rounded to 3 decimals, so ties occur). */
  private static LabelledSet data(LabelSet labels, int n, long seed) {
    Random random = new Random(seed);
    List<LabelDistribution> rows = new ArrayList<>();
    int[] gold = new int[n];
    int k = labels.size();
    for (int i = 0; i < n; i++) {
      double[] w = new double[k];
      double sum = 0;
      for (int j = 0; j < k; j++) {
        w[j] = Math.exp(2 * random.nextGaussian());
        sum += w[j];
      }
      double[] p = new double[k];
      double rest = 1;
      for (int j = 0; j < k - 1; j++) {
        p[j] = Math.round(w[j] / sum * 1000) / 1000.0;
        rest -= p[j];
      }
      p[k - 1] = Math.max(0, rest);
      rows.add(LabelDistribution.ofProbabilities(labels, p));
      double u = random.nextDouble();
      int g = 0;
      double c = p[0];
      while (u > c && g < k - 1) {
        g++;
        c += p[g];
      }
      gold[i] = random.nextDouble() < 0.2 ? (g + 1) % k : g;
    }
    return LabelledSet.of(rows, gold);
  }

  private Path write(LabelledSet data, String name) throws IOException {
    StringBuilder sb = new StringBuilder("id,gold");
    for (String l : data.labels().names()) {
      sb.append(',').append(l);
    }
    sb.append('\n');
    for (int i = 0; i < data.size(); i++) {
      sb.append("r").append(i).append(',').append(data.goldName(i));
      for (double p : data.distribution(i).toArray()) {
        sb.append(',').append(p);
      }
      sb.append('\n');
    }
    return Files.writeString(tmp.resolve(name), sb.toString());
  }

  private Cli fit(Path input, String method, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "fit",
                "--method",
                method,
                "--scores",
                "prob",
                "--input",
                input.toString(),
                "--output",
                tmp.resolve(method + ".json").toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(new String[0]));
  }

  private Calibrator saved(String method) {
    return CalibratorFiles.load(tmp.resolve(method + ".json")).calibrator();
  }

  @Test
  void fitSavesWhatTheApiFits() throws IOException {
    LabelledSet three = data(THREE, 150, 1);
    Path dev = write(three, "dev3.csv");
    Cli iso = fit(dev, "isotonic");
    assertThat(iso.code()).as(iso.err()).isZero();
    assertThat(iso.err()).contains("wrote ", "isotonic, 3 labels");
    // the file holds the labels as read back from the CSV (names = words)
    LabelledSet read = LabelledSet.of(three.distributions(), three.goldArray());
    assertThat(saved("isotonic").apply(three.distribution(7)))
        .isEqualTo(IsotonicCalibration.fit(read).apply(three.distribution(7)));
    assertThat(((Calibrator.Isotonic) saved("isotonic")).thresholds(0))
        .containsExactly(((Calibrator.Isotonic) IsotonicCalibration.fit(read)).thresholds(0));

    Cli hist = fit(dev, "histogram-binning", "--bins", "4");
    assertThat(hist.code()).as(hist.err()).isZero();
    Calibrator.HistogramBinning h = (Calibrator.HistogramBinning) saved("histogram-binning");
    assertThat(h.bins()).isEqualTo(4);
    assertThat(h.values(2))
        .containsExactly(((Calibrator.HistogramBinning) HistogramBinning.fit(read, 4)).values(2));
    assertThat(((Calibrator.HistogramBinning) saved(fitDefault(dev))).bins()).isEqualTo(15);

    Cli sb = fit(dev, "scaling-binning", "--bins", "5");
    assertThat(sb.code()).as(sb.err()).isZero();
    assertThat(((Calibrator.ScalingBinning) saved("scaling-binning")).edges(1)).hasSize(5);

    // calibrate with the saved model: every output row is a distribution
    Path out = tmp.resolve("calibrated.csv");
    Cli cal =
        Cli.run(
            "calibrate",
            "--model",
            tmp.resolve("isotonic.json").toString(),
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            out.toString());
    assertThat(cal.code()).as(cal.err()).isZero();
    assertThat(Files.readAllLines(out)).hasSize(151);
  }

  private String fitDefault(Path dev) {
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "histogram-binning",
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            tmp.resolve("default.json").toString());
    assertThat(r.code()).as(r.err()).isZero();
    return "default";
  }

  @Test
  void plattAndBetaFitTwoLabelsAndRejectThreeNamingK() throws IOException {
    LabelledSet two = data(TWO, 200, 2);
    Path dev2 = write(two, "dev2.csv");
    for (String method : List.of("platt", "beta")) {
      Cli r = fit(dev2, method);
      assertThat(r.code()).as(r.err()).isZero();
      Calibrator.Logistic l = (Calibrator.Logistic) saved(method);
      Calibrator.Logistic api =
          (Calibrator.Logistic)
              (method.equals("platt")
                  ? LogisticCalibration.platt(two)
                  : LogisticCalibration.beta(two));
      assertThat(new double[] {l.a(), l.b(), l.c()}).containsExactly(api.a(), api.b(), api.c());
      assertThat(l.kind()).isEqualTo(CalibrationMethod.ofName(method));
    }
    Path dev3 = write(data(THREE, 50, 3), "dev3.csv");
    Cli three = fit(dev3, "platt");
    assertThat(three.code()).isEqualTo(3);
    assertThat(three.err())
        .contains("dev3.csv")
        .contains("platt calibration needs exactly 2 labels (K = 2); found K = 3 (x, y, z)");
    assertThat(tmp.resolve("platt.json")).exists(); // the K = 2 model from before, untouched
    assertThat(((Calibrator.Logistic) saved("platt")).labels()).isEqualTo(TWO);
  }

  @Test
  void binsIsCheckedAndOnlyForBinnedMethods() throws IOException {
    Path dev = write(data(THREE, 40, 4), "dev.csv");
    Cli temperature = fit(dev, "temperature", "--bins", "5");
    assertThat(temperature.code()).isEqualTo(2);
    assertThat(temperature.err())
        .contains(
            "--bins applies to --method histogram-binning and scaling-binning only; found"
                + " --method temperature");
    assertThat(tmp.resolve("temperature.json")).doesNotExist();
    Cli zero = fit(dev, "histogram-binning", "--bins", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("is not between 1 and 10000");
    Cli auto = fit(dev, "auto", "--bins", "5");
    assertThat(auto.code()).isEqualTo(2);
    assertThat(tmp.resolve("histogram-binning.json")).doesNotExist();
  }

  @Test
  void autoRanksEveryApplicableMethodAndNamesFailures() throws IOException {
    // two labels, gold = pos exactly when p_pos > .5: separable, so Platt and beta fail
    StringBuilder sb = new StringBuilder("id,gold,neg,pos\n");
    for (int i = 0; i < 40; i++) {
      double pos = Math.round((0.05 + 0.9 * i / 39.0) * 1000) / 1000.0;
      sb.append("r")
          .append(i)
          .append(',')
          .append(pos > 0.5 ? "pos" : "neg")
          .append(',')
          .append(Math.round((1 - pos) * 1000) / 1000.0)
          .append(',')
          .append(pos)
          .append('\n');
    }
    Path dev = Files.writeString(tmp.resolve("separable.csv"), sb.toString());
    Cli auto = fit(dev, "auto", "--folds", "4");
    assertThat(auto.code()).as(auto.err()).isZero();
    assertThat(auto.out())
        .contains("4-fold cross-validation on 40 rows")
        .contains("NLL - none (SE)")
        .contains("isotonic", "histogram-binning", "scaling-binning", "temperature")
        .contains("platt", "failed: fold 1 of 4: platt calibration has no unique")
        .contains("beta", "failed: fold 1 of 4: beta calibration has no unique");
    String best = auto.out().substring(auto.out().indexOf("best: ") + 6).trim();
    // separable rows, 20 per label: the scaling family fails in every fold, and isotonic and
    // binning, perfect on the held-out rows, can output 0 or 1: the raw scores are kept
    assertThat(auto.out())
        .contains("temperature                  failed: fold 1 of 4: temperature scaling has no")
        .contains("note: few rows");
    assertThat(best).isEqualTo("none");
    assertThat(CalibratorFiles.load(tmp.resolve("auto.json")).provenance().method())
        .isEqualTo(best);
    // three labels: Platt and beta do not apply, so they are not candidates at all
    Cli three = fit(write(data(THREE, 60, 5), "three.csv"), "auto");
    assertThat(three.code()).as(three.err()).isZero();
    assertThat(three.out()).contains("isotonic").doesNotContain("platt").doesNotContain("beta");
  }
}
