package io.calibra.golden;

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

/**
 * A golden case of ../shared/golden (copied into test resources): real MiniLM scores in,
 * numpy/scipy reference values out.
 */
public final class GoldenCase {
  public static final List<String> NAMES =
      List.of("sst2-zeroshot-minilm", "sst2-fourshot-minilm", "agnews-zeroshot-minilm");

  public final String name;
  public final LabelSet labels;
  public final List<double[]> logits = new ArrayList<>();
  public final int[] gold;
  public final List<double[]> contentFreeLogits = new ArrayList<>();
  public final JsonNode expected;

  private GoldenCase(String name, JsonNode root) {
    this.name = name;
    List<String> names = new ArrayList<>();
    root.get("labels").forEach(n -> names.add(n.asText()));
    this.labels = LabelSet.of(names);
    JsonNode rows = root.get("rows");
    this.gold = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      gold[i] = rows.get(i).get("gold").asInt();
      logits.add(doubles(rows.get(i).get("logits")));
    }
    for (String input : List.of("N/A", "", "[MASK]")) {
      contentFreeLogits.add(doubles(root.get("content_free_logits").get(input)));
    }
    this.expected = root.get("expected");
  }

  public static GoldenCase load(String name) {
    try (InputStream in = GoldenCase.class.getResourceAsStream("/golden/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /golden/" + name + ".json");
      }
      return new GoldenCase(name, new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  public List<LabelDistribution> rawDistributions() {
    List<LabelDistribution> out = new ArrayList<>();
    for (double[] z : logits) {
      out.add(LabelDistribution.ofLogits(labels, z));
    }
    return out;
  }

  public List<LabelDistribution> contentFreeDistributions() {
    List<LabelDistribution> out = new ArrayList<>();
    for (double[] z : contentFreeLogits) {
      out.add(LabelDistribution.ofLogits(labels, z));
    }
    return out;
  }

  public LabelledSet raw() {
    return LabelledSet.of(rawDistributions(), gold);
  }

  @Override
  public String toString() {
    return name;
  }
}
