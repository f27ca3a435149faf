package io.calibra.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code calibra-spark}: calibra's metrics and calibration over files too large for one machine,
 * run by Apache Spark (local mode by default, or any cluster under {@code spark-submit}). Exit
 * codes as {@code calibra}'s: 0 ok, 1 failure, 2 usage error.
 */
@Command(
    name = "calibra-spark",
    mixinStandardHelpOptions = true,
    description = "Runs calibra's metrics and calibration on Apache Spark.",
    subcommands = {SparkMetricsCommand.class, SparkCalibrateCommand.class})
public final class SparkMain {
  private SparkMain() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SparkMain());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println("calibra-spark: " + rootMessage(e));
          return 1;
        });
    return cli.execute(args);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof org.apache.spark.SparkException || t.getMessage() == null)) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
