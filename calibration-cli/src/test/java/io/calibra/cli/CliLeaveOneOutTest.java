package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibra fit --method leave-one-out} on a leave-one-out score file. Expected bias from
 * numpy via scripts/loo_generative_reference.py on the same numbers.
 */
class CliLeaveOneOutTest {
  @TempDir Path tmp;

  Path looFile() throws IOException {
    return Files.writeString(
        tmp.resolve("loo.csv"),
        "id,gold,a,b,c\n"
            + "demonstration-0,a,-1.2,-2.3,-3.1\n"
            + "demonstration-1,a,-0.7,-2.9,-2.2\n"
            + "demonstration-2,b,-2.5,-0.9,-1.8\n"
            + "demonstration-3,c,-1.9,-1.4,-0.6\n"
            + "demonstration-4,b,-3.0,-1.1,-2.7\n");
  }

  @Test
  void fitsTheClassBalancedBiasAndCalibrates() throws IOException {
    Path model = tmp.resolve("loo.json");
    Cli fit =
        Cli.run(
            "fit",
            "--method",
            "leave-one-out",
            "--leave-one-out",
            looFile().toString(),
            "--scores",
            "logprob",
            "--output",
            model.toString());
    assertThat(fit.code()).as(fit.err()).isZero();
    JsonNode stage = new ObjectMapper().readTree(model.toFile()).get("stages").get(0);
    assertThat(stage.get("method").asText()).isEqualTo("leave-one-out");
    double[] want = {0.32949565526490754, 0.3651944430142419, 0.30530990172085054};
    for (int k = 0; k < 3; k++) {
      assertThat(stage.get("parameters").get("bias").get(k).asDouble())
          .isCloseTo(want[k], within(1e-12));
    }
    Path in = Files.writeString(tmp.resolve("test.csv"), "id,a,b,c\nx,-1.5,-1.0,-2.0\n");
    Path out = tmp.resolve("out.csv");
    Cli cal =
        Cli.run(
            "calibrate",
            "--calibrator",
            model.toString(),
            "--scores",
            "logprob",
            "--input",
            in.toString(),
            "--output",
            out.toString());
    assertThat(cal.code()).as(cal.err()).isZero();
    String[] cells = Files.readAllLines(out).get(1).split(",");
    assertThat(Double.parseDouble(cells[1])).isCloseTo(0.3182552129991383, within(1e-12));
    assertThat(Double.parseDouble(cells[2])).isCloseTo(0.47342185080861776, within(1e-12));
  }

  @Test
  void errors() throws IOException {
    Path model = tmp.resolve("m.json");
    Cli missing =
        Cli.run(
            "fit",
            "--method",
            "leave-one-out",
            "--scores",
            "logprob",
            "--output",
            model.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--method leave-one-out needs --leave-one-out");
    Path noGold =
        Files.writeString(tmp.resolve("nogold.csv"), "id,gold,a,b\nd0,a,-1,-2\nd1,,-2,-1\n");
    Cli bad =
        Cli.run(
            "fit",
            "--method",
            "leave-one-out",
            "--leave-one-out",
            noGold.toString(),
            "--scores",
            "logprob",
            "--output",
            model.toString());
    assertThat(bad.code()).isEqualTo(3);
    assertThat(bad.err())
        .contains("nogold.csv:3")
        .contains("a leave-one-out row needs its demonstration's label in the gold column");
    assertThat(model).doesNotExist();
  }
}
