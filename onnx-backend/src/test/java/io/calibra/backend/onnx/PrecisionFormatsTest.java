package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.io.DataFileException;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One tiny causal LM in every format calibra loads (src/test/fixtures/make_precision_fixtures.py):
 * fp32, the same graph with its weights in an external data file, fp16, int8 (dynamic quantisation)
 * and int4 (MatMulNBits). Expected values: each file's label log-probabilities computed by
 * onnxruntime in Python, one prompt at a time on whole sequences (expected.json).
 */
class PrecisionFormatsTest {
  static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", "bad", "very bad")
          .add("positive", "good", "very good")
          .build();

  /** The leading words every prompt of the fixture but two shares; reuse covers all of them. */
  static final String PREFIX = "review : the movie was";

  private static Path root;
  private static JsonNode expected;
  private static List<String> prompts;

  @BeforeAll
  static void load() throws IOException, URISyntaxException {
    root =
        Path.of(
            PrecisionFormatsTest.class
                .getClassLoader()
                .getResource("fixtures/causal-tiny")
                .toURI());
    expected = new ObjectMapper().readTree(root.resolve("expected.json").toFile());
    prompts = new ArrayList<>();
    expected.get("prompts").forEach(p -> prompts.add(p.asText()));
    assertThat(prompts).hasSize(5);
  }

  private static Scorer open(String format, int batchSize) {
    return OnnxScorers.causalLm(
            ModelSource.files(
                root.resolve(format).resolve("model.onnx"), root.resolve("tokenizer.json")))
        .batchSize(batchSize)
        .build();
  }

  private static double[][] scores(Scorer scorer) {
    List<LabelScores> out = scorer.scoreBatch(prompts, LABELS);
    double[][] rows = new double[out.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = out.get(i).toArray();
    }
    return rows;
  }

