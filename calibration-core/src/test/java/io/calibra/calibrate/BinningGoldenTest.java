package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.calibra.RandomData;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classwise isotonic regression and histogram binning against scikit-learn 1.2.1
 * (golden/fits/make_binning.py, run with Debian's python3-sklearn): K = 2, 3, 4 with many tied
 * values, values within 1e-15 of each other (pooled), test values outside the fitted range, a label
 * that is never gold and a set of one gold class. Thresholds, fitted values, bin values and
 * calibrated rows must be bit-for-bit scikit-learn's.
 */
class BinningGoldenTest {
  private static final JsonNode ROOT = GoldenFits.load("/golden/fits/binning.json");

  record Case(String name, JsonNode json) {
    @Override
    public String toString() {
      return name;
    }

    LabelSet labels() {
      return RandomData.labels(json.get("k").asInt());
    }

    LabelledSet fitData() {
      return GoldenFits.labelled(rows("fit_rows"), json.get("gold"));
    }

    List<LabelDistribution> rows(String field) {
      return GoldenFits.exactRows(labels(), json.get(field));
    }
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    ROOT.get("cases").forEach(c -> out.add(new Case(c.get("name").asText(), c)));
    assertThat(out).hasSize(6);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isotonicIsScikitLearns(Case c) {
    Calibrator fitted = MethodFits.labelled(CalibrationMethod.ISOTONIC).fit(c.fitData());
    Calibrator.Isotonic iso = (Calibrator.Isotonic) fitted;
    JsonNode expected = c.json.get("isotonic");
    int k = c.labels().size();
    for (int label = 0; label < k; label++) {
      assertThat(iso.thresholds(label))
          .as("thresholds of label %d", label)
          .containsExactly(GoldenCase.doubles(expected.get("thresholds").get(label)));
      assertThat(iso.values(label))
          .as("values of label %d", label)
          .containsExactly(GoldenCase.doubles(expected.get("values").get(label)));
    }
    checkCalibrated(fitted, c, expected.get("calibrated"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void histogramBinningIsScikitLearnsCalibrationCurve(Case c) {
    JsonNode expected = c.json.get("histogram");
    int bins = expected.get("bins").asInt();
    Calibrator fitted =
        MethodFits.labelled(CalibrationMethod.HISTOGRAM_BINNING)
            .fit(c.fitData(), FitOptions.defaults().withBins(bins));
    Calibrator.HistogramBinning h = (Calibrator.HistogramBinning) fitted;
    assertThat(h.bins()).isEqualTo(bins);
    for (int label = 0; label < c.labels().size(); label++) {
      assertThat(h.values(label))
          .as("bin values of label %d", label)
          .containsExactly(GoldenCase.doubles(expected.get("values").get(label)));
    }
    checkCalibrated(fitted, c, expected.get("calibrated"));
  }

  private static void checkCalibrated(Calibrator fitted, Case c, JsonNode expected) {
    List<LabelDistribution> test = c.rows("test_rows");
    assertThat(expected.size()).isEqualTo(test.size());
    for (int r = 0; r < test.size(); r++) {
      double[] want = GoldenCase.doubles(expected.get(r));
      double[] row = test.get(r).toArray();
      fitted.applyInto(row, 0, row, 0);
      assertThat(row).as("calibrated row %d", r).containsExactly(want);
      // apply() wraps the row in a distribution, which divides it by its sum once more
      assertThat(fitted.apply(test.get(r)).toArray())
          .as("calibrated distribution %d", r)
          .containsExactly(want, within(1e-15));
    }
  }
}
