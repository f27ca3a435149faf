package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 encoder through the command line: the int8 encoder writes the same bytes whatever the
 * batch size, unless --quantized-batching asks for the batch-dependent mode.
 */
class CliQuantizedTest {
  @TempDir Path tmp;

  /** Sentences of varied length (written for this test), so batches mix lengths. */
  private Path input() throws IOException {
    String[] parts = {
      "a warm film",
      "dull",
      "the cast is wonderful and the ending moved me to tears",
      "slow , tedious and far too long for what it has to say",
      "charming",
      "a mess",
      "i would watch it again tomorrow",
      "the plot turns out to be a total mess by the end",
      "brilliant",
      "boring",
      "it never earns its emotions",
      "sharp writing"
    };
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      rows.add(List.of("t" + i, parts[i % parts.length] + (i >= parts.length ? " indeed" : "")));
    }
    return new TestDir(tmp).csv("texts.csv", List.of("id", "text"), rows);
  }

  private byte[] score(Path input, String name, String... extra) throws IOException {
    Path out = tmp.resolve(name + ".csv");
    List<String> args =
        new ArrayList<>(
            List.of(
                "score",
                "--model",
                "embedded-minilm-int8",
                "--label",
                "negative=The movie was terrible.",
                "--label",
                "positive=The movie was great.",
                "--input",
                input.toString(),
                "--output",
                out.toString()));
    args.addAll(List.of(extra));
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return Files.readAllBytes(out);
  }

  @Test
  void int8ScoreFilesAreTheSameBytesForEveryBatchSizeUnlessBatchingIsAskedFor() throws IOException {
    Path input = input();
    byte[] one = score(input, "one", "--batch-size", "1");
    byte[] three = score(input, "three", "--batch-size", "3");
    byte[] sixteen = score(input, "sixteen", "--batch-size", "16");
    assertThat(three).isEqualTo(one);
    assertThat(sixteen).isEqualTo(one);
    byte[] batched = score(input, "batched", "--batch-size", "16", "--quantized-batching");
    assertThat(batched).isNotEqualTo(one);
  }

  @Test
  void helpStatesTheReproducibilityCost() {
    Cli r = Cli.run("score", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("--quantized-batching")
        .contains("not reproducible");
  }
}
