package io.calibra.spark.cli;

import io.calibra.io.CalibratorFiles;
import io.calibra.io.SavedCalibrator;
import io.calibra.spark.ScoreColumns;
import io.calibra.spark.SparkCalibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code calibra-spark calibrate}: applies a saved calibrator to every row, writing a folder of
 * Parquet (or CSV) files. The folder is written beside the target under a temporary name and
 * renamed into place when Spark has committed every part, so a failed job leaves no partial output
 * under the target name.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description =
        "Applies a calibrator saved by calibra fit to every row of a score file and writes the"
            + " rows with calibrated_LABEL, prediction and confidence columns, as Parquet or CSV.")
final class SparkCalibrateCommand implements Callable<Integer> {
  @Mixin SparkOptions options;

  @Option(names = "--calibrator", required = true, description = "A calibrator file.")
  Path calibrator;

  @Option(
      names = "--output",
      required = true,
      description = "The folder to write (must not exist).")
  Path output;

  @Option(names = "--format", description = "parquet (default) or csv.")
  String format = "parquet";

  @Override
  public Integer call() throws Exception {
    if (!format.equals("parquet") && !format.equals("csv")) {
      throw new IllegalArgumentException("--format is '" + format + "'; expected parquet or csv");
    }
    if (Files.exists(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "--output " + output + " exists; give a new folder (nothing is overwritten)");
    }
    SavedCalibrator saved = CalibratorFiles.load(calibrator);
    Path absolute = output.toAbsolutePath();
    Path temporary =
        absolute.resolveSibling(
            "." + absolute.getFileName() + ".calibra-tmp-" + ProcessHandle.current().pid());
    SparkSession spark = options.session();
    try {
      Dataset<Row> scores = options.read(spark);
      ScoreColumns columns = ScoreColumns.fromSchema(scores.schema(), options.format());
      Dataset<Row> calibrated = SparkCalibration.calibrate(scores, saved, columns);
      var writer = calibrated.write();
      if (format.equals("csv")) {
        writer.option("header", "true").csv(temporary.toString());
      } else {
        writer.parquet(temporary.toString());
      }
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
      return 0;
    } finally {
      spark.stop();
      deleteRecursively(temporary);
    }
  }

  private static void deleteRecursively(Path folder) throws java.io.IOException {
    if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(folder)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
