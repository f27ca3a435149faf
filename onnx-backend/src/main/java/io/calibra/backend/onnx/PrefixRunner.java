package io.calibra.backend.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a causal model with a key/value cache: computes the cache of a prompt prefix once ({@link
 * #prefix}), then runs token sequences that continue a leading part of that prefix, in
 * length-sorted right-padded batches, with the cache copied in as {@code past_key_values.*}. The
 * logits are written by ONNX Runtime into a direct buffer given as a pinned output, so they are
 * never copied into the Java heap; consumers read only the rows they need.
 *
 * <p>Only for graphs whose every {@code past_key_values.X} input has a {@code present.X} output of
 * shape {@code [batch, heads, sequence, head_size]} with fixed heads and head size ({@link
 * #supports}).
 */
final class PrefixRunner {
  /**
   * Bytes of copied cache per model run, at most: bounds the rows of a batch on a long prefix (8 on
   * GPT-2-small's 273-token few-shot prefix, 20 MB a row). The graph's {@code present.*} outputs
   * hold as much again, and a continuation's as much once more, so the peak grows by about three
   * times this budget; 8 rows keep GPT-2-small's peak near 1.7 GB and run its one-token
   * continuations at about half the cost a row of 3-row batches pays.
   */
  static final long MAX_PAST_BYTES_PER_RUN = 160L << 20;

  /**
   * The key/value cache of a prefix: {@code ids} and, per past input, a {@code [heads, length,
   * head_size]} array.
   */
  record Kv(long[] ids, float[][] tensors, long bytes) {}

  private final OnnxSession session;
  private final String modelId;
  private final List<String> pastInputs = new ArrayList<>();
  private final List<String> presentOutputs = new ArrayList<>();
  private final int heads;
  private final int headSize;
  private final String logitsName;
  private final long vocabulary;
  private final DirectBuffers buffers = new DirectBuffers();

  private PrefixRunner(OnnxSession session, String modelId) {
    this.session = session;
    this.modelId = modelId;
    int h = -1;
    int d = -1;
    for (Map.Entry<String, NodeInfo> input : session.inputs().entrySet()) {
      String name = input.getKey();
      if (!name.startsWith("past_key_values.")) {
        continue;
      }
      long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape();
      pastInputs.add(name);
      presentOutputs.add("present." + name.substring("past_key_values.".length()));
      h = (int) shape[1];
      d = (int) shape[3];
    }
    this.heads = h;
    this.headSize = d;
    this.logitsName = session.outputNames().contains("logits") ? "logits" : null;
    this.vocabulary = logitsName == null ? -1 : session.outputVocabulary(logitsName);
  }

  /**
   * A runner over {@code session}, or null when the graph cannot take a cache: no {@code
   * past_key_values.*} inputs, one without its {@code present.*} output, a {@code use_cache_branch}
   * input, or shapes other than float {@code [batch, heads, past, head_size]} with fixed heads and
   * head size.
   */
  static PrefixRunner supports(OnnxSession session, String modelId) {
    boolean any = false;
    Integer heads = null;
    Integer headSize = null;
    for (Map.Entry<String, NodeInfo> input : session.inputs().entrySet()) {
      String name = input.getKey();
      if (name.equals("use_cache_branch") || name.startsWith("past.")) {
        return null;
      }
      if (!name.startsWith("past_key_values.")) {
        continue;
      }
      any = true;
      if (!(input.getValue().getInfo() instanceof TensorInfo t)
          || t.type != OnnxJavaType.FLOAT
          || t.getShape().length != 4
          || t.getShape()[1] < 1
          || t.getShape()[3] < 1) {
        return null;
      }
      if (heads != null && (heads != t.getShape()[1] || headSize != t.getShape()[3])) {
        return null;
      }
      heads = (int) t.getShape()[1];
      headSize = (int) t.getShape()[3];
      String present = "present." + name.substring("past_key_values.".length());
      if (!session.outputNames().contains(present)) {
        return null;
      }
    }
    if (!any || !session.hasInput("attention_mask") || !session.outputNames().contains("logits")) {
      return null;
    }
    return new PrefixRunner(session, modelId);
  }

  /** Bytes of cache per token of one row. */
  long bytesPerToken() {
    return 4L * pastInputs.size() * heads * headSize;
  }

  /**
   * Computes the key/value cache of {@code ids} (one run of the whole prefix, which asks ONNX
   * Runtime for the {@code present.*} outputs only).
   */
  Kv prefix(long[] ids) {
    int p = ids.length;
    long[] shape = {1, p};
    long[] mask = new long[p];
    long[] positions = new long[p];
    for (int t = 0; t < p; t++) {
      mask[t] = 1;
      positions[t] = t;
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put("input_ids", OnnxSession.longTensor(ids.clone(), shape));
      feed.put("attention_mask", OnnxSession.longTensor(mask, shape));
      if (session.hasInput("position_ids")) {
        feed.put("position_ids", OnnxSession.longTensor(positions, shape));
      }
      if (session.hasInput("token_type_ids")) {
        feed.put("token_type_ids", OnnxSession.longTensor(new long[p], shape));
      }
      for (String name : pastInputs) {
        feed.put(
            name,
            OnnxTensor.createTensor(
                OnnxSession.ENV, FloatBuffer.allocate(0), new long[] {1, heads, 0, headSize}));
      }
      float[][] tensors = new float[pastInputs.size()][];
      try (OrtSession.Result result = session.run(feed, new LinkedHashSet<>(presentOutputs))) {
        for (int i = 0; i < presentOutputs.size(); i++) {
          OnnxValue value = result.get(presentOutputs.get(i)).orElseThrow();
          long[] want = {1, heads, p, headSize};
          if (!(value instanceof OnnxTensor tensor)
              || ((TensorInfo) tensor.getInfo()).type != OnnxJavaType.FLOAT
              || !Arrays.equals(tensor.getInfo().getShape(), want)) {
            throw new IllegalStateException(
                "model "
                    + modelId
                    + " returned "
                    + value.getInfo()
                    + " for present output "
                    + presentOutputs.get(i)
                    + "; expected float "
                    + Arrays.toString(want));
          }
          FloatBuffer buffer = tensor.getFloatBuffer();
          tensors[i] = new float[buffer.remaining()];
          buffer.get(tensors[i]);
        }
      }
      return new Kv(ids.clone(), tensors, bytesPerToken() * p);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed preparing inputs for model " + modelId + ": " + e.getMessage(), e);
    } finally {
      OnnxSession.closeAll(feed);
    }
  }

  /**
   * Receives logits: of the sequences themselves ({@code continuation} -1), or of continuation
   * {@code c}'s tokens after the visible part of each sequence of the batch.
   */
  interface Consumer {
    void accept(int[] batch, int continuation, FloatBuffer logits, long[] shape);
  }

  /**
   * Runs {@code sequences}, each the rest of a prompt after the first {@code past} tokens of {@code
   * kv} (possibly followed by tokens that later continuations must not see), in batches of at most
   * {@code batchSize} rows of equal {@code past} (fewer when the copied cache would exceed {@link
   * #MAX_PAST_BYTES_PER_RUN}), and hands each batch's {@code [batch, sequence, vocabulary]} logits
   * to {@code consumer}. Then, for each of {@code continuations} (token sequences, such as the
   * leading tokens of multi-token label words), runs it after the first {@code visible} tokens of
   * every sequence of the batch, on the batch's own {@code present.*} outputs fed back as the cache
   * (no copy; the rest of each row is masked out), and hands those logits over too. Position {@code
   * t} of a sequence is token {@code past + t} of its prompt.
   */
  void run(
      List<long[]> sequences,
      int[] visible,
      int[] past,
      Kv kv,
      int batchSize,
      List<long[]> continuations,
      Consumer consumer) {
    Map<Integer, List<Integer>> byPast = new java.util.TreeMap<>();
    for (int i = 0; i < sequences.size(); i++) {
      byPast.computeIfAbsent(past[i], k -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<Integer, List<Integer>> group : byPast.entrySet()) {
      int m = group.getKey();
      List<Integer> members = group.getValue();
      int[] lengths = new int[members.size()];
      for (int j = 0; j < lengths.length; j++) {
        lengths[j] = sequences.get(members.get(j)).length;
      }
      long rowBytes = Math.max(1, bytesPerToken() * m);
      int rows = (int) Math.max(1, Math.min(batchSize, MAX_PAST_BYTES_PER_RUN / rowBytes));
      for (int[] local : Buckets.byLength(lengths, rows)) {
        int[] batch = new int[local.length];
        for (int j = 0; j < local.length; j++) {
          batch[j] = members.get(local[j]);
        }
        runBatch(sequences, visible, batch, m, kv, continuations, consumer);
      }
    }
  }

  private void runBatch(
      List<long[]> sequences,
      int[] visible,
      int[] batch,
      int m,
      Kv kv,
      List<long[]> continuations,
      Consumer consumer) {
    int b = batch.length;
    int s = 0;
    int[] seen = new int[b];
    for (int r = 0; r < b; r++) {
      seen[r] = visible[batch[r]];
      s = Math.max(s, sequences.get(batch[r]).length);
    }
    long[] ids = new long[b * s];
    long[] mask = new long[b * (m + s)];
    long[] positions = new long[b * s];
    for (int r = 0; r < b; r++) {
      long[] seq = sequences.get(batch[r]);
      System.arraycopy(seq, 0, ids, r * s, seq.length);
      Arrays.fill(mask, r * (m + s), r * (m + s) + m + seq.length, 1L);
      for (int t = 0; t < s; t++) {
        positions[r * s + t] = m + Math.min(t, seq.length - 1);
      }
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    OrtSession.Result first = null;
    try {
      // The copied cache is given back before the continuations run: they read the run's present.
      try (DirectBuffers.Lease lease = buffers.lease()) {
        try {
          first =
              runFirst(feed, lease, batch, m, s, ids, mask, positions, kv, continuations, consumer);
        } finally {
          OnnxSession.closeAll(feed);
        }
      }
      for (int c = 0; c < continuations.size(); c++) {
        try (DirectBuffers.Lease lease = buffers.lease()) {
          continueBatch(first, lease, batch, m, s, seen, continuations.get(c), c, consumer);
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed preparing inputs for model " + modelId + ": " + e.getMessage(), e);
    } finally {
      if (first != null) {
        first.close();
      }
    }
  }

  /**
   * Runs a batch on the prefix's cache, copied once per row, and returns the result holding the
   * {@code present.*} outputs when continuations follow.
   */
  private OrtSession.Result runFirst(
      Map<String, OnnxTensor> feed,
      DirectBuffers.Lease lease,
      int[] batch,
      int m,
      int s,
      long[] ids,
      long[] mask,
      long[] positions,
      Kv kv,
      List<long[]> continuations,
      Consumer consumer)
      throws OrtException {
    int b = batch.length;
    int p = kv.ids().length;
    feed.put("input_ids", OnnxSession.longTensor(ids, new long[] {b, s}));
    feed.put("attention_mask", OnnxSession.longTensor(mask, new long[] {b, m + s}));
    if (session.hasInput("position_ids")) {
      feed.put("position_ids", OnnxSession.longTensor(positions, new long[] {b, s}));
    }
    if (session.hasInput("token_type_ids")) {
      feed.put("token_type_ids", OnnxSession.longTensor(new long[b * s], new long[] {b, s}));
    }
    for (int i = 0; i < pastInputs.size(); i++) {
      float[] full = kv.tensors()[i];
      FloatBuffer buffer = lease.floats((long) b * heads * m * headSize);
      for (int r = 0; r < b; r++) {
        for (int h = 0; h < heads; h++) {
          buffer.put(full, h * p * headSize, m * headSize);
        }
      }
      buffer.rewind();
      feed.put(
          pastInputs.get(i),
          OnnxTensor.createTensor(OnnxSession.ENV, buffer, new long[] {b, heads, m, headSize}));
    }
    Set<String> presents = continuations.isEmpty() ? Set.of() : new LinkedHashSet<>(presentOutputs);
    return runLogits(feed, lease, presents, b, s, batch, -1, consumer);
  }

  /**
   * Runs {@code tokens} after every row of a batch whose run gave {@code previous}: its present
   * outputs become the past (row {@code r}'s visible tokens at {@code [0, m + seen[r])}; the rest
   * of the row and its padding are masked out).
   */
  private void continueBatch(
      OrtSession.Result previous,
      DirectBuffers.Lease lease,
      int[] batch,
      int m,
      int s,
      int[] seen,
      long[] tokens,
      int c,
      Consumer consumer)
      throws OrtException {
    int b = batch.length;
    int t = tokens.length;
    int total = m + s + t;
    long[] ids = new long[b * t];
    long[] mask = new long[b * total];
    long[] positions = new long[b * t];
    for (int r = 0; r < b; r++) {
      System.arraycopy(tokens, 0, ids, r * t, t);
      Arrays.fill(mask, r * total, r * total + m + seen[r], 1L);
      Arrays.fill(mask, r * total + m + s, (r + 1) * total, 1L);
      for (int j = 0; j < t; j++) {
        positions[r * t + j] = m + seen[r] + j;
      }
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    Map<String, OnnxTensor> owned = new HashMap<>();
    try {
      owned.put("input_ids", OnnxSession.longTensor(ids, new long[] {b, t}));
      owned.put("attention_mask", OnnxSession.longTensor(mask, new long[] {b, total}));
      if (session.hasInput("position_ids")) {
        owned.put("position_ids", OnnxSession.longTensor(positions, new long[] {b, t}));
      }
      if (session.hasInput("token_type_ids")) {
        owned.put("token_type_ids", OnnxSession.longTensor(new long[b * t], new long[] {b, t}));
      }
      feed.putAll(owned);
      for (int i = 0; i < pastInputs.size(); i++) {
        OnnxValue present = previous.get(presentOutputs.get(i)).orElseThrow();
        long[] want = {b, heads, m + s, headSize};
        if (!(present instanceof OnnxTensor tensor)
            || ((TensorInfo) tensor.getInfo()).type != OnnxJavaType.FLOAT
            || !Arrays.equals(tensor.getInfo().getShape(), want)) {
          throw new IllegalStateException(
              "model "
                  + modelId
                  + " returned "
                  + present.getInfo()
                  + " for present output "
                  + presentOutputs.get(i)
                  + "; expected float "
                  + Arrays.toString(want));
        }
        feed.put(pastInputs.get(i), tensor);
      }
      try (OrtSession.Result ignored = runLogits(feed, lease, Set.of(), b, t, batch, c, consumer)) {
        // logits handed to the consumer
      }
    } finally {
      OnnxSession.closeAll(owned);
    }
  }

  /**
   * Runs {@code feed}, hands the {@code [b, s, vocabulary]} logits to {@code consumer} and returns
   * the result holding the {@code requested} outputs (the caller closes it). The logits go to a
   * pinned direct buffer when the vocabulary is fixed in the graph.
   */
  private OrtSession.Result runLogits(
      Map<String, OnnxTensor> feed,
      DirectBuffers.Lease lease,
      Set<String> requested,
      int b,
      int s,
      int[] batch,
      int continuation,
      Consumer consumer)
      throws OrtException {
    long[] logitsShape = {b, s, vocabulary};
    Map<String, OnnxValue> pinned = new HashMap<>();
    try {
      FloatBuffer logits = null;
      Set<String> outputs = requested;
      if (vocabulary > 0) {
        logits = lease.floats((long) b * s * vocabulary);
        pinned.put(logitsName, OnnxTensor.createTensor(OnnxSession.ENV, logits, logitsShape));
      } else {
        outputs = new LinkedHashSet<>(requested);
        outputs.add(logitsName);
      }
      OrtSession.Result result = session.run(feed, outputs, pinned);
      try {
        if (logits == null) {
          OnnxValue value = result.get(logitsName).orElseThrow();
          if (!(value instanceof OnnxTensor tensor)
              || ((TensorInfo) tensor.getInfo()).type != OnnxJavaType.FLOAT
              || tensor.getInfo().getShape().length != 3
              || tensor.getInfo().getShape()[0] != b
              || tensor.getInfo().getShape()[1] != s) {
            throw new IllegalStateException(
                "model "
                    + modelId
                    + " returned "
                    + value.getInfo()
                    + "; expected float logits [batch, sequence, vocabulary] for "
                    + b
                    + " rows of "
                    + s
                    + " tokens");
          }
          logitsShape = tensor.getInfo().getShape();
          logits = tensor.getFloatBuffer();
        }
        consumer.accept(batch, continuation, logits, logitsShape);
        return result;
      } catch (RuntimeException e) {
        result.close();
        throw e;
      }
    } finally {
      for (OnnxValue v : pinned.values()) {
        v.close();
      }
    }
  }
}