  private static double[][] expected(String format) {
    JsonNode rows = expected.get(format);
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new double[] {rows.get(i).get(0).asDouble(), rows.get(i).get(1).asDouble()};
    }
    return out;
  }

  private static double largestDifference(double[][] a, double[][] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[i].length; k++) {
        d = Math.max(d, Math.abs(a[i][k] - b[i][k]));
      }
    }
    return d;
  }

  /**
   * Every format scores through the same scorer, whole prompts and on a cached prefix, batched and
   * not, as onnxruntime scores the same file one sequence at a time. Tolerance 2e-4 for the float32
   * graphs (fp32, external, and int4, whose MatMulNBits dequantises weights and computes in
   * float32): sums in another order (padding, batch, the split at the prefix, ONNX Runtime 1.29 in
   * Java against Python's build) move a log-probability by a few 1e-6 to 1e-5. The int8 graph runs
   * one prompt at a time and whole (see below), so it sees the same sequences as in Python. The
   * fp16 graph keeps 11 significant bits (relative rounding 4.9e-4) on logits of magnitude up to
   * about 10, so one rounding that falls differently moves a log-probability by up to 5e-3: its
   * tolerance is 1e-2 (measured: 5.8e-3).
   */
  @ParameterizedTest
  @ValueSource(strings = {"fp32", "external", "fp16", "int8", "int4"})
  void everyFormatScoresAsOnnxRuntimeDoesOnTheSameFile(String format) {
    double[][] want = expected(format);
    double tolerance = format.equals("fp16") ? 1e-2 : 2e-4;
    for (int batch : new int[] {1, 3, 16}) {
      try (Scorer scorer = open(format, batch)) {
        assertThat(largestDifference(scores(scorer), want))
            .as(format + " whole, batch " + batch)
            .isLessThan(tolerance);
        assertThat(largestDifference(scores(scorer.withPromptPrefix(PREFIX)), want))
            .as(format + " prefix, batch " + batch)
            .isLessThan(tolerance);
        long held = ((CausalLmScorer) scorer).prefixCacheBytes();
        if (format.equals("int8")) {
          assertThat(held).as("int8 reuses no prefix").isZero();
        } else {
          assertThat(held).as(format + " reuses the prefix's cache").isPositive();
        }
      }
    }
  }

  /** External data is found beside the file, and the scores are those of the one-file export. */
  @Test
  void externalDataLoadsByPathAndScoresAsTheOneFileExport() {
    assertThat(expected("external")).isDeepEqualTo(expected("fp32"));
    try (Scorer inside = open("fp32", 16);
        Scorer external = open("external", 16)) {
      assertThat(largestDifference(scores(external), scores(inside))).isLessThan(1e-6);
      assertThat(external.fingerprint()).isNotEqualTo(inside.fingerprint());
    }
  }

  @Test
  void graphReaderFindsTheExternalDataFile() throws IOException {
    assertThat(
            GraphOps.read("external", Files.readAllBytes(root.resolve("external/model.onnx")))
                .externalFiles())
        .containsExactly("model.onnx_data");
    assertThat(
            GraphOps.read("fp32", Files.readAllBytes(root.resolve("fp32/model.onnx")))
                .externalFiles())
        .isEmpty();
    try (var channel = java.nio.channels.FileChannel.open(root.resolve("int8/model.onnx"))) {
      assertThat(GraphOps.read("int8", channel).operators())
          .containsKey("DynamicQuantizeLinear")
          .isEqualTo(GraphOps.count("int8", Files.readAllBytes(root.resolve("int8/model.onnx"))));
    }
  }

  /** The weights are part of the content hash: one changed byte of the data file changes it. */
  @Test
  void changingTheExternalWeightsChangesTheFingerprint(@TempDir Path dir) throws IOException {
    Path copy = copyExternal(dir);
    String before;
    try (Scorer s = causal(copy)) {
      before = s.fingerprint();
    }
    Path data = copy.resolve("model.onnx_data");
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length - 1] ^= 1;
    Files.write(data, bytes);
    try (Scorer s = causal(copy)) {
      assertThat(s.fingerprint()).isNotEqualTo(before);
    }
  }

  @Test
  void missingExternalDataIsAnErrorNamingTheModelFile(@TempDir Path dir) throws IOException {
    Path copy = copyExternal(dir);
    Files.delete(copy.resolve("model.onnx_data"));
    assertThatThrownBy(() -> causal(copy))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(copy.resolve("model.onnx") + ":")
        .hasMessageContaining("model.onnx_data");
  }

  /** Bytes have no folder to find external data in: said plainly, with the way out. */
  @Test
  void externalDataModelGivenAsBytesIsRefusedWithTheWayOut() throws IOException {
    ModelSource bytes =
        ModelSource.bytes(
            "external",
            Files.readAllBytes(root.resolve("external/model.onnx")),
            Files.readAllBytes(root.resolve("tokenizer.json")));
    assertThatThrownBy(() -> OnnxScorers.causalLm(bytes).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("external data files [model.onnx_data]")
        .hasMessageContaining("ModelSource.directory");
  }

  /**
   * int8 (dynamic quantisation) scales each run's activations by their own range, so scores depend
   * on the run: it is detected, run one prompt at a time and whole (no prefix reuse), so every
   * batch size and the prefix view give the same scores bit for bit.
   */
  @Test
  void dynamicallyQuantizedExportIsRunOnePromptAtATimeAndWhole() {
    try (Scorer one = open("int8", 1);
        Scorer sixteen = open("int8", 16)) {
      double[][] a = scores(one);
      assertThat(scores(sixteen)).isDeepEqualTo(a);
      assertThat(scores(sixteen.withPromptPrefix(PREFIX))).isDeepEqualTo(a);
      assertThat(sixteen.withPromptPrefix(PREFIX)).isSameAs(sixteen);
    }
  }

  /** The formats differ from fp32 as the quantisers make them, and each differently. */
  @Test
  void lowerPrecisionsMoveScoresByTheirOwnAmount() {
    double[][] fp32 = expected("fp32");
    assertThat(largestDifference(expected("torch"), fp32)).isLessThan(1e-4);
    for (String format : Set.of("fp16", "int8", "int4")) {
      assertThat(largestDifference(expected(format), fp32)).as(format).isGreaterThan(1e-4);
    }
  }

  private static Path copyExternal(Path dir) throws IOException {
    for (String name : List.of("model.onnx", "model.onnx_data")) {
      Files.copy(
          root.resolve("external").resolve(name),
          dir.resolve(name),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Files.copy(root.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    return dir;
  }

  private static Scorer causal(Path dir) {
    return OnnxScorers.causalLm(ModelSource.directory(dir)).build();
  }
}
