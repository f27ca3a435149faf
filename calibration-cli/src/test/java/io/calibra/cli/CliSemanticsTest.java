package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.VectorScaling;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.io.SavedCalibrator;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved label words, parameter bounds on load and the dev check of contextual calibration through
 * the command line, on real files in a temporary folder.
 */
class CliSemanticsTest {
  @TempDir Path tmp;

  private static final String DEV =
      "id,gold,world,sports\na,world,0.7,0.3\nb,sports,0.3,0.7\nc,world,0.6,0.4\nd,sports,0.2,0.8\n";

  /** {@link #DEV} and a misclassified row: separable rows have no temperature fit. */
  private static final String FITTING = DEV + "e,world,0.45,0.55\n";

  /** The words given with --label are saved; the file loads with the same LabelSet. */
  @Test
  void fitKeepsTheLabelWordsItWasGiven() throws IOException {
    Path dev = new TestDir(tmp).write("dev.csv", FITTING);
    Path model = tmp.resolve("model.json");
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--label",
            "world=World|Globe",
            "--label",
            "sports=Sports",
            "--output",
            model.toString());
    assertThat(r.code()).as(r.err()).isZero();
    LabelSet expected =
        LabelSet.builder().add("world", "World", "Globe").add("sports", "Sports").build();
    assertThat(CalibratorFiles.load(model).calibrator().labels()).isEqualTo(expected);

    Path cf = new TestDir(tmp).write("cf.csv", "world,sports\n0.4,0.6\n0.5,0.5\n");
    Path contextual = tmp.resolve("contextual.json");
    Cli c =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--scores",
            "prob",
            "--content-free",
            cf.toString(),
            "--label",
            "world=World|Globe",
            "--label",
            "sports=Sports",
            "--output",
            contextual.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(CalibratorFiles.load(contextual).calibrator().labels()).isEqualTo(expected);

