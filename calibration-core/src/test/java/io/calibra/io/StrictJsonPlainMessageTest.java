package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A JSON syntax error is reported at file:line:column in plain words, without Jackson's "[Source:
 * REDACTED ...]" block. Lines and columns are counted by hand in the texts below (Jackson counts
 * columns from 1).
 */
class StrictJsonPlainMessageTest {
  private static final Path FILE = Path.of("model.json");

  @Test
  void aTruncatedObjectSaysWhereItStartsAndThatTheFileEnds() {
    assertThatThrownBy(
            () -> StrictJson.parse("{\"schema_version\": 2,\n  \"kind\": 1", FILE, "calibrator"))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith("model.json:2:")
        .hasMessageContaining("the file ends before the JSON is complete")
        .hasMessageContaining("not a valid calibrator JSON file (corrupt or truncated)")
        .hasMessageContaining("the object that starts at line 1, column 1 is not closed")
        .hasMessageNotContaining("Source")
        .hasMessageNotContaining("REDACTED")
        .hasMessageNotContaining("StreamReadFeature")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aFileEndingBetweenAKeyAndItsValueSaysTheFileEnds() {
    assertThatThrownBy(() -> StrictJson.parse("{\"kind\": ", FILE, "calibrator"))
        .isInstanceOf(DataFileException.class)
        .hasMessageEndingWith("(corrupt or truncated): the file ends before the JSON is complete")
        .hasMessageNotContaining("Source");
  }

  @Test
  void aTruncatedArrayInsideAnObjectNamesTheArray() {
    assertThatThrownBy(() -> StrictJson.parse("{\"a\": [1, 2", FILE, "calibrator"))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("the array that starts at line 1, column 7")
        .hasMessageNotContaining("Source");
  }

  @Test
  void aBadCharacterKeepsJacksonsDescriptionWithoutItsInternals() {
    assertThatThrownBy(() -> StrictJson.parse("{\"a\": 1,}", FILE, "calibrator"))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith("model.json:1:9:")
        .hasMessageContaining("Unexpected character ('}'")
        .hasMessageNotContaining("Source");
  }
}
