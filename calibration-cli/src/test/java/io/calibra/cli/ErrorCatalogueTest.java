package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every message fragment quoted in docs/errors.md is in the main source code. */
class ErrorCatalogueTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyQuotedMessageFragmentIsInTheCode() throws IOException {
    StringBuilder code = new StringBuilder();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path f :
          files
              .filter(
                  p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
              .toList()) {
        code.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
      }
    }
    // messages are built from literals joined by "+" across lines; join adjacent literals
    String source = code.toString().replace("\\\"", "\"").replaceAll("\"\\s*\\+\\s*\"", "");
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (String line : Files.readAllLines(ROOT.resolve("docs/errors.md"), StandardCharsets.UTF_8)) {
      if (!line.startsWith("|") || line.startsWith("| ---")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String last =
          cells[cells.length - 1].isBlank() ? cells[cells.length - 2] : cells[cells.length - 1];
      Matcher m = Pattern.compile("`([^`]+)`").matcher(last);
      while (m.find()) {
        checked++;
        if (!source.contains(m.group(1))) {
          missing.add(m.group(1));
        }
      }
    }
    assertThat(checked).isGreaterThan(100);
    assertThat(missing).as("fragments of docs/errors.md not found in the code").isEmpty();
  }
}