    // Without --label, each name is its own word, as before.
    Cli plain =
        Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            model.toString());
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(CalibratorFiles.load(model).calibrator().labels())
        .isEqualTo(LabelSet.of("world", "sports"));

    // --label names that are not the file's columns: bad data, naming the column.
    Cli wrong =
        Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--label",
            "world=World",
            "--label",
            "business=Business",
            "--output",
            model.toString());
    assertThat(wrong.code()).as(wrong.err()).isEqualTo(3);
    assertThat(wrong.err()).contains("dev.csv").contains("sports");
  }

  /** A calibrator saved in Java with words is used by the CLI. */
  @Test
  void aCalibratorSavedInJavaWithWordsWorksInTheCli() throws IOException {
    LabelSet labels =
        LabelSet.builder().add("world", " World", " Globe").add("sports", " Sports").build();
    Calibrator vector = VectorScaling.of(labels, new double[] {1.5, 0.5}, new double[] {0.1, -0.2});
    Path model = tmp.resolve("java.json");
    CalibratorFiles.save(vector, Provenance.now("vector", null, null, null), model);
    Path input = new TestDir(tmp).write("in.csv", DEV);
    Path out = tmp.resolve("out.csv");
    Cli r =
        Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "prob",
            "--input",
            input.toString(),
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(5);
    String[] first = lines.get(1).split(",");
    double[] expected = vector.apply(LabelDistribution.ofProbabilities(labels, 0.7, 0.3)).toArray();
    assertThat(Double.parseDouble(first[2])).isEqualTo(expected[0]);
    assertThat(Double.parseDouble(first[3])).isEqualTo(expected[1]);
    // And the file loads in Java with the same label set after the CLI used it.
    SavedCalibrator loaded = CalibratorFiles.load(model);
    assertThat(loaded.calibrator().labels()).isEqualTo(labels);
  }

  private String calibratorJson(String stage) {
    return "{\"format\":\"calibra-calibrator\",\"schema_version\":2,"
        + "\"labels\":[{\"name\":\"world\",\"words\":[\"world\"]},"
        + "{\"name\":\"sports\",\"words\":[\"sports\"]}],"
        + "\"stages\":["
        + stage
        + "],\"policy\":null,\"provenance\":{\"method\":\"x\"}}";
  }

  /**
   * Parameters that would make outputs non-finite are rejected on load, exit 3 naming the
   * parameter, and no output file is written (was: exit 1, a stack trace and a header-only output).
   */
  @Test
  void calibratorFilesWithOverflowingParametersAreBadData() throws IOException {
    Path input = new TestDir(tmp).write("in.csv", DEV);
    String[][] cases = {
      {"{\"method\":\"temperature\",\"parameters\":{\"temperature\":[1e-320]}}", "temperature is"},
      {
        "{\"method\":\"vector\",\"parameters\":{\"weights\":[1,-1e308],\"bias\":[0,0]}}",
        "vector scaling weights[1] is -1.0E308"
      },
      {
        "{\"method\":\"matrix\",\"parameters\":{\"weights\":[1e308,0,0,1],\"bias\":[0,0]}}",
        "matrix scaling weights[0] is 1.0E308"
      },
      {
        "{\"method\":\"vector\",\"parameters\":{\"weights\":[1,1],\"bias\":[0,2e300]}}",
        "vector scaling bias[1] is 2.0E300"
      }
    };
    for (String[] c : cases) {
      Path model = new TestDir(tmp).write("bad.json", calibratorJson(c[0]));
      Path out = tmp.resolve("out.csv");
      Cli r =
          Cli.run(
              "calibrate",
              "--calibrator",
              model.toString(),
              "--scores",
              "prob",
              "--input",
              input.toString(),
              "--output",
              out.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(3);
      assertThat(r.err()).contains("bad.json").contains(c[1]).doesNotContain("\tat ");
      assertThat(out).doesNotExist();
    }
  }

  /**
   * {@code fit --method contextual} with --input rows that have gold reports the dev NLL and
   * accuracy before and after, and warns when they get worse. Hand computed: raw NLL -mean(log 0.7,
   * log 0.7) = 0.3567, accuracy 1; the content-free estimate (0.05, 0.95) turns the dev rows into
   * (14, 0.316) and (6, 0.737) before normalising: NLL 1.1176, accuracy 0.5.
   */
  @Test
  void contextualFitChecksTheLabelledRowsAndWarnsWhenWorse() throws IOException {
    Path dev =
        new TestDir(tmp).write("dev.csv", "gold,world,sports\nworld,0.7,0.3\nsports,0.3,0.7\n");
    Path misleading = new TestDir(tmp).write("cf.csv", "world,sports\n0.05,0.95\n0.05,0.95\n");
    Path model = tmp.resolve("c.json");
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--scores",
            "prob",
            "--content-free",
            misleading.toString(),
            "--input",
            dev.toString(),
            "--output",
            model.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "warning: contextual calibration made the dev set worse: contextual on 2 dev rows:"
                + " NLL 0.3567 -> 1.1176, accuracy 1.0000 -> 0.5000");

    Path neutral = new TestDir(tmp).write("cf-neutral.csv", "world,sports\n0.5,0.5\n");
    Cli ok =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--scores",
            "prob",
            "--content-free",
            neutral.toString(),
            "--input",
            dev.toString(),
            "--output",
            model.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.err())
        .contains("contextual on 2 dev rows: NLL 0.3567 -> 0.3567, accuracy 1.0000 -> 1.0000")
        .doesNotContain("warning");

    Path unlabelled = new TestDir(tmp).write("nogold.csv", "world,sports\n0.7,0.3\n");
    Cli none =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--scores",
            "prob",
            "--content-free",
            neutral.toString(),
            "--input",
            unlabelled.toString(),
            "--output",
            model.toString());
    assertThat(none.code()).as(none.err()).isZero();
    assertThat(none.err()).contains("no rows with gold in");
  }
}
