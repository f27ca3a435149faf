package io.calibra.spark;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One local[2] Spark session per test JVM, and seeded score Datasets. */
final class SparkTestData {
  static final List<String> LABELS = List.of("world", "sports", "business", "science");

  private static SparkSession session;

  private SparkTestData() {}

  /**
   * local[2] with up to 3 attempts per task (so a task that fails once is retried), small shuffles,
   * no UI; queries are interpreted rather than compiled to Java (whole-stage code generation and
   * adaptive re-planning cost more CPU than the test datasets take to process, and give the same
   * rows).
   */
  static synchronized SparkSession spark() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2,3]")
              .appName("calibra-spark-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.sql.codegen.wholeStage", "false")
              .config("spark.sql.adaptive.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
      session.sparkContext().setLogLevel("ERROR");
    }
    return session;
  }

  static StructType schema() {
    StructType s =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("id", DataTypes.StringType, false),
                DataTypes.createStructField("gold", DataTypes.StringType, false)));
    for (String label : LABELS) {
      s = s.add(label, DataTypes.DoubleType, false);
    }
    return s;
  }

  /**
   * Row {@code i} of a seeded score set: probabilities over {@link #LABELS}, a third of them on a
   * grid of quarters so that many rows tie in confidence across partition and group boundaries;
   * gold drawn from the row's distribution, whose reported probabilities are softened, so that
   * accuracy and calibration are neither trivial nor perfect.
   */
  static Row row(long i) {
    SplittableRandom random = new SplittableRandom(0x5eed ^ (i * 0x9E3779B97F4A7C15L));
    int k = LABELS.size();
    double[] p = new double[k];
    double sum = 0;
    boolean grid = i % 3 == 0;
    for (int j = 0; j < k; j++) {
      p[j] = grid ? 1 + random.nextInt(4) : Math.exp(2 * random.nextGaussian());
      sum += p[j];
    }
    for (int j = 0; j < k; j++) {
      p[j] /= sum;
    }
    double u = random.nextDouble();
    int gold = k - 1;
    double c = 0;
    for (int j = 0; j < k; j++) {
      c += p[j];
      if (u < c) {
        gold = j;
        break;
      }
    }
    Object[] values = new Object[2 + k];
    values[0] = "r" + i;
    values[1] = LABELS.get(gold);
    double soft = 0; // reported probabilities are softened (sqrt): underconfident, so ECE > 0
    for (int j = 0; j < k; j++) {
      soft += Math.sqrt(p[j]);
    }
    for (int j = 0; j < k; j++) {
      values[2 + j] = Math.sqrt(p[j]) / soft;
    }
    return RowFactory.create(values);
  }

  /** Rows {@code from..to-1} in {@code partitions} partitions, in order. */
  static Dataset<Row> rows(long from, long to, int partitions) {
    return spark()
        .range(from, to, 1, partitions)
        .map((MapFunction<Long, Row>) SparkTestData::row, Encoders.row(schema()));
  }

  /**
   * 100,000 rows in skewed partitions, in order: three of 20,000, an empty one, one of 1 row, one
   * of 10 rows and one of 39,989. The properties tested (partials merged across uneven, empty and
   * tiny partitions equal one pass over the rows) do not depend on the size; a million rows and
   * more are measured by benchmarks/spark.sh.
   */
  static Dataset<Row> skewedHundredThousand() {
    return rows(0, 60_000, 3)
        .union(rows(60_000, 60_001, 2)) // one empty partition, one of a single row
        .union(rows(60_001, 60_011, 1))
        .union(rows(60_011, 100_000, 1));
  }
}
