package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * {@code calibra score --leave-one-out-output} on the GPT-2 fixture: row j equals the score of
 * demonstration j's text under the template without demonstration j, scored by a separate run; then
 * {@code fit --method leave-one-out} takes the file.
 */
class CliLeaveOneOutScoreTest {
  static final String[][] DEMOS = {
    {"a gem of a film", "positive"}, {"dull and slow", "negative"}, {"I loved it", "positive"}
  };

  @TempDir Path tmp;

  Path template(String name, int leaveOut) throws IOException {
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < DEMOS.length; i++) {
      if (i == leaveOut) {
        continue;
      }
      d.append(d.length() == 0 ? "" : ", ");
      d.append("{\"text\": \"").append(DEMOS[i][0]).append("\", \"label\": \"");
      d.append(DEMOS[i][1]).append("\"}");
    }
    return Files.writeString(
        tmp.resolve(name),
        "{\"input_prefix\": \"Review: \", \"input_answer_separator\": \"\\n\","
            + " \"answer_prefix\": \"Sentiment:\", \"demonstration_separator\": \"\\n\\n\","
            + " \"demonstrations\": ["
            + d
            + "]}",
        StandardCharsets.UTF_8);
  }

  static Cli score(Path template, Path input, Path output, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "score",
                "--backend",
                "causal",
                "--model-dir",
                Gpt2Fixture.folder().toString(),
                "--label",
                "negative= negative",
                "--label",
                "positive= positive",
                "--template",
                template.toString(),
                "--input",
                input.toString(),
                "--output",
                output.toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  static List<String[]> rows(Path file) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
      out.add(line.split(",", -1));
    }
    return out;
  }

  @Test
  void eachRowIsTheDemonstrationScoredWithoutItself() throws IOException {
    Path texts = Files.writeString(tmp.resolve("texts.csv"), "id,text\nt0,so so\n");
    Path loo = tmp.resolve("loo.csv");
    Cli all =
        score(
            template("all.json", -1),
            texts,
            tmp.resolve("scores.csv"),
            "--leave-one-out-output",
            loo.toString());
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(Files.readAllLines(loo).get(0)).isEqualTo("id,gold,negative,positive");
    List<String[]> got = rows(loo);
    assertThat(got).hasSize(DEMOS.length);
    for (int j = 0; j < DEMOS.length; j++) {
      Path input =
          Files.writeString(tmp.resolve("in" + j + ".csv"), "id,text\nd,\"" + DEMOS[j][0] + "\"\n");
      Path out = tmp.resolve("out" + j + ".csv");
      Cli one = score(template("t" + j + ".json", j), input, out);
      assertThat(one.code()).as(one.err()).isZero();
      String[] want = rows(out).get(0);
      assertThat(got.get(j)[0]).isEqualTo("demonstration-" + j);
      assertThat(got.get(j)[1]).isEqualTo(DEMOS[j][1]);
      assertThat(Double.parseDouble(got.get(j)[2]))
          .isCloseTo(Double.parseDouble(want[1]), within(1e-9));
      assertThat(Double.parseDouble(got.get(j)[3]))
          .isCloseTo(Double.parseDouble(want[2]), within(1e-9));
    }
    Path model = tmp.resolve("loo.json");
    Cli fit =
        Cli.run(
            "fit",
            "--method",
            "leave-one-out",
            "--leave-one-out",
            loo.toString(),
            "--scores",
            "logprob",
            "--output",
            model.toString());
    assertThat(fit.code()).as(fit.err()).isZero();
    assertThat(Files.readString(model)).contains("\"method\" : \"leave-one-out\"");
  }

  @Test
  void aTemplateWithOneDemonstrationIsAUsageError() throws IOException {
    Path texts = Files.writeString(tmp.resolve("texts.csv"), "id,text\nt0,so so\n");
    Path t =
        Files.writeString(
            tmp.resolve("one.json"),
            "{\"demonstrations\": [{\"text\": \"a gem\", \"label\": \"positive\"}]}");
    Path loo = tmp.resolve("loo.csv");
    Cli c = score(t, texts, tmp.resolve("s.csv"), "--leave-one-out-output", loo.toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err())
        .contains(
            "--leave-one-out-output: leave-one-out calibration needs a template with at least 2"
                + " demonstrations; found 1");
    assertThat(loo).doesNotExist();
  }
}
