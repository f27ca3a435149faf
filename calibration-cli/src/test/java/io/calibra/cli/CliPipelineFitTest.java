package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.MethodFit;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.SavedCalibrator;
import io.calibra.io.ScoreFormat;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code fit --method a,b} fits a pipeline in one command. The expected calibrators are the same
 * stages fitted one by one in Java through the registry ({@link CalibrationMethod#fitting()}), each
 * on its rows calibrated by the stages before it; random data from seeds.
 */
class CliPipelineFitTest {
  static final LabelSet LABELS = LabelSet.of("a", "b", "c");

  @TempDir Path tmp;
  private TestDir dir;

  @BeforeEach
  void dir() {
    dir = new TestDir(tmp);
  }

  /** Random probability rows over LABELS, skewed towards label a (a label bias to correct). */
  static List<LabelDistribution> rows(Random random, int n) {
    List<LabelDistribution> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] p = new double[3];
      double sum = 0;
      for (int k = 0; k < 3; k++) {
        p[k] = (k == 0 ? 2.0 : 0.2) + random.nextDouble() * 3;
        sum += p[k];
      }
      for (int k = 0; k < 3; k++) {
        p[k] /= sum;
      }
      out.add(LabelDistribution.ofProbabilities(LABELS, p));
    }
    return out;
  }

  /** Writes rows (with gold where given) as a prob score file at full precision. */
  Path write(String name, List<LabelDistribution> rows, int[] gold) throws IOException {
    StringBuilder sb = new StringBuilder(gold == null ? "id,a,b,c\n" : "id,gold,a,b,c\n");
    for (int i = 0; i < rows.size(); i++) {
      sb.append("r").append(i);
      if (gold != null) {
        sb.append(',').append(LABELS.name(gold[i]));
      }
      for (double v : rows.get(i).toArray()) {
        sb.append(',').append(Double.toString(v));
      }
      sb.append('\n');
    }
    return dir.write(name, sb.toString());
  }

  /** Gold drawn from each row's distribution after removing some of the bias (seeded). */
  static int[] gold(Random random, List<LabelDistribution> rows) {
    int[] g = new int[rows.size()];
    for (int i = 0; i < g.length; i++) {
      double[] p = rows.get(i).toArray();
      double[] q = {p[0] * 0.5, p[1], p[2]};
      double u = random.nextDouble() * (q[0] + q[1] + q[2]);
      g[i] = u < q[0] ? 0 : u < q[0] + q[1] ? 1 : 2;
    }
    return g;
  }

  static Stream<Arguments> pipelines() {
    List<Arguments> out = new ArrayList<>();
    String[] lists = {
      "contextual,temperature",
      "contextual,vector",
      "temperature,contextual",
      "batch,temperature",
      "contextual-subtractive,matrix",
      "domain-context,temperature,identity",
      "generative,temperature"
    };
    for (String list : lists) {
      for (long seed = 1; seed <= 3; seed++) {
        out.add(Arguments.of(list, seed));
      }
    }
    return out.stream();
  }

  /**
   * The pipeline fitted in one command equals its stages fitted one by one in Java, and {@code
   * calibrate} applies every stage.
   */
  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("pipelines")
  void equalsTheStagesFittedOneByOneInJava(String list, long seed) throws IOException {
    Random random = new Random(seed);
    List<LabelDistribution> cf = rows(random, 3);
    List<LabelDistribution> dev = rows(random, 60);
    int[] gold = gold(random, dev);
    Path cfFile = write("cf.csv", cf, null);
    Path devFile = write("dev.csv", dev, gold);
    // the rows as the command reads them back from the files
    cf = ScoreRows.read(cfFile, ScoreFormat.PROB, null).distributions();
    dev = ScoreRows.read(devFile, ScoreFormat.PROB, null).distributions();
    Path model = tmp.resolve("pipeline.json");
    Cli r =
        Cli.run(
                "fit",
                "--method",
                list,
                "--scores",
                "prob",
                "--content-free",
                cfFile,
                "--input",
                devFile,
                "--output",
                model)
            .ok();
    assertThat(r.err()).contains("wrote " + model + ": ");

    Calibrator expected = null;
    for (String name : list.split(",")) {
      CalibrationMethod m = CalibrationMethod.ofName(name);
      Calibrator before = expected;
      List<LabelDistribution> cfIn = before == null ? cf : before.applyAll(cf);
      List<LabelDistribution> devIn = before == null ? dev : before.applyAll(dev);
      MethodFit f = m.fitting();
      Calibrator stage;
      if (f instanceof MethodFit.LabelledRows l) {
        stage = l.fit(LabelledSet.of(devIn, gold));
      } else if (f instanceof MethodFit.ContentFreeRows c) {
        stage = c.fit(cfIn);
      } else if (f instanceof MethodFit.SampledInputs s) {
        stage = s.fit(cfIn);
      } else if (f instanceof MethodFit.UnlabelledRows u) {
        stage = u.fit(devIn); // batch: the rows to calibrate
      } else {
        stage = ((MethodFit.Fixed) f).fit(LABELS);
      }
      expected = before == null ? stage : before.andThen(stage);
    }
    SavedCalibrator saved = CalibratorFiles.load(model);
    assertThat(saved.calibrator()).isEqualTo(expected);
    assertThat(saved.calibrator().stages()).hasSize(list.split(",").length);
    assertThat(saved.provenance().method()).isEqualTo(list.replace(',', '+'));

    Path out = tmp.resolve("calibrated.csv");
    Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--scores",
            "prob",
            "--input",
            devFile,
            "--output",
            out)
        .ok();
    List<double[]> got = TestDir.columns(out, "a", "b", "c");
    assertThat(got).hasSize(dev.size());
    for (int i = 0; i < dev.size(); i++) {
      assertThat(got.get(i)).as("row %d", i).containsExactly(expected.apply(dev.get(i)).toArray());
    }
  }

  /**
   * With log-probabilities the first contextual stage keeps the raw-mass p_cf rule (as {@code fit
   * --method contextual}); the temperature after it equals the one fitted by hand through the
   * command line: fit contextual, calibrate the dev rows, fit temperature on them.
   */
  @Test
  void logProbabilitiesKeepTheRawMassRuleAndEqualTheCommandsRunOneByOne() throws IOException {
    Random random = new Random(7);
    List<double[]> cfLogprobs = new ArrayList<>();
    StringBuilder cf = new StringBuilder("id,a,b,c\n");
    for (int i = 0; i < 3; i++) {
      double[] lp = {-1 - random.nextDouble(), -2 - random.nextDouble(), -3 - random.nextDouble()};
      cfLogprobs.add(lp);
      cf.append(String.format(Locale.ROOT, "cf%d,%s,%s,%s%n", i, lp[0], lp[1], lp[2]));
    }
    StringBuilder dev = new StringBuilder("id,gold,a,b,c\n");
    for (int i = 0; i < 80; i++) {
      double[] lp = {-random.nextDouble() * 3, -random.nextDouble() * 4, -random.nextDouble() * 5};
      dev.append(
          String.format(
              Locale.ROOT, "d%d,%s,%s,%s,%s%n", i, LABELS.name(i % 3), lp[0], lp[1], lp[2]));
    }
    Path cfFile = dir.write("cf.csv", cf.toString());
    Path devFile = dir.write("dev.csv", dev.toString());
    Path pipeline = tmp.resolve("pipeline.json");
    Cli.run(
            "fit",
            "--method",
            "contextual,temperature",
            "--scores",
            "logprob",
            "--content-free",
            cfFile,
            "--input",
            devFile,
            "--output",
            pipeline)
        .ok();

    Path contextual = tmp.resolve("contextual.json");
    Cli.run(
            "fit",
            "--method",
            "contextual",
            "--scores",
            "logprob",
            "--content-free",
            cfFile,
            "--output",
            contextual)
        .ok();
    Path calibratedDev = tmp.resolve("dev-contextual.csv");
    Cli.run(
            "calibrate",
            "--calibrator",
            contextual,
            "--scores",
            "logprob",
            "--input",
            devFile,
            "--output",
            calibratedDev)
        .ok();
    Path temperature = tmp.resolve("temperature.json");
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            calibratedDev,
            "--output",
            temperature)
        .ok();

    List<Calibrator> stages = CalibratorFiles.load(pipeline).calibrator().stages();
    assertThat(stages).hasSize(2);
    List<LabelScores> scores =
        cfLogprobs.stream()
            .map(lp -> LabelScores.of(LABELS, ScoreKind.LOG_PROBABILITY, lp))
            .toList();
    assertThat(stages.get(0))
        .isEqualTo(
            ContextualCalibration.fit(
                scores, ContextualCalibration.Form.DIAGONAL, ContextualCalibration.Rule.RAW_MASS))
        .isEqualTo(CalibratorFiles.load(contextual).calibrator());
    double byHand =
        ((Calibrator.Temperature) CalibratorFiles.load(temperature).calibrator()).temperature();
    assertThat(((Calibrator.Temperature) stages.get(1)).temperature())
        .isCloseTo(byHand, within(1e-9 * byHand));
  }

  private Cli fit(String list, Object... more) throws IOException {
    Path cf = dir.write("cf.csv", "a,b,c\n0.5,0.3,0.2\n0.6,0.2,0.2\n");
    Path dev = dir.write("dev.csv", "gold,a,b,c\na,0.5,0.3,0.2\nb,0.2,0.5,0.3\nc,0.3,0.3,0.4\n");
    return Cli.run(
        "fit",
        "--method",
        list,
        "--scores",
        "prob",
        "--content-free",
        cf,
        "--input",
        dev,
        more,
        "--output",
        tmp.resolve("p.json"));
  }

  @Test
  void badListsAreUsageErrorsAndWriteNothing() throws IOException {
    fit("contextual,magic")
        .exits(2, "--method contextual,magic: 'magic' is unknown; expected one of", "temperature")
        .oneLine();
    fit("contextual,pipeline").exits(2, "'pipeline' is unknown").oneLine();
    fit("temperature,contextual,temperature").exits(2, "temperature is given twice").oneLine();
    fit("contextual,auto").exits(2, "auto cannot be a pipeline stage").oneLine();
    fit("auto,temperature").exits(2, "auto cannot be a pipeline stage").oneLine();
    fit("contextual,").exits(2, "has an empty method name").oneLine();
    fit(",temperature").exits(2, "has an empty method name").oneLine();
    fit("contextual,,temperature").exits(2, "has an empty method name").oneLine();
    fit("temperature,contextual", "--pcf", "raw-mass")
        .exits(2, "--pcf raw-mass needs --scores logprob")
        .oneLine();
    assertThat(tmp.resolve("p.json")).doesNotExist();
  }

  @Test
  void aStageWithoutItsInputsIsAUsageErrorBeforeAnythingIsRead() throws IOException {
    Path cf = dir.write("cf.csv", "a,b,c\n0.5,0.3,0.2\n");
    Path dev = dir.write("dev.csv", "gold,a,b,c\na,0.5,0.3,0.2\nb,0.2,0.5,0.3\n");
    Path out = tmp.resolve("p.json");
    Cli.run(
            "fit",
            "--method",
            "contextual,temperature",
            "--scores",
            "prob",
            "--content-free",
            cf,
            "--output",
            out)
        .exits(
            2,
            "--method contextual,temperature: stage 2, temperature, needs --input (rows with gold)")
        .oneLine();
    Cli.run(
            "fit",
            "--method",
            "contextual,temperature",
            "--scores",
            "prob",
            "--input",
            dev,
            "--output",
            out)
        .exits(2, "stage 1, contextual, needs --content-free")
        .oneLine();
    Cli.run(
            "fit",
            "--method",
            "temperature,leave-one-out",
            "--scores",
            "prob",
            "--input",
            dev,
            "--output",
            out)
        .exits(2, "stage 2, leave-one-out, needs --leave-one-out")
        .oneLine();
    // the missing input is reported even when a given file is bad: nothing is read first
    Path broken = dir.write("broken.csv", "not,a,score,file\n");
    Cli.run(
            "fit",
            "--method",
            "contextual,temperature",
            "--scores",
            "prob",
            "--content-free",
            broken,
            "--output",
            out)
        .exits(2, "needs --input")
        .oneLine();
    assertThat(out).doesNotExist();
  }

  /** Identity is fitted on nothing: it needs no file, and takes the labels of the others. */
  @Test
  void anIdentityStageNeedsNoFile() throws IOException {
    Path cf = dir.write("cf.csv", "a,b,c\n0.5,0.3,0.2\n0.4,0.4,0.2\n");
    Path out = tmp.resolve("p.json");
    Cli.run(
            "fit",
            "--method",
            "identity,contextual",
            "--scores",
            "prob",
            "--content-free",
            cf,
            "--output",
            out)
        .ok();
    List<Calibrator> stages = CalibratorFiles.load(out).calibrator().stages();
    assertThat(stages)
        .extracting(Calibrator::kind)
        .containsExactly(CalibrationMethod.IDENTITY, CalibrationMethod.CONTEXTUAL);
    assertThat(stages.get(0).labels()).isEqualTo(stages.get(1).labels()).isEqualTo(LABELS);
  }

  @Test
  void rawMassAppliesToAFirstContextualStageOnly() throws IOException {
    Path cf = dir.write("cf.csv", "a,b,c\n-1,-2,-3\n");
    // the last row is misclassified: separable rows have no temperature fit
    Path dev =
        dir.write(
            "dev.csv", "gold,a,b,c\na,-0.5,-2,-3\nb,-2,-0.4,-3\nc,-2,-3,-0.3\na,-2,-0.5,-3\n");
    Cli.run(
            "fit",
            "--method",
            "temperature,contextual",
            "--scores",
            "logprob",
            "--pcf",
            "raw-mass",
            "--content-free",
            cf,
            "--input",
            dev,
            "--output",
            tmp.resolve("p.json"))
        .exits(2, "--pcf raw-mass applies to a first stage only: stage 2, contextual")
        .oneLine();
    // without --pcf, a later contextual stage uses the normalised rule on calibrated rows
    Cli.run(
            "fit",
            "--method",
            "temperature,contextual",
            "--scores",
            "logprob",
            "--content-free",
            cf,
            "--input",
            dev,
            "--output",
            tmp.resolve("p.json"))
        .ok();
    Calibrator later = CalibratorFiles.load(tmp.resolve("p.json")).calibrator().stages().get(1);
    assertThat(later.kind()).isEqualTo(CalibrationMethod.CONTEXTUAL);
  }

  @Test
  void aBadRowInALaterStagesFileIsBadDataNamingIt() throws IOException {
    Path cf = dir.write("cf.csv", "a,b,c\n0.5,0.3,0.2\n");
    Path dev = dir.write("dev.csv", "gold,a,b,c\na,0.5,0.3,0.2\nb,0.2,0.5,zero\n");
    Cli.run(
            "fit",
            "--method",
            "contextual,temperature",
            "--scores",
            "prob",
            "--content-free",
            cf,
            "--input",
            dev,
            "--output",
            tmp.resolve("p.json"))
        .exits(3, "dev.csv:3:4", "'zero' for label 'c' is not a number");
    assertThat(tmp.resolve("p.json")).doesNotExist();
  }
}
