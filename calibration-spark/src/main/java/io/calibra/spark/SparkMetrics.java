package io.calibra.spark;

import io.calibra.label.LabelDistribution;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.MetricsAccumulator;
import io.calibra.metrics.StreamingEqualMassEce;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Every metric of {@code calibra metrics} over a Spark Dataset, equal to the single-machine result
 * on the same rows to rounding: the streaming metrics by {@link MetricsAggregator} (one pass), and
 * the equal-mass ECE exactly, by the three passes of {@link StreamingEqualMassEce} run as Spark
 * jobs over the partitions (a histogram of confidences summed over partitions, the values where
 * groups meet, then per-group sums and per-value sums of the rows tied where groups meet). Rows
 * tied in confidence count with their tie's mean correctness, so neither the Dataset's row order
 * nor its partitioning changes the result (docs/metrics.md).
 *
 * <p>The Dataset is read four times; its (confidence, correct) pairs are cached between passes.
 * Needs gold labels. Spark retries of failed tasks give the same result (each pass is a pure
 * function of its partition).
 */
public final class SparkMetrics {
  private SparkMetrics() {}

  /**
   * The metrics of a Dataset of scores with gold labels, with {@code bins} bins.
   *
   * @throws IllegalArgumentException if the Dataset is empty, has no gold column, or a cell is
   *     malformed (naming the row)
   */
  public static CalibrationMetrics compute(Dataset<Row> scores, ScoreColumns columns, int bins) {
    CalibrationMetrics streaming = aggregate(scores, columns, bins);
    if (streaming == null || streaming.rows() == 0) {
      throw new IllegalArgumentException("the Dataset has no rows; metrics need at least one");
    }
    JavaRDD<double[]> pairs = confidences(scores, columns).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return streaming.withEceEqualMass(equalMassEce(pairs, bins));
    } finally {
      pairs.unpersist(false);
    }
  }

  private static CalibrationMetrics aggregate(Dataset<Row> scores, ScoreColumns columns, int bins) {
    if (!List.of(scores.columns()).contains(columns.goldColumn())) {
      throw new IllegalArgumentException(
          "no gold column '"
              + columns.goldColumn()
              + "' in "
              + List.of(scores.columns())
              + "; metrics need gold labels");
    }
    MetricsAccumulator merged =
        scores.select(new MetricsAggregator(columns, bins, scores.schema()).toColumn()).first();
    return merged.rows() == 0 ? null : merged.result();
  }

  /** Each row as {confidence, 1 if the prediction is right else 0}, in the Dataset's order. */
  static JavaRDD<double[]> confidences(Dataset<Row> scores, ScoreColumns columns) {
    StructType schema = scores.schema();
    return scores
        .javaRDD()
        .mapPartitions(
            rows -> {
              List<double[]> out = new ArrayList<>();
              ScoreColumns.Positions at = columns.positions(schema);
              while (rows.hasNext()) {
                Row row = rows.next();
                LabelDistribution p = at.distribution(row);
                out.add(new double[] {p.confidence(), p.argmax() == at.gold(row) ? 1 : 0});
              }
              return out.iterator();
            });
  }

  /** The three passes of the exact equal-mass ECE, over partitions in order. */
  static double equalMassEce(JavaRDD<double[]> pairs, int bins) {
    StreamingEqualMassEce driver =
        pairs
            .mapPartitions(
                rows -> {
                  StreamingEqualMassEce part = new StreamingEqualMassEce(bins);
                  rows.forEachRemaining(r -> part.count(r[0]));
                  return List.of(part).iterator();
                })
            .treeReduce(
                (a, b) -> {
                  a.mergeCounts(b);
                  return a;
                });
    driver.endCountPass();
    StreamingEqualMassEce observer = driver.partForObservePass();
    List<Tuple2<Integer, StreamingEqualMassEce>> observed =
        new ArrayList<>(
            pairs
                .mapPartitionsWithIndex(
                    (index, rows) -> {
                      StreamingEqualMassEce part = observer; // a fresh copy in every task
                      rows.forEachRemaining(r -> part.observe(r[0]));
                      return single(new Tuple2<>(index, part));
                    },
                    true)
                .collect());
    observed.sort((a, b) -> Integer.compare(a._1(), b._1()));
    driver.endObservePass(observed.stream().map(Tuple2::_2).toList());
    List<StreamingEqualMassEce> assigners = new ArrayList<>();
    for (int p = 0; p < observed.size(); p++) {
      assigners.add(driver.partForAssignPass(p));
    }
    List<StreamingEqualMassEce> assigned =
        pairs
            .mapPartitionsWithIndex(
                (index, rows) -> {
                  StreamingEqualMassEce part = assigners.get(index);
                  rows.forEachRemaining(r -> part.assign(r[0], r[1] == 1));
                  return single(part);
                },
                true)
            .collect();
    assigned.forEach(driver::mergeAssigned);
    return driver.ece();
  }

  private static <T> Iterator<T> single(T value) {
    return Collections.singletonList(value).iterator();
  }
}
