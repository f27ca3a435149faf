package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.calibrate.TemperatureScaling;
import io.calibra.label.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calibrator files are read strictly: nothing after the top-level object, no duplicate keys, an
 * integer schema_version, UTF-8 only, a size limit; each naming the file, line and column.
 */
class StrictJsonTest {
  @TempDir Path tmp;

  private static final Path NAME = Path.of("model.json");

  /** A valid calibrator file as this library writes it (two-space indentation, one key a line). */
  private static String valid() {
    return new String(
        CalibratorFiles.toJson(
            TemperatureScaling.of(LabelSet.of("a", "b"), 2.0),
            Provenance.now("temperature", 0, "")),
        StandardCharsets.UTF_8);
  }

  private static int lineOf(String text, String fragment) {
    int at = text.indexOf(fragment);
    assertThat(at).as("fragment %s", fragment).isNotNegative();
    return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }

  @Test
  void theValidFileLoads() {
    assertThat(CalibratorFiles.fromJson(valid().getBytes(StandardCharsets.UTF_8), NAME))
        .isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[1]", "x", "{\"format\": 1}", "\"tail\""})
  void anythingAfterTheTopLevelObjectIsRefusedWithItsPosition(String tail) {
    String text = valid().stripTrailing() + "\n" + tail + "\n";
    int line = (int) text.chars().filter(c -> c == '\n').count(); // the tail's line
    assertThatThrownBy(() -> CalibratorFiles.fromJson(text.getBytes(StandardCharsets.UTF_8), NAME))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("model.json:" + line + ":1:")
        .hasMessageContaining("not a valid calibrator JSON file");
  }

  @Test
  void aDuplicateKeyIsRefusedWithItsPosition() {
    String base = valid();
    String text = base.replaceFirst("\"format\"", "\"stages\" : [],\n  \"format\"");
    // "stages" now appears twice at the top level: the second is the duplicate
    int line = lineOf(text.substring(text.indexOf("\"labels\"")), "\"stages\"");
    int absolute = lineOf(text, "\"labels\"") + line - 1;
    assertThatThrownBy(() -> CalibratorFiles.fromJson(text.getBytes(StandardCharsets.UTF_8), NAME))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("model.json:" + absolute + ":")
        .hasMessageContaining("Duplicate field 'stages'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "1e0", "\"1\"", "true", "null", "1.5", "9999999999"})
  void aNonIntegerSchemaVersionIsRefusedWithItsPosition(String version) {
    String base = valid();
    String text = base.replaceFirst("\"schema_version\" : \\d+", "\"schema_version\" : " + version);
    assertThat(text).isNotEqualTo(base);
    int line = lineOf(text, "\"schema_version\"");
    int column = text.split("\n")[line - 1].indexOf(version) + 1;
    assertThatThrownBy(() -> CalibratorFiles.fromJson(text.getBytes(StandardCharsets.UTF_8), NAME))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("model.json:" + line + ":" + column + ":")
        .hasMessageContaining("field 'schema_version' is")
        .hasMessageContaining("expected an integer");
  }

  @Test
  void utf16WithAByteOrderMarkIsRefusedAtLineOneColumnOne() {
    byte[] utf16 = ("\uFEFF" + valid()).getBytes(StandardCharsets.UTF_16BE);
    assertThatThrownBy(() -> CalibratorFiles.fromJson(utf16, NAME))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("model.json:1:1:")
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void utf16WithoutAByteOrderMarkIsRefused() {
    // Jackson would detect UTF-16 from the zero bytes; calibra reads UTF-8 only
    byte[] utf16 = valid().getBytes(StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> CalibratorFiles.fromJson(utf16, NAME))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("model.json:1:");
  }

  @Test
  void aLatin1ByteInALabelNameIsRefusedWithItsLineAndColumn() {
    String text = valid().replace("\"name\" : \"b\"", "\"name\" : \"b\u00e9\"");
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int line = lineOf(text, "b\u00e9");
    int column = text.split("\n")[line - 1].indexOf('\u00e9') + 1;
    assertThatThrownBy(() -> CalibratorFiles.fromJson(bytes, NAME))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("model.json:" + line + ":" + column + ":")
        .hasMessageContaining("not valid UTF-8: a bad byte sequence starting with 0xE9");
  }

  @Test
  void aUtf8ByteOrderMarkIsAccepted() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    b.writeBytes(valid().getBytes(StandardCharsets.UTF_8));
    assertThat(CalibratorFiles.fromJson(b.toByteArray(), NAME).calibrator().labels().names())
        .containsExactly("a", "b");
  }

  @Test
  void aFileOverTheSizeLimitIsRefusedBeforeItIsRead() throws IOException {
    Path file = tmp.resolve("big.json");
    Files.writeString(file, valid());
    long size = Files.size(file);
    assertThat(CalibratorFiles.load(file, size)).isNotNull();
    assertThatThrownBy(() -> CalibratorFiles.load(file, size - 1))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("big.json")
        .hasMessageContaining("the file has " + size + " bytes, over the size limit of")
        .hasMessageContaining("-Dcalibra.json.maxBytes=");
    assertThatThrownBy(() -> CalibratorFiles.load(file, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes is 0");
  }

  @Test
  void theDefaultLimitIs64MiBAndTheSystemPropertyChangesIt() throws IOException {
    assertThat(StrictJson.DEFAULT_MAX_BYTES).isEqualTo(64L * 1024 * 1024);
    Path file = tmp.resolve("m.json");
    Files.writeString(file, valid());
    String before = System.getProperty(StrictJson.MAX_BYTES_PROPERTY);
    try {
      System.clearProperty(StrictJson.MAX_BYTES_PROPERTY);
      assertThat(StrictJson.maxBytes()).isEqualTo(StrictJson.DEFAULT_MAX_BYTES);
      System.setProperty(StrictJson.MAX_BYTES_PROPERTY, "10");
      assertThatThrownBy(() -> CalibratorFiles.load(file))
          .hasMessageContaining("over the size limit of 10 bytes");
      System.setProperty(StrictJson.MAX_BYTES_PROPERTY, "ten");
      assertThatThrownBy(StrictJson::maxBytes).hasMessageContaining("expected a number of bytes");
    } finally {
      if (before == null) {
        System.clearProperty(StrictJson.MAX_BYTES_PROPERTY);
      } else {
        System.setProperty(StrictJson.MAX_BYTES_PROPERTY, before);
      }
    }
  }
}
