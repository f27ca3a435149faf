package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code calibra --help} shows every command's summary whole, as a sentence, and {@code calibrate}
 * takes the calibrator file as {@code --calibrator} ({@code --model}, its old name, still works,
 * with a one-line note, and is left out of the help).
 */
class CliHelpTest {
  @TempDir Path tmp;

  /** The summaries of the top-level help: command name to its text, continuation lines joined. */
  private static Map<String, String> summaries(String help) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = help.lines().toList();
    int start = lines.indexOf("Commands:");
    assertThat(start).as("a Commands: section in %s", help).isNotNegative();
    String current = null;
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.isBlank()) {
        break;
      }
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        String[] parts = line.strip().split("\\s+", 2);
        current = parts[0];
        out.put(current, parts.length > 1 ? parts[1] : "");
      } else {
        assertThat(current).as("continuation of a command in: %s", line).isNotNull();
        out.put(current, out.get(current) + " " + line.strip());
      }
    }
    return out;
  }

  @Test
  void everyCommandsSummaryIsShownWholeAsASentence() {
    Cli r = Cli.run("--help").ok();
    Map<String, String> shown = summaries(r.out());
    CommandLine cli = new CommandLine(new Main(System.in));
    assertThat(shown.keySet()).containsExactlyElementsOf(cli.getSubcommands().keySet());
    for (Map.Entry<String, CommandLine> c : cli.getSubcommands().entrySet()) {
      String summary = c.getValue().getCommandSpec().usageMessage().description()[0];
      String text = shown.get(c.getKey());
      assertThat(text).as("summary of %s", c.getKey()).isEqualTo(summary);
      // a sentence: a capital, a verb-led clause of several words, a full stop, nothing cut
      assertThat(text).as("summary of %s", c.getKey()).matches("[A-Z][a-z]+s [^.]+\\.");
      assertThat(text.split(" ")).as("words of %s", text).hasSizeGreaterThan(5);
      assertThat(text.chars().filter(ch -> ch == '(').count())
          .as("balanced brackets in %s", text)
          .isEqualTo(text.chars().filter(ch -> ch == ')').count());
      // the command's own help starts with the same sentence
      Cli own = Cli.run(c.getKey(), "--help").ok();
      assertThat(own.out().replaceAll("\\s+", " ")).contains(summary);
    }
  }

  private Path model() throws IOException {
    Files.writeString(
        tmp.resolve("dev.csv"),
        "id,gold,negative,positive\na,negative,0.8,0.2\nb,positive,0.3,0.7\n");
    // fitted on rows with a misclassified one: separable rows have no temperature fit
    Path fitting =
        Files.writeString(
            tmp.resolve("fitting.csv"),
            "id,gold,negative,positive\na,negative,0.8,0.2\nb,positive,0.3,0.7\nc,negative,0.45,0.55\n");
    Path model = tmp.resolve("m.json");
    Cli.run(
            "fit",
            "--method",
            "temperature",
            "--scores",
            "prob",
            "--input",
            fitting,
            "--output",
            model)
        .ok();
    return model;
  }

  @Test
  void calibrateTakesCalibratorAndStillAcceptsTheDeprecatedModel() throws IOException {
    Path model = model();
    Path dev = tmp.resolve("dev.csv");
    Path a = tmp.resolve("a.csv");
    Path b = tmp.resolve("b.csv");
    Cli now =
        Cli.run(
                "calibrate",
                "--calibrator",
                model,
                "--scores",
                "prob",
                "--input",
                dev,
                "--output",
                a)
            .ok();
    assertThat(now.err()).isEqualTo("wrote 2 calibrated rows to " + a + System.lineSeparator());
    Cli old =
        Cli.run("calibrate", "--model", model, "--scores", "prob", "--input", dev, "--output", b)
            .ok();
    assertThat(old.err().lines().toList())
        .containsExactly(
            "calibra: note: --model is the old name of --calibrator; use --calibrator",
            "wrote 2 calibrated rows to " + b);
    assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));

    Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--model",
            model,
            "--scores",
            "prob",
            "--input",
            dev,
            "--output",
            b)
        .exits(2, "option '--calibrator' (<file>) should be specified only once")
        .oneLine();
    Cli.run("calibrate", "--scores", "prob", "--input", dev, "--output", b)
        .exits(2, "give either --calibrator or --method")
        .oneLine();
    // checks name the option as given
    Cli.run("calibrate", "--model", model, "--scores", "prob", "--input", dev, "--output", model)
        .exits(2, "--output " + model + " is the same file as --model");
    Cli.run(
            "calibrate",
            "--calibrator",
            model,
            "--scores",
            "prob",
            "--input",
            dev,
            "--output",
            model)
        .exits(2, "--output " + model + " is the same file as --calibrator")
        .oneLine();
    String help = Cli.run("calibrate", "--help").ok().out().replaceAll("\\s+", " ");
    // the old name is left out of the help
    assertThat(help)
        .contains("--calibrator=<file> A saved calibrator, as written by `calibra fit`")
        .doesNotContain("--model");
  }
}
