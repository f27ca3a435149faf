package io.calibra.backend.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One ONNX Runtime session on the shared environment, with its input and output metadata. */
final class OnnxSession implements AutoCloseable {
  static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /**
   * System property: the intra-op threads of a session whose builder sets none (ONNX Runtime's
   * default, one per core, when absent). The build's test JVMs set 1: two of them run side by side
   * on two cores, and a pool per session only adds threads that wait for each other.
   */
  static final String DEFAULT_THREADS_PROPERTY = "calibra.onnx.intraOpThreads";

  private final String name;
  private final OrtSession session;
  private final Map<String, NodeInfo> inputs;
  private final List<String> outputNames;

  private OnnxSession(String name, OrtSession session) throws OrtException {
    this.name = name;
    this.session = session;
    this.inputs = new LinkedHashMap<>(session.getInputInfo());
    this.outputNames = new ArrayList<>(session.getOutputNames());
  }

  /**
   * Opens a session from model bytes (models on the class path). A model that keeps its weights in
   * external data files cannot be opened this way: ONNX Runtime has no folder to find them in.
   *
   * @throws IllegalArgumentException naming the model if ONNX Runtime cannot load it (missing,
   *     truncated or not an ONNX graph)
   */
  static OnnxSession open(String modelName, byte[] model, int intraOpThreads) {
    if (model.length == 0) {
      throw new IllegalArgumentException("model " + modelName + " is empty (0 bytes)");
    }
    try (OrtSession.SessionOptions options = options(intraOpThreads)) {
      return new OnnxSession(modelName, ENV.createSession(model, options));
    } catch (OrtException e) {
      throw cannotLoad(modelName, model.length, e);
    }
  }

  /**
   * Opens a session from a model file, so that ONNX Runtime reads it itself (no copy in the Java
   * heap) and finds external data files ({@code model.onnx_data} and the like) beside it.
   *
   * @throws IllegalArgumentException naming the model if ONNX Runtime cannot load it (empty,
   *     truncated, not an ONNX graph, or external data missing)
   */
  static OnnxSession open(String modelName, Path model, int intraOpThreads) {
    long size;
    try {
      size = Files.size(model);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + modelName + ": " + e.getMessage(), e);
    }
    if (size == 0) {
      throw new IllegalArgumentException("model " + modelName + " is empty (0 bytes)");
    }
    try (OrtSession.SessionOptions options = options(intraOpThreads)) {
      return new OnnxSession(modelName, ENV.createSession(model.toString(), options));
    } catch (OrtException e) {
      throw cannotLoad(modelName, size, e);
    }
  }

  /**
   * Every optimisation; no memory-pattern planning (it plans buffers per input shape, and every
   * batch here has its own shape, so it only holds memory); intra-op threads that wait without
   * spinning.
   */
  private static OrtSession.SessionOptions options(int intraOpThreads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setMemoryPatternOptimization(false);
      // Idle intra-op threads sleep instead of spinning: spinning threads lose their time slices to
      // each other when the cores are shared. The causal prefix path ran twice as fast without them
      // at a load average of 7 to 10 on 2 cores, and 3% slower at 1.3 (benchmarks/README.md).
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      int threads =
          intraOpThreads > 0 ? intraOpThreads : Integer.getInteger(DEFAULT_THREADS_PROPERTY, 0);
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      return options;
    } catch (OrtException e) {
      options.close();
      throw e;
    }
  }

  private static IllegalArgumentException cannotLoad(String modelName, long size, OrtException e) {
    return new IllegalArgumentException(
        "cannot load ONNX model "
            + modelName
            + " ("
            + size
            + " bytes; truncated or not an ONNX graph?): "
            + e.getMessage(),
        e);
  }

  String name() {
    return name;
  }

  boolean hasInput(String input) {
    return inputs.containsKey(input);
  }

  Map<String, NodeInfo> inputs() {
    return inputs;
  }

  List<String> outputNames() {
    return outputNames;
  }

  /**
   * Checks that the graph has every required input and that they are int64 tensors.
   *
   * @throws IllegalArgumentException naming the model, the input and what it found
   */
  void requireLongInputs(String... required) {
    for (String input : required) {
      NodeInfo info = inputs.get(input);
      if (info == null) {
        throw new IllegalArgumentException(
            "model " + name + " has no input '" + input + "'; its inputs are " + inputs.keySet());
      }
      if (!(info.getInfo() instanceof TensorInfo t)
          || t.type != ai.onnxruntime.OnnxJavaType.INT64) {
        throw new IllegalArgumentException(
            "model "
                + name
                + " input '"
                + input
                + "' is "
                + info.getInfo()
                + "; expected an int64 tensor");
      }
    }
  }

  OrtSession.Result run(Map<String, OnnxTensor> feed) {
    try {
      return session.run(feed);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed running model " + name + ": " + e.getMessage(), e);
    }
  }

  /** Runs the graph, returning only the {@code requested} outputs. */
  OrtSession.Result run(Map<String, OnnxTensor> feed, java.util.Set<String> requested) {
    try {
      return session.run(feed, requested);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed running model " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs the graph, writing the {@code pinned} outputs into the given tensors and returning only
   * the {@code requested} others.
   */
  OrtSession.Result run(
      Map<String, OnnxTensor> feed,
      java.util.Set<String> requested,
      Map<String, ? extends ai.onnxruntime.OnnxValue> pinned) {
    try {
      return session.run(feed, requested, pinned);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed running model " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * The last dimension of output {@code output} when it is a fixed float tensor dimension, else -1.
   */
  long outputVocabulary(String output) {
    try {
      NodeInfo info = session.getOutputInfo().get(output);
      if (info != null
          && info.getInfo() instanceof TensorInfo t
          && t.type == ai.onnxruntime.OnnxJavaType.FLOAT
          && t.getShape().length == 3
          && t.getShape()[2] > 0) {
        return t.getShape()[2];
      }
      return -1;
    } catch (OrtException e) {
      throw new IllegalStateException(
          "cannot read the outputs of model " + name + ": " + e.getMessage(), e);
    }
  }

  static OnnxTensor longTensor(long[] data, long[] shape) {
    try {
      return OnnxTensor.createTensor(ENV, LongBuffer.wrap(data), shape);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot create an int64 tensor: " + e.getMessage(), e);
    }
  }

  static void closeAll(Map<String, OnnxTensor> tensors) {
    for (OnnxTensor t : tensors.values()) {
      t.close();
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close model " + name + ": " + e.getMessage(), e);
    }
  }
}
