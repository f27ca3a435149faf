package io.calibra.cli.options;

import io.calibra.io.ScoreFormat;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The score file a command reads: {@code --input <file>} (id, gold when known, one column per
 * label) and {@code --scores <format>}. A picocli mixin.
 */
public final class ScoreInputOptions {
  @Option(
      names = "--input",
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description =
          "A score file: id, gold (when known), one column per label (- for standard input).")
  Path input;

  @Mixin ScoreFormatOption scores;

  /** The score file given ({@code -}: standard input). */
  public Path input() {
    return input;
  }

  /** What its numbers are. */
  public ScoreFormat format() {
    return scores.format();
  }
}
