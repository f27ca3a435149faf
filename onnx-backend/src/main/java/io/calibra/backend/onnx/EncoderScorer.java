package io.calibra.backend.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.label.LabelSet;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sentence-encoder classifier: mean pooling under the attention mask, L2 normalisation, and label
 * score {@code cos(x, prototype_k) / scale}, where a label's prototype is the normalised mean of
 * the embeddings of its descriptions (the label set's verbalizer words) or of its few-shot
 * examples.
 */
final class EncoderScorer extends TokenizedScorer {
  private final double scale;
  private final Map<String, List<String>> prototypeTexts;
  private final Map<LabelSet, float[][]> prototypes = new ConcurrentHashMap<>();

  EncoderScorer(
      String id,
      OnnxSession session,
      TextTokenizer tokenizer,
      double scale,
      int batchSize,
      int maxTokens,
      Map<String, List<String>> prototypeTexts,
      String fingerprint) {
    super(id, session, tokenizer, batchSize, maxTokens, fingerprint);
    this.scale = scale;
    this.prototypeTexts = prototypeTexts;
    session.requireLongInputs("input_ids", "attention_mask");
  }

  @Override
  public ScoreKind kind() {
    return ScoreKind.LOGIT;
  }

  @Override
  public int maxBatchSize() {
    // scoreBatch buckets internally; hand it large slices.
    return 1024;
  }

  @Override
  public List<LabelScores> scoreBatch(List<String> prompts, LabelSet labels) {
    float[][] protos = prototypes.computeIfAbsent(labels, this::prototypesFor);
    float[][] embeddings = embed(prompts);
    List<LabelScores> out = new ArrayList<>(prompts.size());
    double[] scores = new double[labels.size()];
    for (int i = 0; i < embeddings.length; i++) {
      for (int k = 0; k < protos.length; k++) {
        scores[k] = dot(embeddings[i], protos[k]) / scale;
      }
      out.add(Outputs.scores(id, i, labels, ScoreKind.LOGIT, scores));
    }
    return out;
  }

  private float[][] prototypesFor(LabelSet labels) {
    float[][] out = new float[labels.size()][];
    for (int k = 0; k < labels.size(); k++) {
      List<String> texts;
      if (prototypeTexts.isEmpty()) {
        texts = labels.words(k);
      } else {
        texts = prototypeTexts.get(labels.name(k));
        if (texts == null || texts.isEmpty()) {
          throw new IllegalArgumentException(
              "no few-shot examples for label '"
                  + labels.name(k)
                  + "'; the encoder has examples for "
                  + prototypeTexts.keySet());
        }
      }
      out[k] = meanNormalised(embed(texts));
    }
    return out;
  }

  private static float[] meanNormalised(float[][] vectors) {
    float[] mean = new float[vectors[0].length];
    for (float[] v : vectors) {
      for (int j = 0; j < mean.length; j++) {
        mean[j] += v[j];
      }
    }
    normalise(mean);
    return mean;
  }

  /** L2-normalised mean-pooled embeddings of {@code texts}, in order. */
  float[][] embed(List<String> texts) {
    int n = texts.size();
    long[][] ids = new long[n][];
    long[][] types = new long[n][];
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      String text = requirePrompt(texts, i);
      Encoding e = tokenizer.encode(text);
      ids[i] = e.getIds();
      types[i] = e.getTypeIds();
      lengths[i] = ids[i].length;
      if (lengths[i] > maxTokens) {
        throw new IllegalArgumentException(
            "prompt "
                + i
                + " has "
                + lengths[i]
                + " tokens; model "
                + id
                + " takes at most "
                + maxTokens);
      }
    }
    float[][] out = new float[n][];
    for (int[] batch : Buckets.byLength(lengths, batchSize)) {
      runBatch(batch, ids, types, out);
    }
    return out;
  }

  private void runBatch(int[] batch, long[][] ids, long[][] types, float[][] out) {
    int b = batch.length;
    int s = 0;
    for (int i : batch) {
      s = Math.max(s, ids[i].length);
    }
    long[] inputIds = new long[b * s];
    long[] mask = new long[b * s];
    long[] typeIds = new long[b * s];
    for (int r = 0; r < b; r++) {
      long[] row = ids[batch[r]];
      System.arraycopy(row, 0, inputIds, r * s, row.length);
      System.arraycopy(types[batch[r]], 0, typeIds, r * s, row.length);
      for (int t = 0; t < row.length; t++) {
        mask[r * s + t] = 1;
      }
    }
    long[] shape = {b, s};
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put("input_ids", OnnxSession.longTensor(inputIds, shape));
      feed.put("attention_mask", OnnxSession.longTensor(mask, shape));
      if (session.hasInput("token_type_ids")) {
        feed.put("token_type_ids", OnnxSession.longTensor(typeIds, shape));
      }
      try (OrtSession.Result result = session.run(feed)) {
        OnnxValue value = result.get("last_hidden_state").orElseGet(() -> result.get(0));
        if (!(value instanceof OnnxTensor tensor)
            || tensor.getInfo().getShape().length != 3
            || tensor.getInfo().getShape()[0] != b
            || tensor.getInfo().getShape()[1] != s) {
          throw new IllegalStateException(
              "model "
                  + id
                  + " returned "
                  + value.getInfo()
                  + "; expected token embeddings [batch="
                  + b
                  + ", sequence="
                  + s
                  + ", hidden]");
        }
        int h = (int) tensor.getInfo().getShape()[2];
        FloatBuffer hidden = tensor.getFloatBuffer();
        for (int r = 0; r < b; r++) {
          float[] pooled = new float[h];
          int len = ids[batch[r]].length;
          for (int t = 0; t < len; t++) {
            int base = (r * s + t) * h;
            for (int j = 0; j < h; j++) {
              pooled[j] += hidden.get(base + j);
            }
          }
          for (int j = 0; j < h; j++) {
            pooled[j] /= len;
          }
          normalise(pooled);
          out[batch[r]] = pooled;
        }
      }
    } finally {
      OnnxSession.closeAll(feed);
    }
  }

  private static void normalise(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    float inv = (float) (1.0 / Math.sqrt(sum));
    for (int j = 0; j < v.length; j++) {
      v[j] *= inv;
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (double) a[j] * b[j];
    }
    return s;
  }

  @Override
  public String toString() {
    return "EncoderScorer{" + id + ", scale=" + scale + "}";
  }
}
