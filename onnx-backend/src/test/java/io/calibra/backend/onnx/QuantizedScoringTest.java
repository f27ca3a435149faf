package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The int8 MiniLM quantises activations over the whole batch tensor (DynamicQuantizeLinear), so
 * batched scores depended on batch neighbours. Dynamically quantised graphs are now detected from
 * the model bytes and run one prompt at a time unless batching is asked for.
 */
class QuantizedScoringTest {
  /** Made-up sentences of varied length; 40 of them fill batches of 1, 3 and 16 differently. */
  private static final List<String> SENTENCES = Sentences.generate(40, 16);

  static byte[] resource(String name) throws IOException {
    try (InputStream in = QuantizedScoringTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static double[][] scores(Scorer scorer, List<String> prompts) {
    List<LabelScores> out = scorer.scoreAll(prompts, EncoderScorerTest.SENTIMENT);
    double[][] rows = new double[out.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = out.get(i).toArray();
    }
    return rows;
  }

  /**
   * The int8 scores of {@link #SENTENCES} one prompt at a time, the reference the tests compare
   * with: computed once per class, since the same model gives the same bits each time (the
   * fingerprint is the same and batch size 1 has no batch to depend on).
   */
  private static double[][] oneAtATime;

  private static synchronized double[][] int8Alone() {
    if (oneAtATime == null) {
      oneAtATime = int8Scores(1);
    }
    return oneAtATime;
  }

  private static double[][] int8Scores(int batchSize) {
    try (Scorer s =
        OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8()).batchSize(batchSize).build()) {
      return scores(s, SENTENCES);
    }
  }

  @Test
  void detectorFindsDynamicQuantizationInTheInt8MiniLmOnly() throws IOException {
    Map<String, Integer> int8 = GraphOps.count("int8", resource("all-minilm-l6-v2-q.onnx"));
    Map<String, Integer> fp32 = GraphOps.count("fp32", resource("all-minilm-l6-v2.onnx"));
    // MiniLM-L6 has six layers, each with several quantised MatMuls.
    assertThat(int8.get("DynamicQuantizeLinear")).isGreaterThanOrEqualTo(6);
    assertThat(GraphOps.dynamicQuantization(int8)).containsKey("DynamicQuantizeLinear");
    // The parser really reads fp32's nodes: six layers of attention and feed-forward MatMuls.
    assertThat(fp32.get("MatMul")).isGreaterThanOrEqualTo(36);
    assertThat(GraphOps.dynamicQuantization(fp32)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "causal-exact",
        "causal-position",
        "classifier-exact",
        "gpt2-tiny",
        "gpt2-tiny-past",
        "masked-exact"
      })
  void fixturesHaveNodesButNoDynamicQuantization(String fixture) throws IOException {
    byte[] model =
        Files.readAllBytes(ExactFixtures.folder(fixture).resolve(ModelSource.MODEL_FILE));
    Map<String, Integer> ops = GraphOps.count(fixture, model);
    assertThat(ops).isNotEmpty();
    assertThat(GraphOps.dynamicQuantization(ops)).isEmpty();
  }

  /** Hand-built ModelProto: graph { node { op_type "If", attribute { g { node "DQL" } } } }. */
  @Test
  void detectorDescendsIntoSubgraphsAndFunctions() {
    byte[] inner = field(1, field(4, "DynamicQuantizeLinear".getBytes(StandardCharsets.UTF_8)));
    byte[] attribute = concat(field(1, bytes("then_branch")), field(6, inner));
    byte[] ifNode = concat(field(4, bytes("If")), field(5, attribute));
    // ir_version = 8 (varint field 1) before the graph, to be skipped.
    byte[] model = concat(new byte[] {0x08, 0x08}, field(7, field(1, ifNode)));
    assertThat(GraphOps.count("hand-built", model))
        .containsExactly(Map.entry("DynamicQuantizeLinear", 1), Map.entry("If", 1));
    // FunctionProto.node is field 3; ModelProto.functions is field 25.
    byte[] function =
        concat(field(1, bytes("f")), field(3, field(4, bytes("DynamicQuantizeMatMul"))));
    assertThat(GraphOps.dynamicQuantization(GraphOps.count("with function", field(25, function))))
        .containsExactly(Map.entry("DynamicQuantizeMatMul", 1));
  }

  @Test
  void malformedBytesAreAnErrorNamingTheModelNotAnEmptyGraph() throws IOException {
    byte[] model = resource("all-minilm-l6-v2-q.onnx");
    byte[] truncated = Arrays.copyOf(model, model.length / 2);
    assertThatThrownBy(() -> GraphOps.count("half.onnx", truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the graph of ONNX model half.onnx")
        .hasMessageContaining("runs past byte");
    assertThatThrownBy(() -> GraphOps.count("groups.onnx", new byte[] {0x0b}))
        .hasMessageContaining("wire type 3 at byte 1");
    assertThatThrownBy(() -> GraphOps.count("cut.onnx", new byte[] {0x08, (byte) 0x80}))
        .hasMessageContaining("a varint cut off at byte 2");
  }

  @Test
  void int8ScoresAreBitIdenticalForBatchSizes1And3And16() {
    double[][] one = int8Alone();
    double[][] three = int8Scores(3);
    double[][] sixteen = int8Scores(16);
    for (int i = 0; i < one.length; i++) {
      assertThat(three[i]).as("prompt %d at batch 3", i).containsExactly(one[i]);
      assertThat(sixteen[i]).as("prompt %d at batch 16", i).containsExactly(one[i]);
    }
  }

  @Test
  void int8ScoresDoNotDependOnInputOrder() {
    List<String> reversed = new ArrayList<>(SENTENCES);
    Collections.reverse(reversed);
    try (Scorer s = OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8()).batchSize(16).build()) {
      double[][] forward = scores(s, SENTENCES);
      double[][] backward = scores(s, reversed);
      for (int i = 0; i < forward.length; i++) {
        assertThat(backward[forward.length - 1 - i]).as("prompt %d", i).containsExactly(forward[i]);
      }
    }
  }

  @Test
  void int8ScoresFromEightThreadsAreBitIdenticalToSerial() throws Exception {
    double[][] serial = int8Alone();
    try (Scorer s = OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8()).batchSize(16).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<double[][]>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(pool.submit(() -> scores(s, SENTENCES)));
        }
        for (Future<double[][]> f : futures) {
          double[][] parallel = f.get();
          for (int i = 0; i < serial.length; i++) {
            assertThat(parallel[i]).as("prompt %d", i).containsExactly(serial[i]);
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  /**
   * The opt-in keeps the old batched behaviour, whose scores move with the batch: this is the bug
   * the default avoids, and shows the tests above would catch it.
   */
  @Test
  void optInBatchingIsFasterModeWhoseScoresDependOnTheBatch() {
    double[][] alone = int8Alone();
    try (Scorer batched =
        OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8())
            .batchSize(16)
            .quantizedBatching(true)
            .build()) {
      double[][] b = scores(batched, SENTENCES);
      int differing = 0;
      for (int i = 0; i < alone.length; i++) {
        if (!Arrays.equals(alone[i], b[i])) {
          differing++;
        }
      }
      assertThat(differing).isGreaterThan(0);
    }
  }

  @Test
  void aQuantizedModelInAFolderIsDetectedToo(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve(ModelSource.MODEL_FILE), resource("all-minilm-l6-v2-q.onnx"));
    Files.write(
        dir.resolve(ModelSource.TOKENIZER_FILE), resource("all-minilm-l6-v2-q-tokenizer.json"));
    double[][] embedded = int8Alone();
    try (Scorer folder = OnnxScorers.encoder(ModelSource.directory(dir)).batchSize(16).build()) {
      double[][] fromFolder = scores(folder, SENTENCES);
      for (int i = 0; i < embedded.length; i++) {
        assertThat(fromFolder[i]).as("prompt %d", i).containsExactly(embedded[i]);
      }
    }
  }

  @Test
  void fingerprintsIgnoreBatchSizeButTellTheTwoQuantizedModesApart() {
    List<String> int8 = new ArrayList<>();
    for (int b : new int[] {1, 3, 16}) {
      try (Scorer s = OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8()).batchSize(b).build()) {
        int8.add(s.fingerprint());
      }
    }
    assertThat(int8).containsOnly(int8.get(0));
    try (Scorer batched =
            OnnxScorers.encoder(ModelSource.embeddedMiniLmInt8()).quantizedBatching(true).build();
        Scorer fp32 = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build();
        Scorer fp32Opt =
            OnnxScorers.encoder(ModelSource.embeddedMiniLm())
                .batchSize(3)
                .quantizedBatching(true)
                .build()) {
      assertThat(batched.fingerprint()).isNotEqualTo(int8.get(0));
      // fp32 is not quantised: the setting changes nothing, batching included.
      assertThat(fp32Opt.fingerprint()).isEqualTo(fp32.fingerprint());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A length-delimited protobuf field (wire type 2); lengths here are below 128. */
  private static byte[] field(int number, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, ((long) number << 3) | 2);
    writeVarint(out, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
