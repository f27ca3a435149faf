package io.calibra.calibrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.golden.GoldenCase;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The inputs the fit references were computed on (golden/fits/make_fits.py writes them to
 * fits.json): seeded synthetic logits by name ("synthetic-...") or a golden case's real MiniLM
 * scores; test resources read as JSON, their named cases, and rows written as exact values.
 */
final class GoldenFits {
  private static final JsonNode FITS = load("/golden/fits/fits.json");
  private static final Map<String, LabelledSet> SOURCES = new HashMap<>();

  private GoldenFits() {}

  /** The fits' references: {@code fits.json}. */
  static JsonNode fits() {
    return FITS;
  }

  /** The labelled rows named {@code name} (fits.json's inputs or a golden case), loaded once. */
  static synchronized LabelledSet source(String name) {
    return SOURCES.computeIfAbsent(name, GoldenFits::read);
  }

  private static LabelledSet read(String name) {
    if (!name.startsWith("synthetic")) {
      GoldenCase g = GoldenCase.load(name);
      return LabelledSet.of(g.rawDistributions(), g.gold);
    }
    JsonNode input = FITS.get("inputs").get(name);
    JsonNode logits = input.get("logits");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < logits.get(0).size(); i++) {
      names.add("c" + i);
    }
    LabelSet labels = LabelSet.of(names);
    List<LabelDistribution> rows = new ArrayList<>();
    logits.forEach(row -> rows.add(LabelDistribution.ofLogits(labels, GoldenCase.doubles(row))));
    int[] gold = new int[rows.size()];
    for (int i = 0; i < gold.length; i++) {
      gold[i] = input.get("gold").get(i).asInt();
    }
    return LabelledSet.of(rows, gold);
  }

  /** A JSON test resource; fails naming it when it is missing. */
  static JsonNode load(String resource) {
    try (InputStream in = GoldenFits.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One element of a reference file's list of cases, named for the test report. */
  record Case(String name, JsonNode json) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The elements of {@code root.get(list)}, each named by its field {@code nameField}. */
  static Stream<Case> cases(JsonNode root, String list, String nameField) {
    List<Case> out = new ArrayList<>();
    root.get(list).forEach(c -> out.add(new Case(c.get(nameField).asText(), c)));
    return out.stream();
  }

  /**
   * Rows of probabilities that the reference script wrote as fixed points of {@link
   * LabelDistribution#ofProbabilities}, so that Java sees the reference's values bit for bit
   * (checked here).
   */
  static List<LabelDistribution> exactRows(LabelSet labels, JsonNode rows) {
    List<LabelDistribution> out = new ArrayList<>();
    for (JsonNode r : rows) {
      double[] p = GoldenCase.doubles(r);
      LabelDistribution d = LabelDistribution.ofProbabilities(labels, p);
      org.assertj.core.api.Assertions.assertThat(d.toArray()).containsExactly(p);
      out.add(d);
    }
    return out;
  }

  /** {@code rows} labelled with the gold indices {@code gold}. */
  static LabelledSet labelled(List<LabelDistribution> rows, JsonNode gold) {
    int[] g = new int[rows.size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = gold.get(i).asInt();
    }
    return LabelledSet.of(rows, g);
  }
}
