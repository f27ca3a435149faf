package io.calibra.cli;

import io.calibra.io.DataFileException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code calibra} command and its exit codes. */
@Command(
    name = "calibra",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Calibrated label probabilities for language-model classifiers.",
    subcommands = {
      DemoCommand.class,
      ScoreCommand.class,
      FitCommand.class,
      CalibrateCommand.class,
      MetricsCommand.class,
      ReportCommand.class
    })
public final class Main implements Runnable {
  /** Success. */
  public static final int OK = 0;

  /** Anything unexpected. */
  public static final int FAILURE = 1;

  /** Bad usage: unknown or missing options, bad option values. */
  public static final int USAGE = 2;

  /** Bad input data: the message names the file, line and column. */
  public static final int BAD_DATA = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns its exit code (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(Main::exitCode);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("calibra: " + message(e));
          if (exitCode(e) == FAILURE && !(e instanceof java.io.UncheckedIOException)) {
            e.printStackTrace(commandLine.getErr());
          }
          commandLine.getErr().flush();
          return exitCode(e);
        });
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          e.getCommandLine().getErr().println("calibra: " + e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return USAGE;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  static int exitCode(Throwable e) {
    if (e instanceof CommandLine.ParameterException || e instanceof UsageException) {
      return USAGE;
    }
    if (e instanceof DataFileException) {
      return BAD_DATA;
    }
    return FAILURE;
  }

  /** Bad usage found after parsing (an option combination that makes no sense). */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Prints the library version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"calibra " + io.calibra.io.Provenance.currentLibraryVersion()};
    }
  }
}
