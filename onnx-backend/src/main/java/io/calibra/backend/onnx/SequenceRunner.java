package io.calibra.backend.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs token sequences through a graph in length-sorted, right-padded batches, feeding whatever the
 * graph asks for among {@code input_ids}, {@code attention_mask}, {@code token_type_ids}, {@code
 * position_ids}, {@code past_key_values.*} (empty) and {@code use_cache_branch} (false), and hands
 * each batch's {@code logits} to a consumer. Token logits of a graph whose vocabulary is fixed are
 * written by ONNX Runtime into a direct buffer (a pinned output), never copied into the Java heap.
 * Every tensor and result is closed.
 */
final class SequenceRunner {
  /** Receives one batch's logits: {@code shape} is the logits tensor's shape. */
  interface BatchConsumer {
    void accept(int[] batch, FloatBuffer logits, long[] shape);
  }

  /** Token-level logits {@code [batch, sequence, vocabulary]}, as language models give. */
  static final String TOKEN_LOGITS = "[batch, sequence, vocabulary]";

  /** Sequence-level logits {@code [batch, classes]}, as classifiers give. */
  static final String CLASS_LOGITS = "[batch, classes]";

  /**
   * Bytes of token logits per model run, at most: a batch of long prompts is split into runs of
   * fewer rows (a 290-token prompt over GPT-2's 50,257-word vocabulary alone gives 58 MB of
   * logits).
   */
  static final long MAX_LOGITS_BYTES_PER_RUN = 64L << 20;

  private final OnnxSession session;
  private final String modelId;
  private final long vocabulary;
  private final DirectBuffers buffers = new DirectBuffers();

  SequenceRunner(OnnxSession session, String modelId) {
    this.session = session;
    this.modelId = modelId;
    this.vocabulary =
        session.outputNames().contains("logits") ? session.outputVocabulary("logits") : -1;
    session.requireLongInputs("input_ids");
    for (Map.Entry<String, NodeInfo> input : session.inputs().entrySet()) {
      String name = input.getKey();
      boolean known =
          name.equals("input_ids")
              || name.equals("attention_mask")
              || name.equals("token_type_ids")
              || name.equals("position_ids")
              || name.equals("use_cache_branch")
              || isPast(name);
      if (!known) {
        throw new IllegalArgumentException(
            "model "
                + session.name()
                + " has an input '"
                + name
                + "' that calibra cannot feed; expected"
                + " input_ids, attention_mask, token_type_ids, position_ids, past_key_values.* or"
                + " use_cache_branch");
      }
    }
  }

  private static boolean isPast(String name) {
    return name.startsWith("past_key_values") || name.startsWith("past.");
  }

  /**
   * Runs {@code sequences} and hands each batch's logits to {@code consumer}, after checking that
   * they have the rank of {@code layout} ({@link #TOKEN_LOGITS} or {@link #CLASS_LOGITS}).
   */
  void run(List<long[]> sequences, int batchSize, String layout, BatchConsumer consumer) {
    int[] lengths = new int[sequences.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = sequences.get(i).length;
    }
    for (int[] batch : Buckets.byLength(lengths, batchSize)) {
      int longest = 0;
      for (int i : batch) {
        longest = Math.max(longest, lengths[i]);
      }
      long rowBytes = layout.equals(TOKEN_LOGITS) ? 4L * longest * Math.max(vocabulary, 1) : 1;
      int rows = (int) Math.max(1, Math.min(batch.length, MAX_LOGITS_BYTES_PER_RUN / rowBytes));
      for (int from = 0; from < batch.length; from += rows) {
        runBatch(
            sequences,
            java.util.Arrays.copyOfRange(batch, from, Math.min(batch.length, from + rows)),
            layout,
            consumer);
      }
    }
  }

