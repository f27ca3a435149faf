package io.calibra.cli.options;

import picocli.CommandLine.Option;

/**
 * Percentile bootstrap intervals: {@code --bootstrap <count>} resamples, and their {@code --seed}
 * and {@code --confidence}, which need it. Declared as an {@code @ArgGroup(exclusive = false)} in
 * the commands that offer intervals on request.
 */
public final class BootstrapOptions {
  @Option(
      names = "--bootstrap",
      required = true,
      order = HelpSections.METHOD,
      paramLabel = "<count>",
      converter = OptionValues.Positive.class,
      description =
          "Add percentile bootstrap intervals from this many resamples (reads every row).")
  int resamples;

  @Option(
      names = "--seed",
      defaultValue = "0",
      order = HelpSections.METHOD,
      paramLabel = "<seed>",
      description = "Seed of --bootstrap's resamples (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--confidence",
      defaultValue = "0.95",
      order = HelpSections.METHOD,
      paramLabel = "<level>",
      converter = OptionValues.Level.class,
      description = "Confidence level of --bootstrap's intervals (default: ${DEFAULT-VALUE}).")
  double confidence;

  /** Resamples, at least 1. */
  public int resamples() {
    return resamples;
  }

  /** The resamples' seed. */
  public long seed() {
    return seed;
  }

  /** The intervals' level, in (0, 1). */
  public double confidence() {
    return confidence;
  }
}
