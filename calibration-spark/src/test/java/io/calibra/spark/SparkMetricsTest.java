package io.calibra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.io.ScoreFormat;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.MetricsAccumulator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Distributed metrics equal the single-machine ones: the reference is calibration-core's {@link
 * MetricsAccumulator} with its in-memory equal-mass ECE over the same rows collected to the driver
 * in the Dataset's order (what {@code calibra metrics} computes on the file of those rows).
 */
class SparkMetricsTest {
  private static final ScoreColumns COLUMNS =
      ScoreColumns.of(SparkTestData.LABELS, ScoreFormat.PROB);

  private static CalibrationMetrics singleMachine(List<Row> rows, int bins) {
    LabelSet labels = LabelSet.of(SparkTestData.LABELS);
    MetricsAccumulator acc = new MetricsAccumulator(labels, bins, true);
    double[] p = new double[labels.size()];
    for (Row row : rows) {
      for (int j = 0; j < p.length; j++) {
        p[j] = row.getDouble(2 + j);
      }
      acc.add(LabelDistribution.ofProbabilities(labels, p), labels.requireIndex(row.getString(1)));
    }
    return acc.result();
  }

  private static void assertSameMetrics(CalibrationMetrics spark, CalibrationMetrics single) {
    assertThat(spark.rows()).isEqualTo(single.rows());
    Map<String, Double> expected = single.byKey();
    Map<String, Double> actual = spark.byKey();
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach(
        (key, value) -> assertThat(actual.get(key)).as(key).isCloseTo(value, within(1e-9)));
    assertThat(spark.predictionCounts()).isEqualTo(single.predictionCounts());
  }

  @Test
  void aHundredThousandRowsInSkewedPartitionsEqualTheSingleMachineMetrics() {
    Dataset<Row> scores = SparkTestData.skewedHundredThousand().cache();
    try {
      assertThat(scores.javaRDD().glom().map(List::size).collect())
          .containsExactly(20_000, 20_000, 20_000, 0, 1, 10, 39_989);
      CalibrationMetrics single = singleMachine(scores.collectAsList(), 15);
      CalibrationMetrics spark = SparkMetrics.compute(scores, COLUMNS, 15);
      assertSameMetrics(spark, single);
      // the data are not trivially calibrated: the values compared are not 0 or 1
      assertThat(single.eceEqualMass().getAsDouble()).isBetween(0.01, 0.5);
      assertThat(single.accuracy()).isBetween(0.3, 0.9);
    } finally {
      scores.unpersist();
    }
  }

  @Test
  void aTaskThatFailsOnceIsRetriedWithTheSameResult() {
    Dataset<Row> scores =
        SparkTestData.rows(0, 50_000, 4)
            .map(
                (MapFunction<Row, Row>)
                    row -> {
                      TaskContext task = TaskContext.get();
                      if (task.partitionId() == 1 && task.attemptNumber() == 0) {
                        throw new IllegalStateException("injected failure of a first attempt");
                      }
                      return row;
                    },
                Encoders.row(SparkTestData.schema()));
    CalibrationMetrics single = singleMachine(SparkTestData.rows(0, 50_000, 4).collectAsList(), 10);
    assertSameMetrics(SparkMetrics.compute(scores, COLUMNS, 10), single);
  }

  @Test
  void anEmptyDatasetOrOneWithoutGoldIsAClearError() {
    assertThatThrownBy(() -> SparkMetrics.compute(SparkTestData.rows(0, 0, 2), COLUMNS, 15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no rows");
    assertThatThrownBy(
            () -> SparkMetrics.compute(SparkTestData.rows(0, 10, 2).drop("gold"), COLUMNS, 15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no gold column 'gold'");
  }

  @Test
  void theSameTiedRowsInAnotherOrderAndPartitioningGiveTheSameMetrics() {
    // only the rows on the grid of quarters: a few distinct confidences, so every group boundary
    // falls inside a tie of right and wrong rows
    String grid = "cast(substring(id, 2) as long) % 3 = 0";
    Dataset<Row> inOrder = SparkTestData.rows(0, 6_000, 3).where(grid);
    Dataset<Row> shuffled =
        SparkTestData.rows(0, 6_000, 2)
            .where(grid)
            .orderBy(org.apache.spark.sql.functions.hash(org.apache.spark.sql.functions.col("id")));
    assertThat(shuffled.first().getString(0)).isNotEqualTo("r0");
    CalibrationMetrics first = SparkMetrics.compute(inOrder, COLUMNS, 15);
    CalibrationMetrics second = SparkMetrics.compute(shuffled, COLUMNS, 15);
    assertThat(second.eceEqualMass().getAsDouble())
        .isCloseTo(first.eceEqualMass().getAsDouble(), within(1e-12));
    assertSameMetrics(second, singleMachine(inOrder.collectAsList(), 15));
  }

  @Test
  void aPositiveLogProbabilityIsAnErrorNamingTheRow() {
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Row r = SparkTestData.row(i);
      Object[] values = new Object[r.size()];
      values[0] = r.get(0);
      values[1] = r.get(1);
      for (int j = 2; j < r.size(); j++) {
        values[j] = i == 5 && j == 3 ? 0.5 : Math.log(r.getDouble(j));
      }
      rows.add(org.apache.spark.sql.RowFactory.create(values));
    }
    Dataset<Row> scores = SparkTestData.spark().createDataFrame(rows, SparkTestData.schema());
    assertThatThrownBy(
            () ->
                SparkMetrics.compute(
                    scores, ScoreColumns.of(SparkTestData.LABELS, ScoreFormat.LOGPROB), 15))
        .hasStackTraceContaining(
            "row with id 'r5': log-probability for label 'sports' (index 1) is 0.5; expected a"
                + " value <= 0");
  }
}
