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
 * {@code calibra score --backend causal} on the random-weight GPT-2 fixture exported with
 * past_key_values (onnx-backend's src/test/fixtures/make_gpt2_tiny.py) reuses the template's prefix
 * by default: the expected values are the same command's scores with {@code --no-prefix-reuse}
 * (whole prompts, the path checked against PyTorch in onnx-backend's Gpt2FixtureTest).
 */
class CliPrefixReuseTest {
  static final String INPUTS =
      "id,text\n"
          + "a,a gem of a film\n"
          + "b,dull and slow\n"
          + "c,\n"
          + "d,\"it's not bad... it's 10/10!!\"\n"
          + "e,émigré café\n"
          + "f,evable\n"
          + "g,The\n";

  @TempDir Path tmp;

  /** A model folder with the past_key_values graph and the fixture's tokenizer. */
  Path pastModel() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("gpt2-tiny-past"));
    Path fixtures = Gpt2Fixture.folder().getParent();
    Files.copy(fixtures.resolve("gpt2-tiny-past/model.onnx"), dir.resolve("model.onnx"));
    Files.copy(fixtures.resolve("gpt2-tiny/tokenizer.json"), dir.resolve("tokenizer.json"));
    return dir;
  }

  Path template(String name, String inputPrefix) throws IOException {
    return Files.writeString(
        tmp.resolve(name),
        "{\"instruction\": \"Classify the sentiment.\\n\\n\", \"input_prefix\": \""
            + inputPrefix
            + "\", \"input_answer_separator\": \"\\n\", \"answer_prefix\": \"Sentiment:\","
            + " \"demonstration_separator\": \"\\n\\n\", \"demonstrations\": [{\"text\": \"a gem"
            + " of a film\", \"label\": \"positive\"}, {\"text\": \"dull and slow\", \"label\":"
            + " \"negative\"}]}",
        StandardCharsets.UTF_8);
  }

  Cli score(Path model, Path template, String out, String... more) throws IOException {
    Path input = tmp.resolve("in.csv");
    if (!Files.exists(input)) {
      Files.writeString(input, INPUTS, StandardCharsets.UTF_8);
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "score",
                "--backend",
                "causal",
                "--model-dir",
                model.toString(),
                "--label",
                "negative= negative| terrible",
                "--label",
                "positive= positive| wonderfully good",
                "--template",
                template.toString(),
                "--batch-size",
                "3",
                "--input",
                input.toString(),
                "--output",
                tmp.resolve(out + ".csv").toString(),
                "--content-free-output",
                tmp.resolve(out + "-cf.csv").toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  static void assertSameScores(Path actual, Path expected, double tolerance) throws IOException {
    List<String> a = Files.readAllLines(actual);
    List<String> e = Files.readAllLines(expected);
    assertThat(a).hasSameSizeAs(e);
    assertThat(a.get(0)).isEqualTo(e.get(0));
    for (int i = 1; i < e.size(); i++) {
      String[] x = a.get(i).split(",", -1);
      String[] y = e.get(i).split(",", -1);
      assertThat(x).hasSameSizeAs(y);
      assertThat(x[0]).isEqualTo(y[0]);
      for (int j = 1; j < y.length; j++) {
        assertThat(Double.parseDouble(x[j]))
            .as("%s row %d column %d", actual.getFileName(), i, j)
            .isCloseTo(Double.parseDouble(y[j]), within(tolerance));
      }
    }
  }

  @Test
  void prefixReuseByDefaultGivesTheWholePromptScores() throws IOException {
    Path model = pastModel();
    Path t = template("t.json", "Review: ");
    Cli reused = score(model, t, "reused");
    assertThat(reused.code()).as(reused.err()).isZero();
    Cli whole = score(model, t, "whole", "--no-prefix-reuse");
    assertThat(whole.code()).as(whole.err()).isZero();
    assertSameScores(tmp.resolve("reused.csv"), tmp.resolve("whole.csv"), 1e-4);
    assertSameScores(tmp.resolve("reused-cf.csv"), tmp.resolve("whole-cf.csv"), 1e-4);
    // "Review: " ends in a space that merges with the input: expected, so no note.
    assertThat(reused.err()).doesNotContain("calibra: note:");
    // the model without past_key_values scores the same prompts whole: the same numbers again
    Cli plain = score(Gpt2Fixture.folder(), t, "plain");
    assertThat(plain.code()).as(plain.err()).isZero();
    assertSameScores(tmp.resolve("reused.csv"), tmp.resolve("plain.csv"), 1e-4);
    assertThat(plain.err()).doesNotContain("calibra: note:");
  }

  @Test
  void aPrefixThatTokenizesDifferentlyIsSaidOnceAndScoresStayExact() throws IOException {
    Path model = pastModel();
    // " unbeli" is two GPT-2 tokens (" unbel", "i"), " unbelievable" one: the prefix's last two
    // tokens change.
    Path t = template("t.json", "Review: unbeli");
    Cli reused = score(model, t, "reused");
    assertThat(reused.code()).as(reused.err()).isZero();
    String note = "the prefix tokenizes differently inside it";
    assertThat(reused.err().split(java.util.regex.Pattern.quote(note), -1)).hasSize(2);
    assertThat(reused.err()).contains("calibra: note: model ");
    Cli whole = score(model, t, "whole", "--no-prefix-reuse");
    assertThat(whole.code()).as(whole.err()).isZero();
    assertThat(whole.err()).doesNotContain(note);
    assertSameScores(tmp.resolve("reused.csv"), tmp.resolve("whole.csv"), 1e-4);
    assertSameScores(tmp.resolve("reused-cf.csv"), tmp.resolve("whole-cf.csv"), 1e-4);
  }
}
