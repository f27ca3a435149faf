package io.calibra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ScalingFit;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.io.ScoreFormat;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Fits on a Dataset equal calibration-core's single-machine fits on the same rows collected to the
 * driver (the reference: {@link TemperatureScaling#fit(LabelledSet)}, {@link
 * VectorScaling#fitWithDiagnostics(LabelledSet, double)}, {@link CalibrationMethod#CONTEXTUAL}).
 */
class SparkFitTest {
  private static final ScoreColumns COLUMNS =
      ScoreColumns.of(SparkTestData.LABELS, ScoreFormat.PROB);
  private static final LabelSet LABELS = LabelSet.of(SparkTestData.LABELS);

  private static LabelledSet collected(Dataset<Row> scores) {
    List<LabelDistribution> rows = new ArrayList<>();
    List<String> gold = new ArrayList<>();
    double[] p = new double[LABELS.size()];
    for (Row row : scores.collectAsList()) {
      for (int j = 0; j < p.length; j++) {
        p[j] = row.getDouble(2 + j);
      }
      rows.add(LabelDistribution.ofProbabilities(LABELS, p));
      gold.add(row.getString(1));
    }
    return LabelledSet.of(rows, gold);
  }

  @Test
  void temperatureAndVectorScalingOnSkewedPartitionsEqualTheSingleMachineFits() {
    Dataset<Row> scores = SparkTestData.skewedHundredThousand().cache();
    try {
      LabelledSet single = collected(scores);

      double expected = ((Calibrator.Temperature) TemperatureScaling.fit(single)).temperature();
      double actual =
          ((Calibrator.Temperature) SparkFit.temperature(scores, COLUMNS)).temperature();
      assertThat(actual).isCloseTo(expected, within(1e-6));
      assertThat(expected).isNotCloseTo(1.0, within(0.05)); // the data are miscalibrated

      ScalingFit memory = VectorScaling.fitWithDiagnostics(single, 1e-3);
      ScalingFit spark = SparkFit.vector(scores, COLUMNS, 1e-3);
      assertThat(spark.converged()).isTrue();
      Calibrator.Scaling a = (Calibrator.Scaling) memory.calibrator();
      Calibrator.Scaling b = (Calibrator.Scaling) spark.calibrator();
      assertThat(b.weights()).containsExactly(a.weights(), within(1e-6));
      assertThat(b.biases()).containsExactly(a.biases(), within(1e-6));
    } finally {
      scores.unpersist();
    }
  }

  @Test
  void contextualCalibrationFromContentFreeRows() {
    Dataset<Row> contentFree = SparkTestData.rows(0, 5, 2);
    List<LabelDistribution> rows = collected(contentFree).distributions();
    assertThat(SparkFit.contextual(contentFree, COLUMNS))
        .isEqualTo(
            CalibrationMethod.CONTEXTUAL
                .fitting(io.calibra.calibrate.MethodFit.ContentFreeRows.class)
                .orElseThrow()
                .fit(rows));
    assertThatThrownBy(() -> SparkFit.contextual(SparkTestData.rows(0, 0, 1), COLUMNS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found none");
  }

  @Test
  void aSingleGoldClassCannotBeFitted() {
    Dataset<Row> oneClass = SparkTestData.rows(0, 100, 2).filter("gold = 'sports'");
    assertThatThrownBy(() -> SparkFit.temperature(oneClass, COLUMNS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found only 'sports'");
  }
}
