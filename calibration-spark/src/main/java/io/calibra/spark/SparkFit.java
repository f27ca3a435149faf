package io.calibra.spark;

import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.PartitionedRows;
import io.calibra.calibrate.ScalingFit;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits calibrators on Datasets too large for one machine. Temperature and vector scaling run
 * calibration-core's own optimisers on the driver ({@link TemperatureScaling#fit(PartitionedRows)},
 * {@link VectorScaling#fitWithDiagnostics(PartitionedRows, double)}); every objective, gradient and
 * Hessian they ask for is a sum over the partitions by {@code treeAggregate}, over the rows kept as
 * floored log-probabilities in executor memory (spilled to disk when needed) for the duration of
 * the fit. The result equals the single-machine fit on the same rows up to the order of sums (1e-6
 * and better).
 *
 * <p>Contextual calibration needs only the content-free rows, which are few by nature (a handful of
 * neutral inputs, or hundreds for domain-context calibration): they are collected to the driver (at
 * most {@value #MAX_CONTENT_FREE_ROWS}) and fitted there.
 */
public final class SparkFit {
  /** The most content-free rows {@link #contextual} collects. */
  public static final int MAX_CONTENT_FREE_ROWS = 1_000_000;

  private SparkFit() {}

  /**
   * Temperature scaling fitted on a Dataset of scores with gold labels.
   *
   * @throws IllegalArgumentException on fewer than 2 rows, a single gold class, or a malformed cell
   *     (naming the row)
   */
  public static Calibrator temperature(Dataset<Row> scores, ScoreColumns columns) {
    try (DatasetRows rows = DatasetRows.of(scores, columns)) {
      return TemperatureScaling.fit(rows);
    }
  }

  /**
   * Vector scaling with regularisation {@code lambda}, fitted on a Dataset of scores with gold
   * labels; the result says whether the optimiser converged.
   *
   * @throws IllegalArgumentException as {@link #temperature}, or on a negative or non-finite {@code
   *     lambda}
   */
  public static ScalingFit vector(Dataset<Row> scores, ScoreColumns columns, double lambda) {
    try (DatasetRows rows = DatasetRows.of(scores, columns)) {
      return VectorScaling.fitWithDiagnostics(rows, lambda);
    }
  }

  /**
   * Contextual calibration (Zhao et al. 2021) from a Dataset of content-free scores, fitted as
   * {@link ContextualCalibration#fit(List)} fits distributions in Java.
   *
   * @throws IllegalArgumentException if the Dataset is empty or larger than {@value
   *     #MAX_CONTENT_FREE_ROWS} rows
   */
  public static Calibrator contextual(Dataset<Row> contentFree, ScoreColumns columns) {
    List<Row> rows = contentFree.limit(MAX_CONTENT_FREE_ROWS + 1).collectAsList();
    if (rows.isEmpty() || rows.size() > MAX_CONTENT_FREE_ROWS) {
      throw new IllegalArgumentException(
          "contextual calibration needs 1 to "
              + MAX_CONTENT_FREE_ROWS
              + " content-free rows; found "
              + (rows.isEmpty() ? "none" : "more"));
    }
    ScoreColumns.Positions at = columns.positions(contentFree.schema());
    List<LabelDistribution> distributions = new ArrayList<>(rows.size());
    for (Row row : rows) {
      distributions.add(at.distribution(row));
    }
    return ContextualCalibration.fit(distributions);
  }

  /** One partition's rows as floored log-probabilities and gold indices. */
  private record Part(double[] z, int[] gold) implements Serializable {}

  /** A Dataset's rows kept in executor memory for the duration of a fit. */
  private static final class DatasetRows implements PartitionedRows, AutoCloseable {
    private final LabelSet labels;
    private final JavaRDD<Part> parts;

    private DatasetRows(LabelSet labels, JavaRDD<Part> parts) {
      this.labels = labels;
      this.parts = parts;
    }

    static DatasetRows of(Dataset<Row> scores, ScoreColumns columns) {
      StructType schema = scores.schema();
      int k = columns.labels().size();
      JavaRDD<Part> parts =
          scores
              .javaRDD()
              .mapPartitions(
                  rows -> {
                    ScoreColumns.Positions at = columns.positions(schema);
                    double[] z = new double[1024 * k];
                    int[] gold = new int[1024];
                    int n = 0;
                    while (rows.hasNext()) {
                      Row row = rows.next();
                      if (n == gold.length) {
                        gold = java.util.Arrays.copyOf(gold, 2 * n);
                        z = java.util.Arrays.copyOf(z, 2 * n * k);
                      }
                      PartitionedRows.logRow(at.distribution(row), z, n * k);
                      gold[n++] = at.gold(row);
                    }
                    return List.of(
                            new Part(
                                java.util.Arrays.copyOf(z, n * k),
                                java.util.Arrays.copyOf(gold, n)))
                        .iterator();
                  })
              .persist(StorageLevel.MEMORY_AND_DISK());
      return new DatasetRows(columns.labels(), parts);
    }

    @Override
    public LabelSet labels() {
      return labels;
    }

    @Override
    public double[] sum(Kernel kernel) {
      int k = labels.size();
      int width = kernel.width();
      return parts.treeAggregate(
          new double[width],
          (into, part) -> {
            kernel.add(part.z(), part.gold(), k, 0, part.gold().length, into);
            return into;
          },
          (a, b) -> {
            for (int i = 0; i < width; i++) {
              a[i] += b[i];
            }
            return a;
          });
    }

    @Override
    public void close() {
      parts.unpersist(false);
    }
  }
}
