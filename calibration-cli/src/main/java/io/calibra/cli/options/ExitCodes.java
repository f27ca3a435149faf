package io.calibra.cli.options;

import io.calibra.io.DataFileException;
import java.util.List;
import picocli.CommandLine;

/**
 * The exit codes of calibra's command lines, {@code calibra} and {@code calibra-spark}: 0 ok, 1
 * anything unexpected, 2 a usage error, 3 bad input data. Scripts branch on them, so both programs
 * take them from here.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Anything unexpected. */
  public static final int FAILURE = 1;

  /** Bad usage: unknown or missing options, bad option values. */
  public static final int USAGE = 2;

  /** Bad input data: the message names the file, and the line and column where it has them. */
  public static final int BAD_DATA = 3;

  private ExitCodes() {}

  /**
   * The exit code of a failure: {@link #USAGE} for a picocli parameter error or a {@link
   * UsageException}, {@link #BAD_DATA} for a {@link DataFileException}, else {@link #FAILURE}.
   */
  public static int of(Throwable e) {
    if (e instanceof CommandLine.ParameterException || e instanceof UsageException) {
      return USAGE;
    }
    if (e instanceof DataFileException) {
      return BAD_DATA;
    }
    return FAILURE;
  }

  /**
   * Makes {@code cli} print a parameter error as one line, {@code PROGRAM: PROBLEM (see COMMAND
   * --help)}, and exit with {@link #USAGE}; the problem is followed by "{@code ; --old is the old
   * name of --new}" for each old option name used, since picocli names options by their current
   * names.
   */
  public static void reportUsageErrorsOnOneLine(CommandLine cli, String program) {
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          StringBuilder oldNames = new StringBuilder();
          OldNames.used(failed.getCommandSpec().userObject(), java.util.Arrays.asList(args))
              .forEach(
                  (name, current) ->
                      oldNames
                          .append("; ")
                          .append(name)
                          .append(" is the old name of ")
                          .append(current));
          failed
              .getErr()
              .println(
                  program
                      + ": "
                      + usageMessage(e)
                      + oldNames
                      + " (see "
                      + failed.getCommandSpec().qualifiedName()
                      + " --help)");
          failed.getErr().flush();
          return USAGE;
        });
  }

  /**
   * The one line of a parameter error. A converter's reason is shown after the option: {@code
   * --option is VALUE; expected ...} for a reason that starts with {@link OptionValues#EXPECTED},
   * as it is for one that names its option itself (starts with "--"), else {@code --option:
   * reason}; other messages are picocli's, on one line. Arguments no option or command took are
   * reported first, even when an option is also missing (a misspelt required option is both), with
   * picocli's closest option or command name: {@code ; did you mean --bins?}.
   */
  static String usageMessage(CommandLine.ParameterException e) {
    Throwable cause = e.getCause();
    if (cause instanceof CommandLine.TypeConversionException
        && cause.getMessage() != null
        && e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
      String reason = cause.getMessage();
      if (reason.startsWith(OptionValues.EXPECTED)) {
        return option.longestName() + " is " + e.getValue() + "; " + reason;
      }
      return reason.startsWith("--") ? reason : option.longestName() + ": " + reason;
    }
    CommandLine.ParameterException shown = e;
    List<String> unmatched = e.getCommandLine().getUnmatchedArguments();
    if (!(e instanceof CommandLine.UnmatchedArgumentException) && !unmatched.isEmpty()) {
      // a misspelt option also leaves its option missing: the misspelling is the news
      shown = new CommandLine.UnmatchedArgumentException(e.getCommandLine(), unmatched);
    }
    // picocli's "Error: " adds nothing to the program name before it
    String message = shown.getMessage().replace('\n', ' ').strip().replaceFirst("^Error: ", "");
    if (shown instanceof CommandLine.UnmatchedArgumentException u
        && !u.getSuggestions().isEmpty()) {
      message += "; did you mean " + u.getSuggestions().get(0) + "?";
    }
    return message;
  }
}
