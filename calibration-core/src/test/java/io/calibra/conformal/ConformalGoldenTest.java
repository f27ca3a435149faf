package io.calibra.conformal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact qhat and prediction sets against the numpy reference {@code
 * golden/conformal/make_conformal_cases.py} (fixed 300/300 splits of the three golden cases, LAC,
 * APS and RAPS, marginal and Mondrian, four alphas): thresholds equal to the last bit, sets equal.
 */
class ConformalGoldenTest {
  private static final JsonNode ROOT = load();

  private static JsonNode load() {
    try (InputStream in =
        ConformalGoldenTest.class.getResourceAsStream("/golden/conformal/conformal-cases.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LabelSet labels(JsonNode c) {
    List<String> names = new ArrayList<>();
    c.get("labels").forEach(n -> names.add(n.asText()));
    return LabelSet.of(names);
  }

  static LabelledSet rows(JsonNode c, String part) {
    LabelSet labels = labels(c);
    JsonNode p = c.get(part).get("probabilities");
    List<LabelDistribution> d = new ArrayList<>();
    for (JsonNode row : p) {
      double[] v = new double[row.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = row.get(k).asDouble();
      }
      d.add(LabelDistribution.ofProbabilities(labels, v));
    }
    int[] gold = new int[d.size()];
    for (int i = 0; i < gold.length; i++) {
      gold[i] = c.get(part).get("gold").get(i).asInt();
    }
    return LabelledSet.of(d, gold);
  }

  static ConformalScore score(JsonNode c, String name) {
    return switch (name) {
      case "lac" -> ConformalScore.lac();
      case "aps" -> ConformalScore.aps();
      case "raps" ->
          ConformalScore.raps(
              c.get("raps").get("k_reg").asInt(), c.get("raps").get("lambda").asDouble());
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Stream<Arguments> results() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : ROOT.get("cases")) {
      for (JsonNode r : c.get("results")) {
        String title =
            c.get("name").asText()
                + " "
                + r.get("score").asText()
                + " alpha="
                + r.get("alpha").asDouble()
                + (r.get("mondrian").asBoolean() ? " mondrian" : "");
        out.add(Arguments.of(Named.of(title, c), r));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("results")
  void qhatAndSetsMatchNumpyExactly(JsonNode c, JsonNode r) {
    LabelledSet calibration = rows(c, "calibration");
    LabelledSet test = rows(c, "test");
    ConformalScore score = score(c, r.get("score").asText());
    double alpha = r.get("alpha").asDouble();
    SplitConformal predictor =
        r.get("mondrian").asBoolean()
            ? SplitConformal.fitMondrian(calibration, score, alpha)
            : SplitConformal.fit(calibration, score, alpha);

    double[] expectedQ = new double[calibration.labels().size()];
    for (int k = 0; k < expectedQ.length; k++) {
      JsonNode q = r.get("qhat").get(k);
      expectedQ[k] = q.isTextual() ? Double.POSITIVE_INFINITY : q.asDouble();
    }
    assertThat(predictor.thresholds()).containsExactly(expectedQ);
    if (!predictor.isMondrian()) {
      assertThat(predictor.qhat()).isEqualTo(expectedQ[0]);
    }

    List<PredictionSet> sets = predictor.predictAll(test.distributions());
    for (int i = 0; i < sets.size(); i++) {
      JsonNode e = r.get("sets").get(i);
      int[] members = new int[e.size()];
      for (int j = 0; j < members.length; j++) {
        members[j] = e.get(j).asInt();
      }
      assertThat(sets.get(i).members()).as("test row %d", i).containsExactly(members);
    }
    assertThat(SplitConformal.coverage(sets, test.goldArray()))
        .isEqualTo(r.get("coverage").asDouble());
    assertThat(SplitConformal.meanSize(sets)).isEqualTo(r.get("mean_set_size").asDouble());
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    ROOT.get("cases").forEach(c -> out.add(Arguments.of(Named.of(c.get("name").asText(), c))));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void randomisedScoresWithGivenWeightsMatchNumpyExactly(JsonNode c) {
    LabelledSet test = rows(c, "test");
    for (JsonNode r : c.get("randomised_scores")) {
      LabelDistribution p = test.distribution(r.get("row").asInt());
      double u = r.get("u").asDouble();
      for (String name : List.of("aps", "raps")) {
        double[] expected = new double[p.size()];
        for (int k = 0; k < expected.length; k++) {
          expected[k] = r.get(name).get(k).asDouble();
        }
        assertThat(score(c, name).scores(p, u))
            .as("%s row %s", name, r.get("row"))
            .containsExactly(expected);
        assertThat(score(c, name).score(p, 1, u)).isEqualTo(expected[1]);
      }
    }
  }
}
