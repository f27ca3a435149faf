package io.calibra.spark;

import io.calibra.label.LabelDistribution;
import io.calibra.metrics.MetricsAccumulator;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.types.StructType;

/**
 * A typed Spark {@link Aggregator} over a {@link MetricsAccumulator}: each partition adds its rows
 * to an accumulator, and partial accumulators combine with {@link MetricsAccumulator#merge}, so the
 * result equals one accumulator over all rows up to the order of floating-point sums. The
 * equal-mass ECE needs the rows' order and is left out (see {@link SparkMetrics}).
 *
 * <p>Use: {@code dataset.select(new MetricsAggregator(columns, 15, dataset.schema()).toColumn())}.
 * Buffers travel as Java-serialised accumulators; the output is the merged accumulator (call {@link
 * MetricsAccumulator#result()}).
 */
public final class MetricsAggregator
    extends Aggregator<Row, MetricsAccumulator, MetricsAccumulator> {
  private static final long serialVersionUID = 1L;

  private final ScoreColumns columns;
  private final int bins;
  private final StructType schema;
  private transient ScoreColumns.Positions at;

  /**
   * An aggregator of the metrics of rows of {@code schema} with {@code bins} equal-width bins.
   *
   * @throws IllegalArgumentException unless {@code bins >= 1}
   */
  public MetricsAggregator(ScoreColumns columns, int bins, StructType schema) {
    this.columns = java.util.Objects.requireNonNull(columns, "columns");
    this.schema = java.util.Objects.requireNonNull(schema, "schema");
    if (bins < 1) {
      throw new IllegalArgumentException("bins is " + bins + "; expected at least 1");
    }
    this.bins = bins;
  }

  @Override
  public MetricsAccumulator zero() {
    return new MetricsAccumulator(columns.labels(), bins, false);
  }

  @Override
  public MetricsAccumulator reduce(MetricsAccumulator acc, Row row) {
    if (at == null) {
      at = columns.positions(schema);
    }
    LabelDistribution p = at.distribution(row);
    acc.add(p, at.gold(row));
    return acc;
  }

  @Override
  public MetricsAccumulator merge(MetricsAccumulator a, MetricsAccumulator b) {
    a.merge(b);
    return a;
  }

  @Override
  public MetricsAccumulator finish(MetricsAccumulator acc) {
    return acc; // the driver calls result(): an empty Dataset is its error, not an executor's
  }

  @Override
  public Encoder<MetricsAccumulator> bufferEncoder() {
    return Encoders.javaSerialization(MetricsAccumulator.class);
  }

  @Override
  public Encoder<MetricsAccumulator> outputEncoder() {
    return Encoders.javaSerialization(MetricsAccumulator.class);
  }
}
