package io.calibra.cli;

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
      description = "Bins for ECE and MCE (default: ${DEFAULT-VALUE}).")
  int bins;

  /** The number of bins, checked. */
  int bins() {
    if (bins < 1) {
      throw new Main.UsageException("--bins is " + bins + "; expected at least 1");
    }
    return bins;
  }
}
