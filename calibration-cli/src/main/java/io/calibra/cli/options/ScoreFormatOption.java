package io.calibra.cli.options;

import io.calibra.io.ScoreFormat;
import picocli.CommandLine.Option;

/** {@code --scores <format>}: what the numbers of a score file are. A picocli mixin. */
public final class ScoreFormatOption {
  @Option(
      names = "--scores",
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<format>",
      converter = OptionValues.Format.class,
      completionCandidates = OptionValues.FormatNames.class,
      description = "What the numbers are: ${COMPLETION-CANDIDATES}.")
  ScoreFormat format;

  /** The format given. */
  public ScoreFormat format() {
    return format;
  }
}
