package io.calibra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.io.ScoreFormat;
import io.calibra.spark.cli.SparkMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output of {@code calibra-spark calibrate} read back as scores is refused, as {@code calibra}
 * refuses it: its calibrated_LABEL and confidence columns would otherwise count as labels and the
 * metrics would be wrong with exit 0. Column positions are counted by hand in the headers below.
 */
class SparkCalibratedOutputRefusedTest {
  @TempDir Path folder;

  private static StructType schema(String... names) {
    StructType schema = new StructType();
    for (String name : names) {
      schema = schema.add(name, DataTypes.StringType);
    }
    return schema;
  }

  @Test
  void fromSchemaRefusesCalibrateOutputColumns() {
    StructType output =
        schema(
            "id",
            "gold",
            "negative",
            "positive",
            "calibrated_negative",
            "calibrated_positive",
            "prediction",
            "confidence");
    assertThatThrownBy(() -> ScoreColumns.fromSchema(output, ScoreFormat.LOGIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("column 5: column 'calibrated_negative'")
        .hasMessageContaining("calibra-spark calibrate's output");
  }

  @Test
  void fromSchemaKeepsALabelNamedConfidence() {
    ScoreColumns columns =
        ScoreColumns.fromSchema(schema("id", "gold", "confidence", "doubt"), ScoreFormat.LOGIT);
    assertThat(columns.labels().names()).containsExactly("confidence", "doubt");
  }

  @Test
  void metricsOnCalibrateOutputExitsThreeWithOneLine() throws IOException {
    Path csv = folder.resolve("calibrated.csv");
    Files.writeString(
        csv,
        "id,gold,negative,positive,calibrated_negative,calibrated_positive,prediction,confidence\n"
            + "r1,positive,-1.0,2.0,0.05,0.95,positive,0.95\n"
            + "r2,negative,1.0,-2.0,0.95,0.05,negative,0.95\n",
        StandardCharsets.UTF_8);
    SparkTestData.spark(); // the session the command finds running
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        SparkMain.run(
            new String[] {"metrics", "--input", csv.toString(), "--scores", "logit"},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().strip())
        .doesNotContain("\n")
        .contains(csv.toString())
        .contains("'calibrated_negative'");
  }
}
