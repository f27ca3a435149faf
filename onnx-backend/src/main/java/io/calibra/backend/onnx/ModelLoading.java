package io.calibra.backend.onnx;

import io.calibra.backend.Fingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Opens a source's model and reads what the builders need from it: the session, a content hash and
 * the operator counts. A model file is opened by path (ONNX Runtime reads it and its external data
 * itself) and read by calibra only through small buffers, so its weights never enter the Java heap;
 * a model on the class path or given as bytes is read into memory first.
 */
final class ModelLoading {
  /**
   * An open model: the session (null while only read), the SHA-256 of its bytes, its graph's facts.
   */
  record Opened(OnnxSession session, String sha256, GraphOps.Graph graph) {}

  private static final int CHUNK = 1 << 20;

  private ModelLoading() {}

  /**
   * Opens {@code source}'s model.
   *
   * @throws IllegalArgumentException (a {@link io.calibra.io.DataFileException} for a file) if the
   *     model cannot be loaded or read
   */
  static Opened open(ModelSource source, int intraOpThreads) {
    Path file = source.modelFile();
    if (file == null) {
      byte[] model = source.readModel();
      GraphOps.Graph graph = graphOf(source, model);
      if (graph != null && !graph.externalFiles().isEmpty()) {
        throw source.badModel(
            new IllegalArgumentException(
                "model "
                    + source.modelName()
                    + " keeps its weights in external data files "
                    + graph.externalFiles()
                    + ", which a model given as bytes cannot reach; open it from its folder"
                    + " (ModelSource.directory or ModelSource.files)"));
      }
      OnnxSession session =
          session(source, () -> OnnxSession.open(source.modelName(), model, intraOpThreads));
      try {
        return new Opened(
            session, Fingerprint.sha256(model), GraphOps.read(source.modelName(), model));
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
    // Hashing the file takes about as long as ONNX Runtime's session set-up: one runs beside the
    // other, on the second core, and the start-up cost is the longer of the two.
    FutureTask<Opened> facts = new FutureTask<>(() -> facts(source, file));
    Thread scanner = new Thread(facts, "calibra-model-hash");
    scanner.setDaemon(true);
    scanner.start();
    OnnxSession session;
    try {
      session = session(source, () -> OnnxSession.open(source.modelName(), file, intraOpThreads));
    } catch (RuntimeException e) {
      facts.cancel(true);
      throw e;
    }
    try {
      Opened read = join(facts);
      return new Opened(session, read.sha256(), read.graph());
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** The hash and graph facts of a model file (no session). */
  private static Opened facts(ModelSource source, Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      GraphOps.Graph graph;
      try {
        graph = GraphOps.read(source.modelName(), channel);
      } catch (IllegalArgumentException e) {
        throw source.badModel(e);
      }
      return new Opened(null, sha256(file, graph.externalFiles()), graph);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + source.modelName() + ": " + e.getMessage(), e);
    }
  }

  private static Opened join(FutureTask<Opened> task) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The graph of {@code model}, or null if it is malformed (ONNX Runtime then says more). */
  private static GraphOps.Graph graphOf(ModelSource source, byte[] model) {
    try {
      return GraphOps.read(source.modelName(), model);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static OnnxSession session(ModelSource source, Supplier<OnnxSession> open) {
    try {
      return open.get();
    } catch (IllegalArgumentException e) {
      throw source.badModel(e);
    }
  }

  /**
   * The SHA-256 of the model file followed, for each external data file in name order, by its name
   * and its bytes: a change to any weight changes the hash.
   */
  static String sha256(Path model, Iterable<String> externalFiles) throws IOException {
    MessageDigest hasher = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    hash(model, hasher, buffer);
    Path dir = model.toAbsolutePath().getParent();
    for (String name : externalFiles) {
      hasher.update(name.getBytes(StandardCharsets.UTF_8));
      Path data = dir.resolve(name);
      if (Files.isRegularFile(data)) {
        hash(data, hasher, buffer);
      }
    }
    return HexFormat.of().formatHex(hasher.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static void hash(Path file, MessageDigest hasher, ByteBuffer buffer) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      buffer.clear();
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        hasher.update(buffer);
        buffer.clear();
      }
    }
  }

  /** The dynamic-quantisation operators of {@code graph}, by type; empty if none. */
  static Map<String, Integer> dynamicQuantization(GraphOps.Graph graph) {
    return GraphOps.dynamicQuantization(graph.operators());
  }
}
