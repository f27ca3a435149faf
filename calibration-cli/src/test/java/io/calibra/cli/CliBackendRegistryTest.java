package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backend} takes its names from the ServiceLoader registry the Java API uses: a backend
 * module on the class path appears without a change to the command line. Here that module is
 * calibration-core's test backend {@code constant} (every label gets the logit given by its option
 * {@code score}), registered in calibration-core's test resources.
 */
class CliBackendRegistryTest {
  @TempDir Path tmp;

  private Path texts() throws IOException {
    return Files.writeString(tmp.resolve("texts.csv"), "id,text,gold\na,fine,pos\nb,dull,neg\n");
  }

  @Test
  void aRegisteredBackendIsListedAndScoresWithItsOwnOptions() throws IOException {
    assertThat(Cli.run("score", "--help").ok().out().replaceAll("\\s+", " "))
        .contains("encoder, causal, masked, classifier, openai, openai-chat, constant");
    Path out = tmp.resolve("scores.csv");
    Cli.run(
            "score",
            "--backend",
            "constant",
            "--backend-option",
            "score=1.5",
            "--label",
            "neg=bad",
            "--label",
            "pos=good",
            "--input",
            texts(),
            "--output",
            out)
        .ok();
    // hand computed: the constant backend gives both labels the logit 1.5
    assertThat(Files.readAllLines(out))
        .containsExactly("id,gold,neg,pos", "a,pos,1.5,1.5", "b,neg,1.5,1.5");
  }

  @Test
  void theRegistryNameOfAShippedBackendWorksAsItsShortName() throws IOException {
    // the int8 encoder, the quicker of the two embedded models to load: both names must give it
    List<String> common =
        List.of(
            "--model",
            "embedded-minilm-int8",
            "--label",
            "neg=bad",
            "--label",
            "pos=good",
            "--input",
            texts().toString());
    Path shortName = tmp.resolve("short.csv");
    Path registryName = tmp.resolve("registry.csv");
    Cli.run("score", "--backend", "encoder", common, "--output", shortName).ok();
    Cli.run("score", "--backend", "onnx-encoder", common, "--output", registryName).ok();
    assertThat(Files.readAllBytes(registryName)).isEqualTo(Files.readAllBytes(shortName));
  }

  @Test
  void backendOptionsAreForOtherModulesBackendsAndCheckedByThem() throws IOException {
    List<String> common =
        List.of(
            "--label",
            "neg=bad",
            "--label",
            "pos=good",
            "--input",
            texts().toString(),
            "--output",
            tmp.resolve("o.csv").toString());
    Cli.run("score", "--backend", "encoder", "--backend-option", "score=1", common)
        .exits(Main.USAGE, "--backend-option is for a backend registered by another module")
        .oneLine();
    Cli.run("score", "--backend", "constant", "--backend-option", "temperature=1", common)
        .exits(Main.USAGE, "--backend constant: unknown option 'temperature'")
        .oneLine();
    assertThat(tmp.resolve("o.csv")).doesNotExist();
  }
}
