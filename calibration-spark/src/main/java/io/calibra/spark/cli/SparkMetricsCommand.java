package io.calibra.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.cli.options.BinsOption;
import io.calibra.cli.options.ExitCodes;
import io.calibra.cli.options.HelpSections;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.spark.ScoreColumns;
import io.calibra.spark.SparkMetrics;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code calibra-spark metrics}: the metrics of {@code calibra metrics}, computed by Spark. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description =
        "Prints accuracy, macro_f1, ece, ece_equal_mass, mce, classwise_ece, brier and nll of a"
            + " score file with gold labels, as calibra metrics does, computed by Spark.")
final class SparkMetricsCommand implements Callable<Integer> {
  @Mixin SparkOptions options;

  @Option(
      names = "--json",
      order = HelpSections.OUTPUT,
      description = "Print a JSON object with the metric keys.")
  boolean json;

  @Mixin BinsOption bins;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CalibrationMetrics m;
    try (SparkOptions.SparkRun run = options.session()) {
      Dataset<Row> scores = options.read(run.spark());
      ScoreColumns columns = ScoreColumns.fromSchema(scores.schema(), options.format());
      m = SparkMetrics.compute(scores, columns, bins.bins());
    } catch (Exception e) {
      throw BadDataException.classify(options.input, e);
    }
    Map<String, Double> values = m.byKey();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(values));
    } else {
      values.forEach(
          (key, value) -> out.println(String.format(Locale.ROOT, "%-15s %.6f", key, value)));
      out.printf(Locale.ROOT, "%-15s %d%n", "rows", m.rows());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
