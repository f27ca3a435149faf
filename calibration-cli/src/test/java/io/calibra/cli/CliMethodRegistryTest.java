package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.io.CalibratorFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's --method options take their names from the registry {@link CalibrationMethod}, show
 * them in --help, and reject others as usage errors (exit 2).
 */
class CliMethodRegistryTest {
  @TempDir Path tmp;

  private static final String DEV =
      "id,gold,world,sports\na,world,0.7,0.3\nb,sports,0.3,0.7\nc,world,0.6,0.4\nd,sports,0.2,0.8\n";

  @Test
  void fitHelpListsEveryRegisteredStageMethodAndAuto() {
    Cli r = Cli.run("fit", "--help");
    assertThat(r.code()).isZero();
    String help = r.out().replaceAll("\\s+", " ");
    // the candidates listed after "One of: ", exactly: every stage method, then auto (never the
    // pipeline, which is not a method one fits; lists of stages are described after them)
    String listed = help.substring(help.indexOf("One of: ") + 8);
    listed = listed.substring(0, listed.indexOf(';'));
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (CalibrationMethod m : CalibrationMethod.stageMethods()) {
      expected.add(m.methodName());
    }
    expected.add("auto");
    assertThat(listed.split(", ")).containsExactlyElementsOf(expected);
  }

  @Test
  void calibrateHelpListsTheOneStepMethods() {
    Cli r = Cli.run("calibrate", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("--content-free: contextual, contextual-subtractive, domain-context.");
  }

  @Test
  void unknownMethodsAreUsageErrorsListingTheNames() throws IOException {
    Path dev = Files.writeString(tmp.resolve("dev.csv"), DEV);
    Path out = tmp.resolve("model.json");
    Cli fit =
        Cli.run(
            "fit",
            "--method",
            "venn-abers",
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            out.toString());
    assertThat(fit.code()).isEqualTo(2);
    assertThat(fit.err())
        .contains("--method venn-abers is unknown; expected one of identity, contextual,")
        .contains("matrix, ")
        .contains("platt, beta")
        .contains(", auto");
    Cli pipeline =
        Cli.run(
            "fit",
            "--method",
            "pipeline",
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            out.toString());
    assertThat(pipeline.code()).isEqualTo(2);
    assertThat(out).doesNotExist();

    Cli calibrate =
        Cli.run(
            "calibrate",
            "--method",
            "venn-abers",
            "--content-free",
            dev.toString(),
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            out.toString());
    assertThat(calibrate.code()).isEqualTo(2);
    assertThat(calibrate.err()).contains("venn-abers");
    Cli twoStep =
        Cli.run(
            "calibrate",
            "--method",
            "temperature",
            "--content-free",
            dev.toString(),
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            out.toString());
    assertThat(twoStep.code()).isEqualTo(2);
    assertThat(twoStep.err())
        .contains(
            "--method temperature cannot be fitted in one step; expected one of contextual,"
                + " contextual-subtractive, domain-context");
    assertThat(out).doesNotExist();
  }

  /** The identity method fits on nothing but the labels, and its file loads as the identity. */
  @Test
  void fitIdentitySavesAnIdentityThatLoads() throws IOException {
    Path dev = Files.writeString(tmp.resolve("dev.csv"), DEV);
    Path out = tmp.resolve("identity.json");
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "identity",
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Calibrator loaded = CalibratorFiles.load(out).calibrator();
    assertThat(loaded).isInstanceOf(Calibrator.Identity.class);
    assertThat(loaded.kind()).isEqualTo(CalibrationMethod.IDENTITY);
    assertThat(r.err()).contains("identity, 2 labels, 0 parameters");
  }

  /** A one-step domain-context calibration through the registry, as contextual. */
  @Test
  void calibrateFitsEveryContentFreeMethodInOneStep() throws IOException {
    Path dev = Files.writeString(tmp.resolve("dev.csv"), DEV);
    Path cf = Files.writeString(tmp.resolve("cf.csv"), "world,sports\n0.4,0.6\n0.5,0.5\n");
    Path out = tmp.resolve("calibrated.csv");
    Cli r =
        Cli.run(
            "calibrate",
            "--method",
            "domain-context",
            "--content-free",
            cf.toString(),
            "--scores",
            "prob",
            "--input",
            dev.toString(),
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // p_cf = (0.45, 0.55); row a: (0.7/0.45, 0.3/0.55) normalised, hand computed: 0.74038...
    assertThat(Files.readString(out)).contains("0.7403846153846");
  }

  /** fit --method generative reads the sampled inputs' scores from --content-free. */
  @Test
  void fitGenerativeReadsTheSampledInputsFromContentFree() throws IOException {
    Path sampled =
        Files.writeString(tmp.resolve("sampled.csv"), "world,sports\n0.4,0.6\n0.5,0.5\n");
    Path out = tmp.resolve("generative.json");
    Cli r =
        Cli.run(
            "fit",
            "--method",
            "generative",
            "--scores",
            "prob",
            "--content-free",
            sampled.toString(),
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Calibrator loaded = CalibratorFiles.load(out).calibrator();
    assertThat(loaded.kind()).isEqualTo(CalibrationMethod.GENERATIVE);
    // hand computed: the mean of (0.4, 0.6) and (0.5, 0.5)
    assertThat(((Calibrator.BiasCorrection) loaded).bias().toArray()).containsExactly(0.45, 0.55);
    assertThat(Files.readString(out)).doesNotContain("pcf");
    Cli missing =
        Cli.run(
            "fit",
            "--method",
            "generative",
            "--scores",
            "prob",
            "--output",
            tmp.resolve("none.json").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--method generative needs --content-free");
  }
}
