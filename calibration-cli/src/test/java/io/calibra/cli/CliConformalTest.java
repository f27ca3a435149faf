package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.io.AtomicOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code calibra conformal} on real files: sets and qhat equal to the numpy reference of
 * calibration-core's golden/conformal/make_conformal_cases.py (AG News MiniLM, fixed split), files
 * written atomically, bad usage exit 2, bad data exit 3.
 */
class CliConformalTest {
  private static final JsonNode AGNEWS = agnews();

  @TempDir Path tmp;
  private Path cal;
  private Path test;

  private static JsonNode agnews() {
    try (InputStream in =
        CliConformalTest.class.getResourceAsStream("/golden/conformal/conformal-cases.json")) {
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        if (c.get("name").asText().equals("agnews-zeroshot-minilm")) {
          return c;
        }
      }
      throw new IllegalStateException("no agnews case");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> labels() {
    List<String> out = new ArrayList<>();
    AGNEWS.get("labels").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The part's probabilities as a prob score file, with id and gold (or without gold). */
  private Path write(String part, String name, boolean withGold) throws IOException {
    List<String> labels = labels();
    List<String> header = new ArrayList<>(List.of("id"));
    if (withGold) {
      header.add("gold");
    }
    header.addAll(labels);
    List<List<String>> rows = new ArrayList<>();
    JsonNode p = AGNEWS.get(part).get("probabilities");
    for (int i = 0; i < p.size(); i++) {
      List<String> row = new ArrayList<>(List.of(part + i));
      if (withGold) {
        row.add(labels.get(AGNEWS.get(part).get("gold").get(i).asInt()));
      }
      p.get(i).forEach(v -> row.add(Double.toString(v.asDouble())));
      rows.add(row);
    }
    return new TestDir(tmp).csv(name, header, rows);
  }

  @BeforeEach
  void files() throws IOException {
    cal = write("calibration", "dev.csv", true);
    test = write("test", "test.csv", true);
  }

  private Cli conformal(Object... extra) {
    return Cli.run(
        "conformal", "--labelled-scores", cal, "--input", test, "--scores", "prob", extra);
  }

  private static JsonNode expected(String score, double alpha, boolean mondrian) {
    for (JsonNode r : AGNEWS.get("results")) {
      if (r.get("score").asText().equals(score)
          && r.get("alpha").asDouble() == alpha
          && r.get("mondrian").asBoolean() == mondrian) {
        return r;
      }
    }
    throw new IllegalStateException(score + " " + alpha + " " + mondrian);
  }

  @ParameterizedTest(name = "{0} alpha={1} mondrian={2}")
  @CsvSource({
    "lac,0.1,false",
    "lac,0.1,true",
    "aps,0.2,false",
    "raps,0.05,true",
    "aps,0.001,false"
  })
  void setsAndSummaryMatchTheNumpyReference(String score, double alpha, boolean mondrian)
      throws IOException {
    Path out = tmp.resolve("sets.csv");
    List<Object> args =
        new ArrayList<>(
            List.of(
                "--alpha", Double.toString(alpha), "--method", score, "--output", out, "--json"));
    if (mondrian) {
      args.add("--mondrian");
    }
    if (score.equals("raps")) {
      args.addAll(List.of("--k-reg", "2", "--lambda", "0.01"));
    }
    Cli r = conformal(args).ok();
    JsonNode e = expected(score, alpha, mondrian);
    List<String> labels = labels();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo("id,gold,set,size");
    assertThat(lines).hasSize(AGNEWS.get("test").get("gold").size() + 1);
    for (int i = 0; i < lines.size() - 1; i++) {
      List<String> names = new ArrayList<>();
      e.get("sets").get(i).forEach(k -> names.add(labels.get(k.asInt())));
      String gold = labels.get(AGNEWS.get("test").get("gold").get(i).asInt());
      assertThat(lines.get(i + 1))
          .isEqualTo("test" + i + "," + gold + "," + String.join("|", names) + "," + names.size());
    }
    JsonNode summary = new ObjectMapper().readTree(r.out());
    assertThat(summary.get("coverage").asDouble()).isEqualTo(e.get("coverage").asDouble());
    assertThat(summary.get("mean_set_size").asDouble())
        .isEqualTo(e.get("mean_set_size").asDouble());
    assertThat(summary.get("alpha").asDouble()).isEqualTo(alpha);
    assertThat(summary.get("score").asText()).isEqualTo(score);
    JsonNode q = summary.get("qhat");
    for (int k = 0; k < labels.size(); k++) {
      JsonNode got = mondrian ? q.get(labels.get(k)) : q;
      JsonNode want = e.get("qhat").get(k);
      if (want.isTextual()) {
        assertThat(got.isNull()).as("infinite qhat is null").isTrue();
      } else {
        assertThat(got.asDouble()).isEqualTo(want.asDouble());
      }
    }
  }

  @Test
  void standardInputAndOutputWithoutGold() throws IOException {
    Path noGold = write("test", "nogold.csv", false);
    Cli r =
        Cli.runWithInput(
            Files.readAllBytes(noGold),
            "conformal",
            "--labelled-scores",
            cal,
            "--input",
            "-",
            "--scores",
            "prob",
            "--alpha",
            "0.1",
            "--method",
            "lac",
            "--output",
            "-",
            "--json");
    r.ok();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("id,set,size");
    assertThat(lines).hasSize(301);
    // the summary goes to standard error when the sets go to standard output; no coverage
    String json = r.err().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    JsonNode summary = new ObjectMapper().readTree(json);
    assertThat(summary.has("coverage")).isFalse();
    assertThat(summary.get("qhat").asDouble())
        .isEqualTo(expected("lac", 0.1, false).get("qhat").get(0).asDouble());
  }

  @Test
  void randomisedSetsAreReproducibleAndDependOnTheSeed() throws IOException {
    Path a = tmp.resolve("a.csv");
    Path b = tmp.resolve("b.csv");
    Path c = tmp.resolve("c.csv");
    String[] common = {"--alpha", "0.1", "--method", "aps", "--randomised"};
    conformal(common, "--seed", "3", "--output", a).ok();
    conformal(common, "--seed", "3", "--output", b).ok();
    conformal(common, "--seed", "4", "--output", c).ok();
    assertThat(Files.readString(a))
        .isEqualTo(Files.readString(b))
        .isNotEqualTo(Files.readString(c));
  }

  @Test
  void theOutputIsNeverAnInputAndAFailureKeepsThePreviousFile() throws IOException {
    byte[] calBytes = Files.readAllBytes(cal);
    Cli r = conformal("--alpha", "0.1", "--method", "lac", "--output", cal);
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("is the same file as --labelled-scores");
    assertThat(Files.readAllBytes(cal)).isEqualTo(calBytes);

    Path out = tmp.resolve("sets.csv");
    Files.writeString(out, "previous\n");
    // a bad row at the end of the input: exit 3, naming the line, and the old file stays
    Files.writeString(
        test, "test999,world,0.5,0.5,NaN,0\n", java.nio.file.StandardOpenOption.APPEND);
    r = conformal("--alpha", "0.1", "--method", "lac", "--output", out);
    assertThat(r.code()).as(r.err()).isEqualTo(Main.BAD_DATA);
    assertThat(r.err()).contains("test.csv:302");
    assertThat(Files.readString(out)).isEqualTo("previous\n");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(Path::toString)).noneMatch(n -> n.contains(AtomicOutput.TEMP_MARKER));
    }
  }

