package io.calibra.spark.cli;

import io.calibra.cli.options.ExitCodes;
import io.calibra.cli.options.HelpSections;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code calibra-spark}: calibra's metrics and calibration over files too large for one machine,
 * run by Apache Spark (local mode by default, or any cluster under {@code spark-submit}). Options
 * are declared as {@code calibra}'s (the same mixins), and the exit codes are its: 0 ok, 1 failure,
 * 2 usage error, 3 bad data (the file named); every error is one line on standard error.
 */
@Command(
    name = "calibra-spark",
    mixinStandardHelpOptions = true,
    description = "Runs calibra's metrics and calibration on Apache Spark.",
    subcommands = {SparkMetricsCommand.class, SparkCalibrateCommand.class})
public final class SparkMain implements Runnable {
  /** The system property that names the logging configuration. */
  public static final String LOGGING_PROPERTY = "log4j2.configurationFile";

  /**
   * The logging configuration ./calibra-spark runs with (a resource of this jar): Spark's errors
   * only, without the task failures each command reports itself in one line.
   */
  public static final String LOGGING = "calibra-spark-log4j2.properties";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private SparkMain() {}

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Runs the command line and exits with its code. */
  @ProcessStreams
  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(args, out, err));
  }

  /** Runs the command line on the process's standard streams and returns its exit code. */
  @ProcessStreams
  public static int run(String... args) {
    return run(
        args,
        new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
  }

  /**
   * Runs the command line with the given output streams and returns its exit code. A Spark session
   * already running in this JVM is used and left running; otherwise the command starts one and
   * stops it.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new SparkMain());
    HelpSections.install(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(SparkMain::exitCode);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println("calibra-spark: " + oneLine(rootMessage(e)));
          commandLine.getErr().flush();
          return exitCode(e);
        });
    ExitCodes.reportUsageErrorsOnOneLine(cli, "calibra-spark");
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static int exitCode(Throwable e) {
    return e instanceof BadDataException ? ExitCodes.BAD_DATA : ExitCodes.of(e);
  }

  /** The first line of {@code message} (Spark's messages run over several lines). */
  private static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    String s = message.strip();
    int newline = s.indexOf('\n');
    return newline < 0 ? s : s.substring(0, newline).strip();
  }

  private static String rootMessage(Throwable e) {
    if (e instanceof BadDataException || e instanceof CommandLine.ParameterException) {
      return e.getMessage();
    }
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof org.apache.spark.SparkException || t.getMessage() == null)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
