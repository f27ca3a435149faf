package io.calibra.cli.options;

import picocli.CommandLine.Option;

/** {@code --bins <count>}: the bins of ECE and MCE, 1 to 10,000. A picocli mixin. */
public final class BinsOption {
  @Option(
      names = "--bins",
      defaultValue = "15",
      order = HelpSections.METHOD,
      paramLabel = "<count>",
      converter = OptionValues.Bins.class,
      description = "Bins for ECE and MCE, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int bins;

  /** The number of bins, checked by {@link OptionValues.Bins}. */
  public int bins() {
    return bins;
  }
}
