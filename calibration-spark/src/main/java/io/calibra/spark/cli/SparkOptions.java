package io.calibra.spark.cli;

import io.calibra.io.ScoreFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The options every command shares: input, score format, Spark master. */
final class SparkOptions {
  @Option(
      names = "--input",
      required = true,
      description =
          "A calibra score file (CSV): a local path, or a URI Spark reads (hdfs://, s3a://).")
  String input;

  @Option(
      names = "--scores",
      required = true,
      description = "What the label columns hold: prob, logprob or logit.")
  String scores;

  @Option(
      names = "--master",
      description =
          "Spark master (default local[2], or the one spark-submit sets when run under it).")
  String master;

  ScoreFormat format() {
    return ScoreFormat.parse(scores);
  }

  /** A session: the given master, else spark-submit's, else local[2]. */
  SparkSession session() {
    SparkSession.Builder builder = SparkSession.builder().appName("calibra-spark");
    String configured = System.getProperty("spark.master");
    builder.master(master != null ? master : configured != null ? configured : "local[2]");
    SparkSession spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** The score file as a Dataset of text cells, read in file order. */
  Dataset<Row> read(SparkSession spark) {
    // a URI (hdfs://, s3a://, file:) is Spark's to read; a plain path is checked here first
    boolean uri = input.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*");
    if (!uri && !Files.isRegularFile(Path.of(input))) {
      throw new IllegalArgumentException("--input " + input + " is not a readable file");
    }
    return spark
        .read()
        .option("header", "true")
        .option("inferSchema", "false")
        .option("mode", "FAILFAST")
        .csv(input);
  }
}
