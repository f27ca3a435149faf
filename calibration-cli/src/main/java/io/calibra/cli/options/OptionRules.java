package io.calibra.cli.options;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The rules of a command that depend on another option's value ("--gamma applies to --method batch
 * only"), declared as a list and checked together after parsing; picocli's {@code @ArgGroup}
 * declares those that depend only on which options are given. A rule sees whether an option was
 * given on the command line (not its default).
 */
public final class OptionRules {
  private final ParseResult given;
  private final List<String> broken = new ArrayList<>();

  private OptionRules(ParseResult given) {
    this.given = given;
  }

  /** The rules of the command of {@code spec}, as parsed. */
  public static OptionRules of(CommandSpec spec) {
    return new OptionRules(spec.commandLine().getParseResult());
  }

  /** Whether {@code option} was given on the command line. */
  public boolean given(String option) {
    return given.hasMatchedOption(option);
  }

  /** {@code options} may be given only when {@code applies}; otherwise {@code message}. */
  public OptionRules onlyIf(boolean applies, String message, String... options) {
    if (!applies) {
      for (String option : options) {
        if (given(option)) {
          broken.add(message);
          break;
        }
      }
    }
    return this;
  }

  /** {@code holds} must be true; otherwise {@code message}. */
  public OptionRules require(boolean holds, String message) {
    if (!holds) {
      broken.add(message);
    }
    return this;
  }

  /**
   * Throws the first broken rule, in declaration order.
   *
   * @throws UsageException for the first broken rule
   */
  public void check() {
    if (!broken.isEmpty()) {
      throw new UsageException(broken.get(0));
    }
  }
}
