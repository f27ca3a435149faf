package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.http.FakeOpenAiServer;
import io.calibra.backend.http.Gpt2Fixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibra sensitivity} on the random-weight GPT-2 fixture exported with past_key_values
 * (prefix reuse on): the prompts drawn for seed 5 are those of the documented scheme
 * (calibration-core's golden/sensitivity/prompt_draws.py 5 2 6 2 3), each prompt's raw scores are
 * those of {@code calibra score --no-prefix-reuse} with a template holding the same demonstrations
 * in the same order, and its accuracy that of {@code calibra metrics} on them.
 */
class CliSensitivityTest {
  static final String DEMONSTRATIONS =
      "text,label\n"
          + "a gem of a film,positive\n"
          + "dull and slow,negative\n"
          + "the cast is wonderful,positive\n"
          + "a tedious mess,negative\n"
          + "funny and moving,positive\n"
          + "nothing works here,negative\n";

  static final String ROWS =
      "id,text,gold\n"
          + "r1,an instant classic,positive\n"
          + "r2,I want my two hours back,negative\n"
          + "r3,not bad at all,positive\n"
          + "r4,a boring plot,negative\n"
          + "r5,a film I will remember,positive\n";

  @TempDir Path tmp;

  Path pastModel() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("gpt2-tiny-past"));
    Path fixtures = Gpt2Fixture.folder().getParent();
    Files.copy(fixtures.resolve("gpt2-tiny-past/model.onnx"), dir.resolve("model.onnx"));
    Files.copy(fixtures.resolve("gpt2-tiny/tokenizer.json"), dir.resolve("tokenizer.json"));
    return dir;
  }

  static final String[] FORMATS = {
    "\"input_prefix\": \"Review: \", \"input_answer_separator\": \"\\n\", \"answer_prefix\":"
        + " \"Sentiment:\", \"demonstration_separator\": \"\\n\\n\"",
    "\"instruction\": \"Classify the sentiment.\\n\", \"input_prefix\": \"Text: \","
        + " \"input_answer_separator\": \" \", \"answer_prefix\": \"Answer:\","
        + " \"demonstration_separator\": \"\\n\""
  };

  Path template(int i, String demonstrations) throws IOException {
    return Files.writeString(
        tmp.resolve("t" + i + (demonstrations.isEmpty() ? "" : "-with") + ".json"),
        "{" + FORMATS[i] + demonstrations + "}",
        StandardCharsets.UTF_8);
  }

  List<String> common(Path model) throws IOException {
    Path demos = Files.writeString(tmp.resolve("demos.csv"), DEMONSTRATIONS);
    Path rows = Files.writeString(tmp.resolve("rows.csv"), ROWS);
    return new ArrayList<>(
        List.of(
            "sensitivity",
            "--backend",
            "causal",
            "--model-dir",
            model.toString(),
            "--label",
            "negative= negative| terrible",
            "--label",
            "positive= positive| great",
            "--template",
            template(0, "").toString(),
            "--template",
            template(1, "").toString(),
            "--demonstrations",
            demos.toString(),
            "--input",
            rows.toString(),
            "--shots",
            "2",
            "--prompts",
            "3",
            "--seed",
            "5"));
  }

  /** The same ids and gold labels, and label scores equal to 1e-4 (prefix reuse's agreement). */
  static void assertSameScores(Path actual, Path expected) throws IOException {
    List<String> a = Files.readAllLines(actual);
    List<String> e = Files.readAllLines(expected);
    assertThat(a).hasSameSizeAs(e);
    assertThat(a.get(0)).isEqualTo(e.get(0)).isEqualTo("id,gold,negative,positive");
    for (int i = 1; i < e.size(); i++) {
      String[] x = a.get(i).split(",", -1);
      String[] y = e.get(i).split(",", -1);
      assertThat(x[0]).isEqualTo(y[0]);
      assertThat(x[1]).isEqualTo(y[1]);
      for (int j = 2; j < y.length; j++) {
        assertThat(Double.parseDouble(x[j]))
            .as("%s row %d column %d", actual.getFileName(), i, j)
            .isCloseTo(Double.parseDouble(y[j]), within(1e-4));
      }
    }
  }

  /** {@code args} with each option of {@code pairs} set to its value (replaced or added). */
  static List<String> with(List<String> args, Object... pairs) {
    List<String> out = new ArrayList<>(args);
    for (int i = 0; i < pairs.length; i += 2) {
      String option = pairs[i].toString();
      String value = pairs[i + 1].toString();
      int at = out.indexOf(option);
      if (at >= 0 && !option.equals("--template")) {
        out.set(at + 1, value);
      } else if (option.equals("--template")) {
        // a template with demonstrations replaces the formats
        while (out.contains("--template")) {
          int t = out.indexOf("--template");
          out.remove(t + 1);
          out.remove(t);
        }
        out.addAll(List.of(option, value));
      } else {
        out.addAll(List.of(option, value));
      }
    }
    return out;
  }

  @Test
  void eachPromptIsTheDocumentedDrawScoredAsCalibraScoreWouldScoreIt() throws IOException {
    Path model = pastModel();
    Path out = tmp.resolve("out");
    List<String> args = common(model);
    args.addAll(List.of("--json", "--output", out.toString()));
    Cli r = Cli.run(args).ok();
    JsonNode summary = new ObjectMapper().readTree(r.out());
    assertThat(new ObjectMapper().readTree(Files.readString(out.resolve("summary.json"))))
        .isEqualTo(summary);
    assertThat(TestDir.names(out))
        .containsExactly(
            "accuracy.png",
            "accuracy.svg",
            "prompt-1.csv",
            "prompt-2.csv",
            "prompt-3.csv",
            "prompts.csv",
            "summary.json");
    TestDir.assertNoTemporaryFiles(tmp);
    // a dot per prompt and method: the raw (orange) and contextual (green) markers are drawn
    java.awt.image.BufferedImage plot =
        javax.imageio.ImageIO.read(out.resolve("accuracy.png").toFile());
    assertThat(plot.getWidth()).isEqualTo(640);
    assertThat(Png.count(plot, 0, 0, 640, 420, 0xD95F02)).isPositive();
    assertThat(Png.count(plot, 0, 0, 640, 420, 0x1B9E77)).isPositive();
    // prompt_draws.py 5 2 6 2 3: (template 1, [0, 5]), (0, [3, 0]), (0, [3, 1]); shown from 1
    JsonNode prompts = summary.get("per_prompt");
    assertThat(prompts).hasSize(3);
    int[][] demos = {{1, 6}, {4, 1}, {4, 2}};
    int[] templates = {2, 1, 1};
    List<String[]> pool = new ArrayList<>();
    DEMONSTRATIONS.lines().skip(1).forEach(l -> pool.add(l.split(",")));
    double[] raw = new double[3];
    for (int p = 0; p < 3; p++) {
      JsonNode prompt = prompts.get(p);
      assertThat(prompt.get("template").asInt()).isEqualTo(templates[p]);
      assertThat(prompt.get("demonstrations").get(0).asInt()).isEqualTo(demos[p][0]);
      assertThat(prompt.get("demonstrations").get(1).asInt()).isEqualTo(demos[p][1]);
      // the same prompt as a template file, scored whole by calibra score
      StringBuilder d = new StringBuilder(", \"demonstrations\": [");
      for (int j = 0; j < 2; j++) {
        String[] demo = pool.get(demos[p][j] - 1);
        d.append(j == 0 ? "" : ", ")
            .append("{\"text\": \"")
            .append(demo[0])
            .append("\", \"label\": \"")
            .append(demo[1])
            .append("\"}");
      }
      Path withDemos = template(templates[p] - 1, d.append("]").toString());
      Path expected = tmp.resolve("expected-" + (p + 1) + ".csv");
      Cli.run(
              "score",
              "--backend",
              "causal",
              "--model-dir",
              model,
              "--label",
              "negative= negative| terrible",
              "--label",
              "positive= positive| great",
              "--template",
              withDemos,
              "--input",
              tmp.resolve("rows.csv"),
              "--output",
              expected,
              "--no-prefix-reuse")
          .ok();
      assertSameScores(out.resolve("prompt-" + (p + 1) + ".csv"), expected);
      JsonNode metrics =
          new ObjectMapper()
              .readTree(
                  Cli.run("metrics", "--input", expected, "--scores", "logprob", "--json")
                      .ok()
                      .out());
      raw[p] = prompt.get("metrics").get("raw").get("accuracy").asDouble();
      assertThat(raw[p]).isEqualTo(metrics.get("accuracy").asDouble());
      assertThat(prompt.get("metrics").get("raw").get("nll").asDouble())
          .isCloseTo(metrics.get("nll").asDouble(), within(1e-4));
      assertThat(prompt.get("metrics").get("contextual").get("accuracy").asDouble())
          .isBetween(0.0, 1.0);
    }
    JsonNode spread = summary.get("spread").get("raw").get("accuracy");
    double mean = (raw[0] + raw[1] + raw[2]) / 3;
    assertThat(spread.get("mean").asDouble()).isCloseTo(mean, within(1e-12));
    assertThat(spread.get("min").asDouble()).isEqualTo(Math.min(raw[0], Math.min(raw[1], raw[2])));
    assertThat(summary.get("spread").get("contextual").get("accuracy").has("sd")).isTrue();
    assertThat(Files.readAllLines(out.resolve("prompts.csv")))
        .hasSize(1 + 3 * 2)
        .first()
        .isEqualTo("prompt,template,demonstrations,method,accuracy,macro_f1,ece,nll");
  }

  @Test
  void theOutputFolderIsReplacedAsAWholeAndKeptWhenTheRunFails() throws IOException {
    Path model = pastModel();
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("stale.txt"), "from before");
    List<String> bad = with(common(model), "--output", out, "--shots", "7");
    Cli failed = Cli.run(bad);
    assertThat(failed.code()).as(failed.err()).isEqualTo(Main.USAGE);
    assertThat(TestDir.names(out)).containsExactly("stale.txt");
    // a killed writer's temporary folder is removed; a live writer's is left alone
    Path killed = Files.createDirectories(tmp.resolve(".out.calibra-tmp-" + Long.MAX_VALUE + "-1"));
    Path live =
        Files.createDirectories(
            tmp.resolve(".out.calibra-tmp-" + ProcessHandle.current().pid() + "-2"));
    List<String> good = with(common(model), "--output", out, "--prompts", "2");
    Cli r = Cli.run(good).ok();
    assertThat(TestDir.names(out)).doesNotContain("stale.txt").contains("summary.json");
    assertThat(killed).doesNotExist();
    assertThat(live).isDirectory();
    Files.delete(live);
    TestDir.assertNoTemporaryFiles(tmp);
    assertThat(r.out()).contains("raw").contains("contextual").contains("accuracy");
  }

  @Test
  void badInputExitsThreeAndBadUsageTwoWithOneLine() throws IOException {
    Path model = pastModel();
    List<String> base = common(model);
    Path noGold =
        Files.writeString(tmp.resolve("nogold.csv"), "id,text,gold\nr1,fine,positive\nr2,meh,\n");
    Path badDemo =
        Files.writeString(tmp.resolve("baddemo.csv"), "text,label\nfine,positive\nmeh,neutral\n");
    Path withDemos =
        template(0, ", \"demonstrations\": [{\"text\": \"ok\", \"label\": \"positive\"}]");
    Path notFolder = Files.writeString(tmp.resolve("file.txt"), "x");
    Path oneClass =
        Files.writeString(tmp.resolve("oneclass.csv"), "text,gold\nfine,positive\ngood,positive\n");
    Object[][] cases = {
      {Main.BAD_DATA, "nogold.csv:3:3: row has no gold label", List.of("--input", noGold)},
      {
        Main.BAD_DATA,
        "baddemo.csv:3:2: label 'neutral' is not among",
        List.of("--demonstrations", badDemo)
      },
      {Main.USAGE, "has demonstrations; sensitivity draws them", List.of("--template", withDemos)},
      {Main.USAGE, "shots is 7 with 6 demonstrations", List.of("--shots", "7")},
      {Main.USAGE, "prompts is 1; expected at least 2", List.of("--prompts", "1")},
      {Main.USAGE, "exists and is not a folder", List.of("--output", notFolder)},
      {
        Main.USAGE, "Missing required argument(s): --dev=<file>", List.of("--method", "temperature")
      },
      {
        Main.BAD_DATA,
        "oneclass.csv: temperature needs rows of at least 2 gold classes",
        List.of("--dev", oneClass)
      },
      {
        Main.USAGE,
        "is not fitted on labelled dev rows",
        List.of("--dev", tmp.resolve("rows.csv"), "--method", "contextual")
      }
    };
    for (Object[] c : cases) {
      Cli r = Cli.run(with(base, ((List<?>) c[2]).toArray()));
      assertThat(r.code()).as(r.err()).isEqualTo(c[0]);
      assertThat(r.err().lines().filter(l -> l.startsWith("calibra: "))).hasSize(1);
      assertThat(r.err()).contains((String) c[1]);
    }
  }

  /**
   * The same study against an OpenAI-compatible server (http-backend's fake, serving the same GPT-2
   * fixture through the completions API with echo): the same prompts and metrics as the local model
   * (NLL to 1e-4), and a re-run with --cache sends no request.
   */
  @Test
  void aServedModelGivesTheLocalResultsAndARerunFromTheCacheSendsNoRequest() throws IOException {
    Path model = pastModel();
    List<String> local = new ArrayList<>(common(model));
    local.add("--json");
    JsonNode want = new ObjectMapper().readTree(Cli.run(local).ok().out());
    try (Gpt2Fixture gpt2 = new Gpt2Fixture();
        FakeOpenAiServer server = new FakeOpenAiServer(gpt2)) {
      List<String> served = new ArrayList<>(local);
      int dir = served.indexOf("--model-dir");
      served.remove(dir + 1);
      served.remove(dir);
      served.set(served.indexOf("--backend") + 1, "openai");
      served.addAll(
          List.of(
              "--base-url",
              server.baseUrl(),
              "--model",
              "gpt2-tiny",
              "--cache",
              tmp.resolve("cache").toString()));
      JsonNode got = new ObjectMapper().readTree(Cli.run(served).ok().out());
      assertThat(server.requests()).isPositive();
      for (int p = 0; p < 3; p++) {
        JsonNode g = got.get("per_prompt").get(p);
        JsonNode w = want.get("per_prompt").get(p);
        assertThat(g.get("demonstrations")).isEqualTo(w.get("demonstrations"));
        for (String method : List.of("raw", "contextual")) {
          assertThat(g.get("metrics").get(method).get("accuracy"))
              .isEqualTo(w.get("metrics").get(method).get("accuracy"));
          assertThat(g.get("metrics").get(method).get("nll").asDouble())
              .isCloseTo(w.get("metrics").get(method).get("nll").asDouble(), within(1e-4));
        }
      }
      int before = server.requests();
      assertThat(new ObjectMapper().readTree(Cli.run(served).ok().out())).isEqualTo(got);
      assertThat(server.requests()).isEqualTo(before);
    }
  }
}
