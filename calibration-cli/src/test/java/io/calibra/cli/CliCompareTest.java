package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.golden.GoldenCase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibra compare A B [C ...]}: the paired differences of each file against the first, equal
 * to the numpy/scipy reference of calibration-core's golden/statistics/make_paired_cases.py on the
 * SST-2 zero-shot case (raw logits against contextual probabilities); rows that differ in id, gold
 * or number exit 3 naming the row and both values.
 */
class CliCompareTest {
  @TempDir Path tmp;

  private static JsonNode reference() throws IOException {
    try (InputStream in =
        CliCompareTest.class.getResourceAsStream("/golden/statistics/paired-cases.json")) {
      return new ObjectMapper().readTree(in).get("cases").get(0);
    }
  }

  /** The golden case's contextual probabilities as a prob score file with its ids and gold. */
  private Path contextual(GoldenCase g) throws IOException {
    List<String> header = new ArrayList<>(List.of("id", "gold"));
    header.addAll(g.labels.names());
    List<List<String>> rows = new ArrayList<>();
    JsonNode p = g.expected.get("contextual").get("probabilities");
    for (int i = 0; i < p.size(); i++) {
      List<String> row = new ArrayList<>(List.of("row" + i, g.labels.name(g.gold[i])));
      p.get(i).forEach(v -> row.add(Double.toString(v.asDouble())));
      rows.add(row);
    }
    return TestDir.csv(tmp.resolve("contextual.csv"), header, rows);
  }

  @Test
  void jsonCarriesTheDifferencesIntervalsAndTestsOfTheReference() throws IOException {
    JsonNode ref = reference();
    GoldenCase g = GoldenCase.load(ref.get("name").asText());
    Path raw = GoldenCsv.scores(g, tmp);
    Path calibrated = contextual(g);
    Cli r =
        Cli.run(
                "compare",
                raw,
                calibrated,
                "--scores",
                "logit",
                "--scores",
                "prob",
                "--bootstrap",
                "200",
                "--seed",
                "42",
                "--json")
            .ok();
    JsonNode out = new ObjectMapper().readTree(r.out());
    assertThat(out.get("rows").asInt()).isEqualTo(g.gold.length);
    assertThat(out.get("comparisons")).hasSize(1);
    JsonNode c = out.get("comparisons").get(0);
    assertThat(c.get("file").asText()).isEqualTo(calibrated.toString());
    for (String key : List.of("accuracy", "macro_f1", "nll", "brier", "ece")) {
      JsonNode want = ref.get("differences").get(key);
      JsonNode got = c.get("differences").get(key);
      assertThat(got.get("difference").asDouble())
          .as(key)
          .isCloseTo(want.get("difference").asDouble(), within(1e-12));
      for (int end = 0; end < 2; end++) {
        assertThat(got.get("ci").get(end).asDouble())
            .as(key)
            .isCloseTo(want.get("interval").get(end).asDouble(), within(1e-9));
      }
    }
    JsonNode mc = ref.get("mcnemar");
    assertThat(c.get("mcnemar").get("only_a_correct").asInt()).isEqualTo(mc.get("only_a").asInt());
    assertThat(c.get("mcnemar").get("only_b_correct").asInt()).isEqualTo(mc.get("only_b").asInt());
    assertThat(c.get("mcnemar").get("p").asDouble())
        .isCloseTo(mc.get("p").asDouble(), within(1e-9 * mc.get("p").asDouble()));
    assertThat(c.get("nll_paired_t").get("p").asDouble())
        .isCloseTo(
            ref.get("nll_t").get("p").asDouble(),
            within(1e-9 * ref.get("nll_t").get("p").asDouble()));
  }

