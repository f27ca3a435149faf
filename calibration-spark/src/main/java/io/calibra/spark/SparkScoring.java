package io.calibra.spark;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.io.ScoreFormat;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a Dataset of prompts on the executors: one scorer per executor JVM, created lazily from a
 * {@link ScorerFactory} on the first partition that needs it, shared by that JVM's tasks (the
 * {@link Scorer} contract makes scorers thread-safe), and closed when the JVM exits. Each partition
 * is scored in batches of the scorer's {@link Scorer#maxBatchSize()}.
 *
 * <p>The output keeps the input columns and adds one column per label, named as the label, holding
 * the scorer's numbers: a Dataset that {@link SparkMetrics}, {@link SparkFit} and {@link
 * SparkCalibration} read with {@link #columns}.
 */
public final class SparkScoring {
  private static final Map<ScorerFactory, Scorer> SCORERS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(SparkScoring::closeAll, "calibra-spark-close-scorers"));
  }

  private SparkScoring() {}

  /**
   * The Dataset with a score column per label for the prompts in {@code promptColumn}.
   *
   * @throws IllegalArgumentException if there is no such column or a label column already exists
   */
  public static Dataset<Row> score(
      Dataset<Row> prompts, String promptColumn, LabelSet labels, ScorerFactory factory) {
    List<String> names = List.of(prompts.columns());
    int promptIndex = names.indexOf(promptColumn);
    if (promptIndex < 0) {
      throw new IllegalArgumentException(
          "no prompt column '" + promptColumn + "'; the columns are " + names);
    }
    for (String label : labels.names()) {
      if (names.contains(label)) {
        throw new IllegalArgumentException(
            "the Dataset already has a column '" + label + "', the name of a label");
      }
    }
    List<StructField> fields = new ArrayList<>(Arrays.asList(prompts.schema().fields()));
    for (String label : labels.names()) {
      fields.add(DataTypes.createStructField(label, DataTypes.DoubleType, false));
    }
    StructType schema = DataTypes.createStructType(fields);
    int k = labels.size();
    return prompts.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            rows -> {
              if (!rows.hasNext()) {
                return java.util.Collections.emptyIterator();
              }
              Scorer scorer = scorer(factory);
              int batch = Math.max(1, scorer.maxBatchSize());
              List<Row> out = new ArrayList<>();
              List<Row> pending = new ArrayList<>(batch);
              List<String> texts = new ArrayList<>(batch);
              while (rows.hasNext()) {
                Row row = rows.next();
                Object prompt = row.get(promptIndex);
                if (prompt == null) {
                  throw new IllegalArgumentException(
                      "row " + row + ": the prompt column '" + promptColumn + "' is empty");
                }
                pending.add(row);
                texts.add(prompt.toString());
                if (pending.size() == batch || !rows.hasNext()) {
                  List<LabelScores> scores = scorer.scoreBatch(texts, labels);
                  for (int r = 0; r < pending.size(); r++) {
                    Row in = pending.get(r);
                    Object[] values = new Object[in.length() + k];
                    for (int i = 0; i < in.length(); i++) {
                      values[i] = in.get(i);
                    }
                    for (int j = 0; j < k; j++) {
                      values[in.length() + j] = scores.get(r).score(j);
                    }
                    out.add(RowFactory.create(values));
                  }
                  pending.clear();
                  texts.clear();
                }
              }
              return out.iterator();
            },
        Encoders.row(schema));
  }

  /** The score columns of {@link #score}'s output, in the format of the scorer's numbers. */
  public static ScoreColumns columns(LabelSet labels, ScoreKind kind) {
    return ScoreColumns.of(
        labels.names(), kind == ScoreKind.LOGIT ? ScoreFormat.LOGIT : ScoreFormat.LOGPROB);
  }

  /** This JVM's scorer for {@code factory}, created on first use. */
  static Scorer scorer(ScorerFactory factory) {
    return SCORERS.computeIfAbsent(factory, ScorerFactory::create);
  }

  /** Closes this JVM's scorers (at exit; tests call it to check closing). */
  static void closeAll() {
    for (ScorerFactory f : List.copyOf(SCORERS.keySet())) {
      Scorer s = SCORERS.remove(f);
      if (s != null) {
        try {
          s.close();
        } catch (RuntimeException e) {
          System.getLogger(SparkScoring.class.getName())
              .log(System.Logger.Level.WARNING, "calibra-spark: closing a scorer failed", e);
        }
      }
    }
  }
}
