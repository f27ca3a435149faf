package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.io.CalibratorFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fit --method auto} with content-free log-probabilities ranks contextual calibration by
 * both p_cf rules. Data: golden/fsl-parity-logprob.json (calibration-core's test resources; see
 * golden/README.md); the raw-mass candidate's NLL is that of the golden's contextual_probabilities
 * (numpy), computed here, printed with 5 decimals.
 */
class CliAutoPcfTest {
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

  Cli auto(String scoresAs, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "fit",
                "--method",
                "auto",
                "--scores",
                scoresAs,
                "--input",
                scores.toString(),
                "--content-free",
                cf.toString(),
                "--output",
                tmp.resolve("auto.json").toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** The NLL column of a candidate's line in the ranking table. */
  static double nll(String table, String name) {
    for (String line : table.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f[0].equals(name)) {
        return Double.parseDouble(f[1]);
      }
    }
    throw new AssertionError("no line for " + name + " in\n" + table);
  }

  @Test
  void bothRulesAreRankedOnLogProbabilities() throws IOException {
    Cli run = auto("logprob");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("contextual/raw-mass ", "contextual/normalised ")
        .contains("contextual/raw-mass+temperature", "contextual/normalised+temperature");
    double want = 0;
    JsonNode q = golden.get("expected").get("contextual_probabilities");
    for (int i = 0; i < q.size(); i++) {
      int gold = golden.get("rows").get(i).get("gold").asInt();
      want -= Math.log(q.get(i).get(gold).asDouble()) / q.size();
    }
    assertThat(nll(run.out(), "contextual/raw-mass")).isCloseTo(want, within(6e-6));
    assertThat(nll(run.out(), "contextual/normalised"))
        .isNotCloseTo(nll(run.out(), "contextual/raw-mass"), within(1e-3));
    String best = run.out().substring(run.out().indexOf("best: ") + 6).trim();
    assertThat(CalibratorFiles.load(tmp.resolve("auto.json")).provenance().method())
        .isEqualTo(best);
  }

  @Test
  void pcfKeepsOneRule() {
    Cli normalised = auto("logprob", "--pcf", "normalised");
    assertThat(normalised.code()).as(normalised.err()).isZero();
    assertThat(normalised.out()).contains("contextual/normalised ").doesNotContain("raw-mass");
    Cli raw = auto("logprob", "--pcf", "RAW-MASS");
    assertThat(raw.code()).as(raw.err()).isZero();
    assertThat(raw.out()).contains("contextual/raw-mass ").doesNotContain("normalised");
  }

  @Test
  void logitsKeepTheNormalisedCandidateAndRefuseRawMass() {
    Cli logit = auto("logit");
    assertThat(logit.code()).as(logit.err()).isZero();
    assertThat(logit.out()).contains("contextual ").doesNotContain("contextual/");
    Cli refused = auto("logit", "--pcf", "raw-mass");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().toLowerCase(Locale.ROOT))
        .contains("--pcf raw-mass needs --scores logprob");
    assertThat(tmp.resolve("auto.json")).exists();
  }
}