  @Test
  void everyFileIsComparedWithTheFirstInATable() throws IOException {
    TestDir dir = new TestDir(tmp);
    Path a = dir.randomScores("a.csv", 60, 1);
    Path b = Files.writeString(tmp.resolve("b.csv"), Files.readString(a));
    Cli r = Cli.run("compare", a, b, a, "--scores", "prob", "--bootstrap", "50").ok();
    assertThat(r.out())
        .contains("B = " + b + "  vs  A = " + a + "  (60 rows)")
        .contains("B = " + a + "  vs  A = " + a)
        .containsPattern(
            "accuracy +0\\.\\d+ +0\\.\\d+ +\\+0\\.000000  \\[\\+0\\.000000, \\+0\\.000000\\]")
        .contains("McNemar exact test (accuracy): 0 rows right under A only, 0 under B only, p = 1")
        .contains("paired t-test (NLL): undefined")
        .contains("paired percentile bootstrap, 50 resamples, seed 0");
  }

  @Test
  void rowsThatDifferExitThreeNamingTheFirstRowAndBothValues() throws IOException {
    Path a =
        Files.writeString(
            tmp.resolve("a.csv"),
            "id,gold,negative,positive\nx,negative,0.8,0.2\ny,positive,0.4,0.6\nz,positive,0.1,0.9\n");
    Path gold =
        Files.writeString(
            tmp.resolve("gold.csv"),
            "id,gold,negative,positive\nx,negative,0.8,0.2\ny,negative,0.4,0.6\nz,positive,0.1,0.9\n");
    Path ids =
        Files.writeString(
            tmp.resolve("ids.csv"),
            "id,gold,negative,positive\nx,negative,0.8,0.2\nz,positive,0.1,0.9\ny,positive,0.4,0.6\n");
    Path shorter =
        Files.writeString(
            tmp.resolve("short.csv"),
            "id,gold,negative,positive\nx,negative,0.8,0.2\ny,positive,0.4,0.6\n");
    Path noGold =
        Files.writeString(
            tmp.resolve("nogold.csv"), "id,negative,positive\nx,0.8,0.2\ny,0.4,0.6\nz,0.1,0.9\n");
    Path labels =
        Files.writeString(
            tmp.resolve("labels.csv"),
            "id,gold,negative,neutral\nx,negative,0.8,0.2\ny,neutral,0.4,0.6\nz,neutral,0.1,0.9\n");
    assertThat(Cli.run("compare", a, gold, "--scores", "prob").err())
        .isEqualTo(
            "calibra: "
                + gold
                + ":3: row 2 has gold 'negative', but row 2 of "
                + a
                + " has gold 'positive'; compare needs the same rows in the same order\n");
    assertThat(Cli.run("compare", a, ids, "--scores", "prob").err())
        .contains(ids + ":3: row 2 has id 'z', but row 2 of " + a + " has id 'y'");
    assertThat(Cli.run("compare", a, shorter, "--scores", "prob").err())
        .contains("has 2 rows and " + a + " has 3");
    assertThat(Cli.run("compare", a, noGold, "--scores", "prob").err())
        .contains("row has no gold label; compare needs one per row");
    for (Path other : List.of(gold, ids, shorter, noGold, labels)) {
      Cli r = Cli.run("compare", a, other, "--scores", "prob");
      assertThat(r.code()).as(r.err()).isEqualTo(Main.BAD_DATA);
      assertThat(r.out()).isEmpty();
      assertThat(r.err().lines()).hasSize(1);
    }
  }

  @Test
  void badOptionsExitTwo() throws IOException {
    Path a = new TestDir(tmp).randomScores("a.csv", 10, 1);
    for (Object[] args :
        List.of(
            new Object[] {a, a, a, "--scores", "prob", "--scores", "prob"},
            new Object[] {a, a, "--scores", "prob", "--bootstrap", "0"},
            new Object[] {a, a, "--scores", "prob", "--confidence", "1"},
            new Object[] {a, "--scores", "prob"},
            new Object[] {a, a, "--scores", "probs"})) {
      Cli r = Cli.run("compare", args);
      assertThat(r.code()).as(r.err()).isEqualTo(Main.USAGE);
      assertThat(r.err().lines()).hasSize(1);
    }
  }
}
