package io.calibra.backend.http;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The random-weight GPT-2 fixture of onnx-backend (src/test/fixtures/make_gpt2_tiny.py there) run
 * directly with ONNX Runtime and the fixture's tokenizer: the per-token log-probabilities an
 * OpenAI-compatible server would echo. Not thread-safe for construction; {@link #run} is
 * synchronized.
 */
public final class Gpt2Fixture implements AutoCloseable {
  /** The fixture folder, found from either module's working directory. */
  public static Path folder() {
    for (String candidate :
        new String[] {
          "../onnx-backend/src/test/resources/fixtures/gpt2-tiny",
          "onnx-backend/src/test/resources/fixtures/gpt2-tiny"
        }) {
      Path p = Path.of(candidate);
      if (Files.isDirectory(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("cannot find onnx-backend's gpt2-tiny fixture");
  }

  private final HuggingFaceTokenizer tokenizer;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  /** Loads the fixture model and tokenizer. */
  public Gpt2Fixture() {
    Path dir = folder();
    try {
      tokenizer =
          HuggingFaceTokenizer.newInstance(
              dir.resolve("tokenizer.json"),
              Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"));
      try (OrtSession.SessionOptions options = options()) {
        session = env.createSession(dir.resolve("model.onnx").toString(), options);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * ONNX Runtime's defaults, but with the intra-op threads the build gives the test JVMs (the
   * property {@code calibra.onnx.intraOpThreads}, as onnx-backend's sessions read it), when set.
   */
  private static OrtSession.SessionOptions options() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    int threads = Integer.getInteger("calibra.onnx.intraOpThreads", 0);
    if (threads > 0) {
      options.setIntraOpNumThreads(threads);
    }
    return options;
  }

  /** A text's tokens with their text and log-probabilities given the tokens before them. */
  public record Tokens(List<String> texts, long[] ids, double[] logprobs, double[] next) {}

  /**
   * Tokenizes {@code text} and runs the model: {@code logprobs[j]} is the log-probability of token
   * j after tokens 0..j-1 (NaN for token 0), {@code next} the log-softmax after the last token.
   */
  public synchronized Tokens run(String text) {
    long[] ids = tokenizer.encode(text).getIds();
    if (ids.length == 0) {
      throw new IllegalArgumentException("no tokens in '" + text + "'");
    }
    List<String> texts = new ArrayList<>();
    StringBuilder spelled = new StringBuilder();
    for (long id : ids) {
      String t = tokenizer.decode(new long[] {id}, false);
      texts.add(t);
      spelled.append(t);
    }
    if (!spelled.toString().equals(text)) {
      throw new IllegalArgumentException("the tokens of '" + text + "' spell '" + spelled + "'");
    }
    float[][] logits = logits(ids);
    double[] logprobs = new double[ids.length];
    logprobs[0] = Double.NaN;
    for (int j = 1; j < ids.length; j++) {
      logprobs[j] = logSoftmax(logits[j - 1])[(int) ids[j]];
    }
    return new Tokens(texts, ids, logprobs, logSoftmax(logits[ids.length - 1]));
  }

  /** The text of token {@code id}. */
  public synchronized String decode(int id) {
    return tokenizer.decode(new long[] {id}, false);
  }

  private float[][] logits(long[] ids) {
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    long[] positions = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      mask[i] = 1;
      positions[i] = i;
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (String name : session.getInputNames()) {
        long[] values =
            switch (name) {
              case "input_ids" -> ids;
              case "attention_mask" -> mask;
              case "position_ids" -> positions;
              default -> throw new IllegalStateException("fixture input " + name + " unexpected");
            };
        feed.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
      }
      try (OrtSession.Result result = session.run(feed)) {
        float[][][] out = (float[][][]) result.get(0).getValue();
        return out[0];
      }
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  static double[] logSoftmax(float[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : row) {
      sum += Math.exp(v - max);
    }
    double lse = max + Math.log(sum);
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = row[i] - lse;
    }
    return out;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      tokenizer.close();
    }
  }
}
