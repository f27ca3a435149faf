package io.calibra.spark.cli;

import io.calibra.cli.options.ExitCodes;
import io.calibra.cli.options.HelpSections;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

  @Option(
      names = "--calibrator",
      required = true,
      order = HelpSections.INPUT + 1,
      paramLabel = "<file>",
      description = "A calibrator saved by calibra fit.")
  Path calibrator;

  @Option(
      names = "--output",
      required = true,
      order = HelpSections.OUTPUT,
      paramLabel = "<folder>",
      description = "The folder to write (must not exist).")
  Path output;

  @Option(
      names = "--format",
      order = HelpSections.OUTPUT + 1,
      paramLabel = "<format>",
      defaultValue = "parquet",
      converter = OutputFormat.Converter.class,
      completionCandidates = OutputFormat.Names.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Spec CommandLine.Model.CommandSpec spec;

  /** The file formats Spark writes the calibrated rows in. */
  enum OutputFormat {
    /** Parquet files. */
    PARQUET,
    /** CSV files with a header. */
    CSV;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The formats' names, for help and completion. */
    static final class Names implements Iterable<String> {
      @Override
      public java.util.Iterator<String> iterator() {
        return Arrays.stream(values()).map(OutputFormat::toString).iterator();
      }
    }

    /** Reads a format's name. */
    static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
      @Override
      public OutputFormat convert(String value) {
        for (OutputFormat f : values()) {
          if (f.toString().equals(value)) {
            return f;
          }
        }
        throw new CommandLine.TypeConversionException(
            io.calibra.cli.options.OptionValues.EXPECTED + "parquet or csv");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    if (Files.exists(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--output " + output + " exists; give a new folder (nothing is overwritten)");
    }
    SavedCalibrator saved = CalibratorFiles.load(calibrator);
    Path absolute = output.toAbsolutePath();
    String prefix = "." + absolute.getFileName() + AtomicOutput.TEMP_MARKER;
    removeStaleFolders(absolute.getParent(), prefix);
    Path temporary = absolute.resolveSibling(prefix + ProcessHandle.current().pid());
    try (SparkOptions.SparkRun run = options.session()) {
      Dataset<Row> calibrated;
      try {
        Dataset<Row> scores = options.read(run.spark());
        ScoreColumns columns = ScoreColumns.fromSchema(scores.schema(), options.format());
        calibrated = SparkCalibration.calibrate(scores, saved, columns);
        var writer = calibrated.write();
        if (format == OutputFormat.CSV) {
          writer.option("header", "true").csv(temporary.toString());
        } else {
          writer.parquet(temporary.toString());
        }
      } catch (Exception e) {
        throw BadDataException.classify(options.input, e);
      }
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
      return ExitCodes.OK;
    } finally {
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
