package io.calibra.spark.cli;

import io.calibra.io.AtomicOutput;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.SavedCalibrator;
import io.calibra.spark.ScoreColumns;
import io.calibra.spark.SparkCalibration;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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
 * under the target name; such a folder left by a killed run is removed by the next run to the same
 * target.
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
    String prefix = "." + absolute.getFileName() + AtomicOutput.TEMP_MARKER;
    removeStaleFolders(absolute.getParent(), prefix);
    Path temporary = absolute.resolveSibling(prefix + ProcessHandle.current().pid());
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

  /**
   * Removes the temporary folders of this target left by a {@code calibra-spark} process that no
   * longer runs (killed while writing); those of a live process are left alone.
   */
  private static void removeStaleFolders(Path dir, String prefix) throws java.io.IOException {
    if (dir == null || !Files.isDirectory(dir)) {
      return; // Spark reports the missing folder when it writes
    }
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> folders =
        Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path folder : folders) {
        String pid = folder.getFileName().toString().substring(prefix.length());
        if (pid.matches("[0-9]{1,18}")
            && !ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
          stale.add(folder);
        }
      }
    }
    for (Path folder : stale) {
      deleteRecursively(folder);
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
