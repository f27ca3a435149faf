package io.calibra.cli;

import io.calibra.cli.options.OptionValues;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the commands that measure a score file with gold labels. */
final class GoldScoresOptions {
  @Option(
      names = "--input",
      required = true,
      description = "A score file whose rows all have gold (- for standard input).")
  Path input;

  @Option(
      names = "--scores",
      required = true,
      description = "What the numbers are: prob, logprob or logit.")
  String scores;

  @Option(
      names = "--bins",
      defaultValue = "15",
      converter = OptionValues.Bins.class,
      description = "Bins for ECE and MCE, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int bins;

  /** The number of bins, checked by {@link OptionValues.Bins}. */
  int bins() {
    return bins;
  }
}
