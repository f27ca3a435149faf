package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.ContextualCalibration.Form;
import io.calibra.calibrate.ContextualCalibration.Rule;
import io.calibra.calibrate.DomainContextCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.label.LabelSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional {@code pcf} field of contextual stages. */
class CalibratorFilesPcfTest {
  static final LabelSet AB = LabelSet.of("a", "b");
  static final double[] PCF = {0.25, 0.75};

  @TempDir Path tmp;

  @Test
  void everyRuleAndFormRoundTripsThroughAFile() {
    for (Rule rule : Rule.values()) {
      for (Calibrator c :
          new Calibrator[] {
            ContextualCalibration.fromBias(AB, PCF, Form.DIAGONAL, rule),
            ContextualCalibration.fromBias(AB, PCF, Form.SUBTRACTIVE, rule),
            DomainContextCalibration.fromBias(AB, PCF, rule),
            ContextualCalibration.fromBias(AB, PCF, Form.DIAGONAL, rule)
                .andThen(TemperatureScaling.of(AB, 2))
          }) {
        Path f = tmp.resolve("c.json");
        CalibratorFiles.save(c, Provenance.now("x", null, null, null), f);
        Calibrator back = CalibratorFiles.load(f).calibrator();
        assertThat(back).isEqualTo(c);
        assertThat(ContextualCalibration.rule(back.stages().get(0))).contains(rule);
        String text = new String(CalibratorFiles.toJson(c, Provenance.now("x", null, null, null)));
        assertThat(text).contains("\"pcf\" : \"" + rule.id() + "\"");
      }
    }
  }

  static String file(String stage) {
    return "{\"format\": \"calibra-calibrator\", \"schema_version\": 2,"
        + " \"labels\": [{\"name\": \"a\", \"words\": [\"a\"]}, {\"name\": \"b\", \"words\":"
        + " [\"b\"]}], \"stages\": ["
        + stage
        + "], \"policy\": null, \"provenance\": {\"method\": \"contextual\"}}";
  }

  static Calibrator parse(String json) {
    return CalibratorFiles.fromJson(json.getBytes(StandardCharsets.UTF_8), Path.of("c.json"))
        .calibrator();
  }

  @Test
  void aStageWithoutTheFieldLoadsAsNormalised() {
    // files written before the field existed were all fitted with the normalised rule
    Calibrator c =
        parse(file("{\"method\": \"contextual\", \"parameters\": {\"bias\": [0.25, 0.75]}}"));
    assertThat(ContextualCalibration.rule(c)).contains(Rule.NORMALISED);
    assertThat(c).isEqualTo(ContextualCalibration.fromBias(AB, PCF, Form.DIAGONAL));
  }

  @Test
  void badFieldsAreClearErrors() {
    assertThatThrownBy(
            () ->
                parse(
                    file(
                        "{\"method\": \"contextual\", \"pcf\": \"RAW-MASS\", \"parameters\":"
                            + " {\"bias\": [0.25, 0.75]}}")))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining(
            "stage 'contextual' field 'pcf' is 'RAW-MASS'; expected raw-mass or normalised");
    assertThatThrownBy(
            () ->
                parse(
                    file(
                        "{\"method\": \"contextual\", \"pcf\": 1, \"parameters\":"
                            + " {\"bias\": [0.25, 0.75]}}")))
        .hasMessageContaining("field 'pcf' is 1; expected raw-mass or normalised");
    assertThatThrownBy(
            () ->
                parse(
                    file(
                        "{\"method\": \"temperature\", \"pcf\": \"raw-mass\", \"parameters\":"
                            + " {\"temperature\": [2]}}")))
        .hasMessageContaining(
            "stage 'temperature' has a 'pcf' field; only contextual, contextual-subtractive and"
                + " domain-context stages have one");
  }
}
