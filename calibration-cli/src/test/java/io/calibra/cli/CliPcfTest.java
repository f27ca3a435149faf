package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The p_cf rules through the command line: {@code fit --method contextual --scores logprob} then
 * {@code calibrate} reproduces golden/fsl-parity-logprob.json (calibration-core's test resources;
 * values by numpy and the reference code's {@code eval_accuracy}, see golden/README.md).
 */
class CliPcfTest {
  @TempDir Path tmp;
  JsonNode golden;
  Path scores;
  Path cf;

  @BeforeEach
  void writeGoldenRows() throws IOException {
    PcfGoldenFiles files = PcfGoldenFiles.writeTo(tmp);
    golden = files.golden();
    scores = files.scores();
    cf = files.contentFree();
  }

  void assertGolden(Path calibrated) throws IOException {
    List<double[]> q = TestDir.columns(calibrated, "negative", "positive");
    JsonNode want = golden.get("expected").get("contextual_probabilities");
    assertThat(q).hasSize(want.size());
    int correct = 0;
    for (int i = 0; i < q.size(); i++) {
      for (int k = 0; k < 2; k++) {
        assertThat(q.get(i)[k])
            .as("row %d", i)
            .isCloseTo(want.get(i).get(k).asDouble(), within(1e-9));
      }
      int predicted = q.get(i)[1] > q.get(i)[0] ? 1 : 0;
      correct += predicted == golden.get("rows").get(i).get("gold").asInt() ? 1 : 0;
    }
    assertThat((double) correct / q.size())
        .isEqualTo(golden.get("expected").get("accuracy_contextual").asDouble());
  }

  @Test
  void fitThenCalibrateReproducesTheReferenceByDefault() throws IOException {
    Path model = tmp.resolve("model.json");
    Cli fit =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--content-free",
            cf.toString(),
            "--scores",
            "logprob",
            "--output",
            model.toString());
    assertThat(fit.code()).as(fit.err()).isZero();
    JsonNode saved = new ObjectMapper().readTree(model.toFile());
    JsonNode stage = saved.get("stages").get(0);
    assertThat(stage.get("pcf").asText()).isEqualTo("raw-mass");
    assertThat(stage.get("parameters").get("bias").get(0).asDouble())
        .isCloseTo(golden.get("expected").get("p_cf").get(0).asDouble(), within(1e-9));
    Path out = tmp.resolve("calibrated.csv");
    Cli cal =
        Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "logprob",
            "--input",
            scores.toString(),
            "--output",
            out.toString());
    assertThat(cal.code()).as(cal.err()).isZero();
    assertGolden(out);
  }

  @Test
  void oneStepCalibrateAndExplicitRules() throws IOException {
    Path out = tmp.resolve("one.csv");
    Cli cal =
        Cli.run(
            "calibrate",
            "--method",
            "contextual",
            "--pcf",
            "raw-mass",
            "--content-free",
            cf.toString(),
            "--scores",
            "logprob",
            "--input",
            scores.toString(),
            "--output",
            out.toString());
    assertThat(cal.code()).as(cal.err()).isZero();
    assertGolden(out);
    Path model = tmp.resolve("n.json");
    Cli fit =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--pcf",
            "normalised",
            "--content-free",
            cf.toString(),
            "--scores",
            "logprob",
            "--output",
            model.toString());
    assertThat(fit.code()).as(fit.err()).isZero();
    JsonNode stage = new ObjectMapper().readTree(model.toFile()).get("stages").get(0);
    assertThat(stage.get("pcf").asText()).isEqualTo("normalised");
    assertThat(stage.get("parameters").get("bias").get(0).asDouble())
        .isCloseTo(
            golden.get("expected").get("p_cf_if_normalised_first").get(0).asDouble(), within(1e-9));
    // domain-context on LM scores takes the same rule
    Path dc = tmp.resolve("dc.json");
    Cli d =
        Cli.run(
            "fit",
            "--method",
            "domain-context",
            "--content-free",
            cf.toString(),
            "--scores",
            "logprob",
            "--output",
            dc.toString());
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(Files.readString(dc, StandardCharsets.UTF_8)).contains("\"pcf\" : \"raw-mass\"");
  }

  @Test
  void usageErrors() {
    Path model = tmp.resolve("m.json");
    Cli bad =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--pcf",
            "raw",
            "--content-free",
            cf.toString(),
            "--scores",
            "logprob",
            "--output",
            model.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains("--pcf: p_cf rule 'raw' is unknown; expected raw-mass or normalised");
    Cli logit =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--pcf",
            "raw-mass",
            "--content-free",
            cf.toString(),
            "--scores",
            "logit",
            "--output",
            model.toString());
    assertThat(logit.code()).isEqualTo(2);
    assertThat(logit.err()).contains("--pcf raw-mass needs --scores logprob");
    assertThat(model).doesNotExist();
    Cli logitDefault =
        Cli.run(
            "fit",
            "--method",
            "contextual",
            "--content-free",
            cf.toString(),
            "--scores",
            "logit",
            "--output",
            model.toString());
    assertThat(logitDefault.code()).as(logitDefault.err()).isZero();
    Cli both =
        Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--pcf",
            "normalised",
            "--scores",
            "logit",
            "--input",
            scores.toString(),
            "--output",
            tmp.resolve("x.csv").toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--pcf applies to --method; a --calibrator keeps the p_cf");
  }
}
