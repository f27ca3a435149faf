package io.calibra.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.MetricsAccumulator;
import io.calibra.spark.ScoreColumns;
import io.calibra.spark.SparkMetrics;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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

  @Option(names = "--json", description = "Print a JSON object with the metric keys.")
  boolean json;

  @Option(names = "--bins", description = "Number of bins (default 15).")
  int bins = MetricsAccumulator.DEFAULT_BINS;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = options.session();
    try {
      Dataset<Row> scores = options.read(spark);
      ScoreColumns columns = ScoreColumns.fromSchema(scores.schema(), options.format());
      CalibrationMetrics m = SparkMetrics.compute(scores, columns, bins);
      Map<String, Double> values = m.byKey();
      if (json) {
        spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(values));
      } else {
        values.forEach(
            (key, value) ->
                spec.commandLine()
                    .getOut()
                    .println(String.format(Locale.ROOT, "%-15s %.6f", key, value)));
        spec.commandLine().getOut().printf(Locale.ROOT, "%-15s %d%n", "rows", m.rows());
      }
      spec.commandLine().getOut().flush();
      return 0;
    } finally {
      spark.stop();
    }
  }
}
