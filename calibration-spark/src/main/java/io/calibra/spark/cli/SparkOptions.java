package io.calibra.spark.cli;

import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.ScoreFormatOption;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command shares: the score file ({@code --input}, and {@code --scores} as {@code
 * calibra} declares it) and the Spark master. {@code --input} is text rather than a path, since it
 * may be a URI only Spark reads (hdfs://, s3a://).
 */
final class SparkOptions {
  @Option(
      names = "--input",
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description =
          "A score file (CSV: id, gold, one column per label); a path or a URI Spark reads.")
  String input;

  @Mixin ScoreFormatOption scores;

  @Option(
      names = "--master",
      order = HelpSections.ADVANCED,
      paramLabel = "<url>",
      description =
          "Spark master (default: the one spark-submit sets, else local[2]; a session already"
              + " running in this JVM is used as it is).")
  String master;

  /** What the label columns hold. */
  ScoreFormat format() {
    return scores.format();
  }

  /**
   * The session to run on: one already running in this JVM (left running), else a new one on the
   * given master, else spark-submit's, else local[2] (stopped by {@link SparkRun#close}).
   */
  SparkRun session() {
    checkInput(); // before the session starts: a missing file fails at once
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined()) {
      return new SparkRun(running.get(), false);
    }
    SparkSession.Builder builder = SparkSession.builder().appName("calibra-spark");
    String configured = System.getProperty("spark.master");
    builder.master(master != null ? master : configured != null ? configured : "local[2]");
    SparkSession spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return new SparkRun(spark, true);
  }

  /**
   * The score file as a Dataset of text cells, read in file order.
   *
   * @throws DataFileException (exit 3) if a plain path is not a readable file
   */
  Dataset<Row> read(SparkSession spark) {
    checkInput();
    return spark
        .read()
        .option("header", "true")
        .option("inferSchema", "false")
        .option("mode", "FAILFAST")
        .csv(input);
  }

  /**
   * Checks that a plain path is a readable file; a URI (hdfs://, s3a://, file:) is Spark's to read.
   *
   * @throws DataFileException (exit 3) if it is not
   */
  private void checkInput() {
    boolean uri = input.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*");
    if (!uri && !Files.isRegularFile(Path.of(input))) {
      throw new DataFileException(
          Path.of(input), 0, 0, Files.exists(Path.of(input)) ? "not a file" : "file not found");
    }
  }

  /** A session and whether this run started it. */
  record SparkRun(SparkSession spark, boolean started) implements AutoCloseable {
    /** Stops the session if this run started it. */
    @Override
    public void close() {
      if (started) {
        spark.stop();
      }
    }
  }
}
