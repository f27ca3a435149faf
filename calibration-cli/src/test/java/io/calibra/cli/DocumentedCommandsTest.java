package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell blocks of README.md and docs/*.md that run {@code ./calibra}: each one runs here, in
 * process, in a folder of its own holding small score files, and every command must end with the
 * exit code the block states ({@code # ... exit N}, else 0). A block that cannot run here (it needs
 * a served model, a model folder or Spark) says why on the line above it, {@code <!-- not run:
 * REASON -->}; any other block that does not run is a failure, so the guide's commands cannot drift
 * from the command line.
 */
class DocumentedCommandsTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern NOT_RUN = Pattern.compile("^<!-- not run: (.+) -->$");
  private static final Pattern EXPECTED_EXIT = Pattern.compile("\\bexit (\\d)\\b");
  private static final Pattern FILE_NAME = Pattern.compile("[\\w.-]+\\.[a-z]+|[\\w.-]+/");

  @TempDir static Path fixture;

  /** A fenced shell block: where it is, its lines, and why it is not run (or null). */
  record ShellBlock(String where, List<String> lines, String notRun) {}

  /**
   * Score files the blocks name: {@code texts.csv} (labelled texts), {@code scores.csv}, {@code
   * dev.csv} and {@code test.csv} (their logits with gold) and {@code cf.csv} (the content-free
   * inputs' logits), made by the embedded model.
   */
  @BeforeAll
  static void scoreTheFixture() throws IOException {
    List<String> rows = new ArrayList<>(List.of("text,gold"));
    String[][] texts = {
      {"a charming story full of warmth", "positive"},
      {"dull and slow", "negative"},
      {"the cast is wonderful", "positive"},
      {"a tedious mess", "negative"},
      {"a film I will remember", "positive"},
      {"nothing works here", "negative"},
      {"not good at all", "negative"},
      {"not bad at all", "positive"},
      {"an instant classic", "positive"},
      {"I want my two hours back", "negative"},
      {"funny and moving", "positive"},
      {"a boring plot and bad acting", "negative"}
    };
    for (String[] t : texts) {
      rows.add(t[0] + "," + t[1]);
    }
    Files.write(fixture.resolve("texts.csv"), rows, StandardCharsets.UTF_8);
    Cli.run(
            "score",
            "--label",
            "negative=The movie was terrible.",
            "--label",
            "positive=The movie was great.",
            "--input",
            fixture.resolve("texts.csv"),
            "--output",
            fixture.resolve("scores.csv"),
            "--content-free-output",
            fixture.resolve("cf.csv"))
        .ok();
    Files.copy(fixture.resolve("scores.csv"), fixture.resolve("dev.csv"));
    Files.copy(fixture.resolve("scores.csv"), fixture.resolve("test.csv"));
  }

  @Test
  void everyCalibraBlockOfTheGuideRunsOrSaysWhyNot(@TempDir Path work) throws IOException {
    int ran = 0;
    List<String> unexplained = new ArrayList<>();
    for (ShellBlock block : calibraBlocks()) {
      if (block.notRun() != null) {
        continue;
      }
      Path dir = Files.createDirectory(work.resolve("block" + ran));
      try (Stream<Path> files = Files.list(fixture)) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
      unexplained.addAll(run(block, dir));
      ran++;
    }
    assertThat(unexplained).isEmpty();
    // the README's quick start, the command line's two, choosing a method, conformal (twice),
    // p_cf, reliability
    assertThat(ran).isGreaterThanOrEqualTo(7);
  }

  @Test
  void aBlockWhoseCommandFailsOrThatCannotRunIsReported(@TempDir Path dir) {
    ShellBlock block =
        new ShellBlock(
            "x.md line 1",
            List.of(
                "./calibra metrics --input missing.csv --scores prob",
                "./calibra metrics --input missing.csv --scores prob   # not found: exit 3",
                "vllm serve gpt2"),
            null);
    assertThat(run(block, dir))
        .containsExactly(
            "x.md line 1: `./calibra metrics --input missing.csv --scores prob` exited 3, expected"
                + " 0: calibra: missing.csv: file not found",
            "x.md line 1: `vllm serve gpt2` is not a command this test runs; mark the block"
                + " <!-- not run: REASON -->");
  }

  /** Every fenced shell block of README.md and docs/*.md that runs {@code ./calibra}. */
  static List<ShellBlock> calibraBlocks() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
      pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    List<ShellBlock> out = new ArrayList<>();
    for (Path doc : documents) {
      List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String fence = lines.get(i).strip();
        if (!fence.equals("```bash") && !fence.equals("```sh")) {
          continue;
        }
        int j = i + 1;
        while (!lines.get(j).strip().equals("```")) {
          j++;
        }
        List<String> body = lines.subList(i + 1, j);
        if (body.stream().anyMatch(l -> l.strip().startsWith("./calibra "))) {
          Matcher m = i > 0 ? NOT_RUN.matcher(lines.get(i - 1).strip()) : null;
          String name = ROOT.relativize(doc).toString();
          out.add(
              new ShellBlock(
                  name + " line " + (i + 1),
                  List.copyOf(body),
                  m != null && m.matches() ? m.group(1) : null));
        }
        i = j;
      }
    }
    return out;
  }

  /** Runs a block's commands in {@code dir}; what went wrong, one line each. */
  static List<String> run(ShellBlock block, Path dir) {
    List<String> problems = new ArrayList<>();
    List<String> lines = joinContinuations(block.lines());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("cat > ") && line.contains("<<'EOF'")) {
        String file = line.substring(6, line.indexOf(' ', 6));
        List<String> content = new ArrayList<>();
        while (!lines.get(++i).strip().equals("EOF")) {
          content.add(lines.get(i));
        }
        write(dir.resolve(file), String.join("\n", content) + "\n");
      } else if (line.startsWith("printf '") && line.contains("' > ")) {
        String text = line.substring(8, line.indexOf("' > "));
        String file = line.substring(line.indexOf("' > ") + 4).strip();
        write(dir.resolve(file), text.replace("\\n", "\n"));
      } else if (line.startsWith("./calibra ")) {
        String command = line;
        String comment = "";
        int hash = unquotedIndex(command, '#');
        if (hash >= 0) {
          comment = command.substring(hash);
          command = command.substring(0, hash).strip();
        }
        int semicolon = unquotedIndex(command, ';');
        if (semicolon >= 0) {
          command = command.substring(0, semicolon).strip();
        }
        Matcher exit = EXPECTED_EXIT.matcher(comment);
        int expected = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
        List<String> args = words(command.substring("./calibra ".length()));
        Cli result = Cli.run(args.stream().map(a -> inDir(a, dir)).toList());
        if (result.code() != expected) {
          problems.add(
              block.where()
                  + ": `"
                  + command
                  + "` exited "
                  + result.code()
                  + ", expected "
                  + expected
                  + ": "
                  + result.err().strip().replace(dir + "/", ""));
        }
      } else {
        problems.add(
            block.where()
                + ": `"
                + line
                + "` is not a command this test runs; mark the block <!-- not run: REASON -->");
      }
    }
    return problems;
  }

  private static List<String> joinContinuations(List<String> lines) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
      } else {
        out.add(current.append(line).toString());
        current.setLength(0);
      }
    }
    return out;
  }

  /** A file name in the block is a file of its folder; options, numbers and labels are kept. */
  private static String inDir(String word, Path dir) {
    boolean file =
        !word.startsWith("-") && FILE_NAME.matcher(word).matches() && !word.matches("[\\d.]+");
    return file ? dir.resolve(word).toString() : word;
  }

  /** Splits a command into words as the shell does for plain words and quoted strings. */
  private static List<String> words(String command) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out;
  }

  private static int unquotedIndex(String s, char target) {
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == target) {
        return i;
      }
    }
    return -1;
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