  @Test
  void badDataIsExitCode3() throws IOException {
    Path out = tmp.resolve("sets.csv");
    Path noGold = write("calibration", "dev-nogold.csv", false);
    Cli r =
        Cli.run(
            "conformal",
            "--labelled-scores",
            noGold,
            "--input",
            test,
            "--scores",
            "prob",
            "--alpha",
            "0.1",
            "--method",
            "lac",
            "--output",
            out);
    assertThat(r.code()).isEqualTo(Main.BAD_DATA);
    assertThat(r.err()).contains("dev-nogold.csv:2", "calibration rows need one each");

    Path other = Files.writeString(tmp.resolve("other.csv"), "id,gold,a,b\nx,a,0.5,0.5\n");
    r = conformal("--alpha", "0.1", "--method", "lac", "--output", out);
    r.ok();
    r =
        Cli.run(
            "conformal",
            "--labelled-scores",
            cal,
            "--input",
            other,
            "--scores",
            "prob",
            "--alpha",
            "0.1",
            "--method",
            "lac",
            "--output",
            out);
    assertThat(r.code()).as(r.err()).isEqualTo(Main.BAD_DATA);
    assertThat(r.err()).contains("other.csv");

    Path empty =
        Files.writeString(tmp.resolve("empty.csv"), "id,gold,world,sports,business,science\n");
    r =
        Cli.run(
            "conformal",
            "--labelled-scores",
            cal,
            "--input",
            empty,
            "--scores",
            "prob",
            "--alpha",
            "0.1",
            "--method",
            "lac",
            "--output",
            out);
    assertThat(r.code()).isEqualTo(Main.BAD_DATA);
    assertThat(r.err()).contains("no rows after the header");
    assertThat(Files.exists(out)).as("the previous good output is kept").isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "--alpha 0 --method lac;expected a value in (0, 1)",
        "--alpha NaN --method lac;expected a value in (0, 1)",
        "--alpha 0.1 --method xyz;--method xyz is unknown",
        "--alpha 0.1 --method lac --k-reg 2;apply to --method raps only",
        "--alpha 0.1 --method lac --randomised;--randomised applies to --method aps or raps only",
        "--alpha 0.1 --method raps --lambda -1;--lambda: -1 is not a finite value >= 0",
        "--alpha 0.1 --method raps --k-reg -1;--k-reg is -1; expected 0 or more",
      })
  void badUsageIsExitCode2(String options, String message) {
    Cli r = conformal(options.split(" "), "--output", tmp.resolve("sets.csv"));
    assertThat(r.code()).as(r.err()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains(message);
    assertThat(Files.exists(tmp.resolve("sets.csv"))).isFalse();
  }

  /**
   * The old names --calibration and --score still work, each with a one-line note naming the new
   * one, and give the same sets; the help shows the new names only.
   */
  @Test
  void oldNamesStillWorkWithANote() throws IOException {
    Path now = tmp.resolve("now.csv");
    Path old = tmp.resolve("old.csv");
    conformal("--alpha", "0.1", "--method", "aps", "--output", now).ok();
    Cli r =
        Cli.run(
            "conformal",
            "--calibration",
            cal,
            "--input",
            test,
            "--scores",
            "prob",
            "--alpha",
            "0.1",
            "--score",
            "aps",
            "--output",
            old);
    r.ok();
    assertThat(r.err().lines().filter(l -> l.startsWith("calibra: note: ")).toList())
        .containsExactly(
            "calibra: note: --calibration is the old name of --labelled-scores; use"
                + " --labelled-scores",
            "calibra: note: --score is the old name of --method; use --method");
    assertThat(Files.readAllBytes(old)).isEqualTo(Files.readAllBytes(now));
    // messages name the option as it was given
    Cli.run(
            "conformal",
            "--calibration",
            cal,
            "--input",
            test,
            "--scores",
            "prob",
            "--alpha",
            "0.1",
            "--score",
            "lac",
            "--k-reg",
            "2",
            "--output",
            old)
        .exits(Main.USAGE, "--k-reg and --lambda apply to --score raps only");
    String help = Cli.run("conformal", "--help").ok().out();
    assertThat(help)
        .contains("--labelled-scores", "--method")
        .doesNotContain("--calibration=", "--score=");
  }
}
