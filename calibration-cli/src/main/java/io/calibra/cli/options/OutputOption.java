package io.calibra.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --output <file>}: the file a command writes, replaced whole or not at all ({@code -}:
 * standard output). A picocli mixin.
 */
public final class OutputOption {
  @Option(
      names = "--output",
      required = true,
      order = HelpSections.OUTPUT,
      paramLabel = "<file>",
      description = "The file to write, replaced whole or not at all (- for standard output).")
  Path output;

  /** The file given ({@code -}: standard output). */
  public Path output() {
    return output;
  }
}
