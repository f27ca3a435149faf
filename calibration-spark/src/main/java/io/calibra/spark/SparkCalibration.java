package io.calibra.spark;

import io.calibra.calibrate.Calibrator;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.io.SavedCalibrator;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Applies a calibrator to every row of a Dataset of scores, adding the calibrated probability of
 * each label (column {@code calibrated_LABEL}), the predicted label ({@code prediction}) and its
 * probability ({@code confidence}); the input columns are kept.
 *
 * <p>The calibrator travels once per executor as a broadcast of its saved JSON (the format of
 * {@code calibra fit}, so what runs is exactly what was saved), is decoded once per executor JVM,
 * and each partition goes through {@link Calibrator#applyBatch} in chunks of {@value #CHUNK} rows,
 * allocating nothing per row beyond the output rows. Results equal {@code calibra calibrate} on the
 * same scores bit for bit (the same code on the same doubles). The returned Dataset is lazy.
 */
public final class SparkCalibration {
  /** Rows per {@link Calibrator#applyBatch} call. */
  public static final int CHUNK = 4096;

  private static final Map<String, Calibrator> DECODED = new ConcurrentHashMap<>();

  private SparkCalibration() {}

  /**
   * The Dataset with calibrated columns added, by a calibrator as saved in a file.
   *
   * @throws IllegalArgumentException if the calibrator's labels differ from the score columns'
   */
  public static Dataset<Row> calibrate(
      Dataset<Row> scores, SavedCalibrator saved, ScoreColumns columns) {
    LabelSet labels = saved.calibrator().labels();
    if (!labels.names().equals(columns.labels().names())) {
      throw new IllegalArgumentException(
          "the calibrator's labels "
              + labels.names()
              + " differ from the score columns "
              + columns.labels().names());
    }
    for (String name : labels.names()) {
      for (String added : List.of("calibrated_" + name, "prediction", "confidence")) {
        if (List.of(scores.columns()).contains(added)) {
          throw new IllegalArgumentException(
              "the Dataset already has a column '" + added + "'; rename or drop it first");
        }
      }
    }
    byte[] json = CalibratorFiles.toJson(saved);
    Broadcast<byte[]> shared =
        JavaSparkContext.fromSparkContext(scores.sparkSession().sparkContext()).broadcast(json);
    StructType inputSchema = scores.schema();
    StructType schema = outputSchema(inputSchema, labels);
    int k = labels.size();
    return scores.mapPartitions(
        (org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>)
            rows -> {
              Calibrator calibrator = decode(shared.value());
              List<Row> out = new ArrayList<>();
              List<Row> chunk = new ArrayList<>(CHUNK);
              double[] in = new double[CHUNK * k];
              double[] result = new double[CHUNK * k];
              ScoreColumns.Positions at = columns.positions(inputSchema);
              while (rows.hasNext()) {
                Row row = rows.next();
                LabelDistribution p = at.distribution(row);
                p.copyInto(in, chunk.size() * k);
                chunk.add(row);
                if (chunk.size() == CHUNK || !rows.hasNext()) {
                  calibrator.applyBatch(in, result, chunk.size());
                  for (int r = 0; r < chunk.size(); r++) {
                    // as Calibrator.apply returns it (a renormalised distribution): the same
                    // doubles as calibra calibrate writes
                    LabelDistribution.ofProbabilities(
                            labels, java.util.Arrays.copyOfRange(result, r * k, r * k + k))
                        .copyInto(result, r * k);
                    out.add(withCalibrated(chunk.get(r), result, r * k, labels));
                  }
                  chunk.clear();
                }
              }
              return out.iterator();
            },
        Encoders.row(schema));
  }

  /**
   * {@link #calibrate(Dataset, SavedCalibrator, ScoreColumns)} for a calibrator built in Java
   * rather than loaded (its provenance says so).
   */
  public static Dataset<Row> calibrate(
      Dataset<Row> scores, Calibrator calibrator, ScoreColumns columns) {
    return calibrate(
        scores,
        new SavedCalibrator(calibrator, Provenance.now(calibrator.kind().methodName(), 0, null)),
        columns);
  }

  private static Calibrator decode(byte[] json) {
    String key = io.calibra.backend.Fingerprint.sha256(json);
    return DECODED.computeIfAbsent(
        key, k -> CalibratorFiles.fromJson(json, Path.of("broadcast")).calibrator());
  }

  static StructType outputSchema(StructType input, LabelSet labels) {
    List<StructField> fields = new ArrayList<>(Arrays.asList(input.fields()));
    for (String name : labels.names()) {
      fields.add(DataTypes.createStructField("calibrated_" + name, DataTypes.DoubleType, false));
    }
    fields.add(DataTypes.createStructField("prediction", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("confidence", DataTypes.DoubleType, false));
    return DataTypes.createStructType(fields);
  }

  private static Row withCalibrated(Row row, double[] q, int offset, LabelSet labels) {
    int n = row.length();
    int k = labels.size();
    Object[] values = new Object[n + k + 2];
    for (int i = 0; i < n; i++) {
      values[i] = row.get(i);
    }
    int best = 0;
    for (int j = 0; j < k; j++) {
      values[n + j] = q[offset + j];
      if (q[offset + j] > q[offset + best]) {
        best = j;
      }
    }
    values[n + k] = labels.name(best);
    values[n + k + 1] = q[offset + best];
    return RowFactory.create(values);
  }
}