  private void runBatch(
      List<long[]> sequences, int[] batch, String layout, BatchConsumer consumer) {
    int b = batch.length;
    int s = 0;
    for (int i : batch) {
      s = Math.max(s, sequences.get(i).length);
    }
    long[] ids = new long[b * s];
    long[] mask = new long[b * s];
    long[] positions = new long[b * s];
    for (int r = 0; r < b; r++) {
      long[] seq = sequences.get(batch[r]);
      System.arraycopy(seq, 0, ids, r * s, seq.length);
      for (int t = 0; t < seq.length; t++) {
        mask[r * s + t] = 1;
        positions[r * s + t] = t;
      }
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    Map<String, OnnxTensor> pinned = new HashMap<>();
    try (DirectBuffers.Lease lease = buffers.lease()) {
      runBatch(feed, pinned, lease, batch, b, s, ids, mask, positions, layout, consumer);
    } finally {
      OnnxSession.closeAll(feed);
      OnnxSession.closeAll(pinned);
    }
  }

  private void runBatch(
      Map<String, OnnxTensor> feed,
      Map<String, OnnxTensor> pinned,
      DirectBuffers.Lease lease,
      int[] batch,
      int b,
      int s,
      long[] ids,
      long[] mask,
      long[] positions,
      String layout,
      BatchConsumer consumer) {
    long[] shape = {b, s};
    try {
      feed.put("input_ids", OnnxSession.longTensor(ids, shape));
      if (session.hasInput("attention_mask")) {
        feed.put("attention_mask", OnnxSession.longTensor(mask, shape));
      }
      if (session.hasInput("token_type_ids")) {
        feed.put("token_type_ids", OnnxSession.longTensor(new long[b * s], shape));
      }
      if (session.hasInput("position_ids")) {
        feed.put("position_ids", OnnxSession.longTensor(positions, shape));
      }
      for (Map.Entry<String, NodeInfo> input : session.inputs().entrySet()) {
        if (isPast(input.getKey())) {
          feed.put(input.getKey(), emptyPast(input.getKey(), input.getValue(), b));
        } else if (input.getKey().equals("use_cache_branch")) {
          feed.put(input.getKey(), OnnxTensor.createTensor(OnnxSession.ENV, new boolean[] {false}));
        }
      }
      // Token logits with a fixed vocabulary go straight into a direct buffer (a pinned output):
      // consumers read the few rows they need from it, nothing is copied into the Java heap.
      FloatBuffer pinnedLogits = null;
      if (layout.equals(TOKEN_LOGITS) && vocabulary > 0) {
        long floats = (long) b * s * vocabulary;
        if (floats <= Integer.MAX_VALUE / 4) {
          pinnedLogits = lease.floats(floats);
          pinned.put(
              "logits",
              OnnxTensor.createTensor(
                  OnnxSession.ENV, pinnedLogits, new long[] {b, s, vocabulary}));
        }
      }
      if (pinnedLogits != null) {
        try (OrtSession.Result ignored = session.run(feed, java.util.Set.of(), pinned)) {
          consumer.accept(batch, pinnedLogits, new long[] {b, s, vocabulary});
        }
        return;
      }
      try (OrtSession.Result result = session.run(feed)) {
        OnnxValue value = result.get("logits").orElseGet(() -> result.get(0));
        if (!(value instanceof OnnxTensor tensor)
            || ((TensorInfo) tensor.getInfo()).type != OnnxJavaType.FLOAT) {
          throw new IllegalStateException(
              "model " + modelId + " returned " + value.getInfo() + "; expected float logits");
        }
        long[] outShape = tensor.getInfo().getShape();
        int rank = layout.split(",").length;
        if (outShape.length != rank) {
          throw new IllegalStateException(
              "model "
                  + modelId
                  + " returned logits of shape "
                  + java.util.Arrays.toString(outShape)
                  + "; expected "
                  + layout);
        }
        if (outShape[0] != b) {
          throw new IllegalStateException(
              "model "
                  + modelId
                  + " returned logits of shape "
                  + java.util.Arrays.toString(outShape)
                  + " for a batch of "
                  + b);
        }
        consumer.accept(batch, tensor.getFloatBuffer(), outShape);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed preparing inputs for model " + modelId + ": " + e.getMessage(), e);
    }
  }

  private OnnxTensor emptyPast(String name, NodeInfo info, int batch) throws OrtException {
    if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException(
          "model "
              + session.name()
              + " input '"
              + name
              + "' is "
              + info.getInfo()
              + "; expected a float past key/value tensor");
    }
    long[] shape = t.getShape().clone();
    if (shape.length != 4) {
      throw new IllegalArgumentException(
          "model "
              + session.name()
              + " input '"
              + name
              + "' has rank "
              + shape.length
              + "; expected [batch, heads, past_sequence, head_size]");
    }
    shape[0] = batch;
    shape[2] = 0;
    for (int d : new int[] {1, 3}) {
      if (shape[d] < 1) {
        throw new IllegalArgumentException(
            "model "
                + session.name()
                + " input '"
                + name
                + "' has a dynamic dimension "
                + d
                + "; expected fixed heads and head size");
      }
    }
    return OnnxTensor.createTensor(OnnxSession.ENV, FloatBuffer.allocate(0), shape);
  }
}
