package io.calibra.benchmarks;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Zero-shot SST-2 scoring with a masked language model (benchmarks/masked.sh runs the modes side by
 * side on the model of benchmarks/make_masked_small.py). Modes: {@code single} scores one-token
 * label words (" negative", " positive": one model run per prompt), {@code mixed} adds two-token
 * words (" not good", " very good": a second run per prompt, with two masks), {@code ort} runs the
 * same one-mask prompts through a bare ONNX Runtime session in the scorer's batches (length-sorted,
 * right-padded), leaving the logits in native memory: the model's own cost, which no change to the
 * scorer's Java side can beat. Prints sentences per second and peak resident memory.
 *
 * <p>Usage: {@code MaskedLmBenchmark single|mixed|ort MODEL_DIR SENTENCES [BATCH]}, where MODEL_DIR
 * holds model.onnx and tokenizer.json.
 */
public final class MaskedLmBenchmark {
  static final String MASK = "<|endoftext|>";

  static final LabelSet SINGLE =
      LabelSet.builder().add("negative", " negative").add("positive", " positive").build();

  static final LabelSet MIXED =
      LabelSet.builder()
          .add("negative", " negative", " not good")
          .add("positive", " positive", " very good")
          .build();

  private MaskedLmBenchmark() {}

  static PromptTemplate template(LabelSet labels) {
    return PromptTemplate.builder(labels)
        .inputPrefix("Review: ")
        .inputAnswerSeparator("\n")
        .answerPrefix("Sentiment:" + MASK)
        .build();
  }

  /** Runs one mode. */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Paths.get(args[1]);
    int n = Integer.parseInt(args[2]);
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    LabelSet labels = mode.equals("mixed") ? MIXED : SINGLE;
    List<String> prompts = template(labels).renderAll(BenchmarkData.sst2Sentences(n));
    Path model = dir.resolve("model.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    double warm;
    double seconds;
    String extra = "";
    if (mode.equals("ort")) {
      long[][] ids = new long[n][];
      try (HuggingFaceTokenizer t =
          HuggingFaceTokenizer.newInstance(
              tokenizer,
              Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"))) {
        for (int i = 0; i < n; i++) {
          ids[i] = t.encode(prompts.get(i)).getIds();
        }
      }
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession session =
          env.createSession(model.toString(), new OrtSession.SessionOptions())) {
        long w0 = System.nanoTime();
        runBare(env, session, List.of(ids[0]), batch);
        warm = (System.nanoTime() - w0) / 1e9;
        List<long[]> all = new ArrayList<>(List.of(ids));
        long t0 = System.nanoTime();
        runBare(env, session, all, batch);
        seconds = (System.nanoTime() - t0) / 1e9;
      }
    } else {
      try (Scorer scorer =
          OnnxScorers.maskedLm(ModelSource.files(model, tokenizer))
              .maskToken(MASK)
              .batchSize(batch)
              .maxTokens(512)
              .build()) {
        long w0 = System.nanoTime();
        scorer.score(prompts.get(0), labels);
        warm = (System.nanoTime() - w0) / 1e9;
        long t0 = System.nanoTime();
        List<LabelScores> scores = scorer.scoreAll(prompts, labels);
        seconds = (System.nanoTime() - t0) / 1e9;
        double[] first = scores.get(0).toArray();
        extra = String.format(Locale.ROOT, " first_scores=%.6f,%.6f", first[0], first[1]);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "mode=%s sentences=%d batch=%d warmup_s=%.2f seconds=%.2f sentences_per_s=%.3f"
            + " peak_rss_mib=%d%s%n",
        mode,
        n,
        batch,
        warm,
        seconds,
        n / seconds,
        CausalPrefixBenchmark.peakRssMib(),
        extra);
  }

  /** Length-sorted, right-padded batches through the bare session; the logits stay native. */
  private static void runBare(
      OrtEnvironment env, OrtSession session, List<long[]> sequences, int batch) throws Exception {
    List<long[]> sorted = new ArrayList<>(sequences);
    sorted.sort(Comparator.comparingInt(s -> s.length));
    for (int from = 0; from < sorted.size(); from += batch) {
      List<long[]> slice = sorted.subList(from, Math.min(sorted.size(), from + batch));
      int b = slice.size();
      int s = slice.get(b - 1).length;
      long[] ids = new long[b * s];
      long[] mask = new long[b * s];
      long[] pos = new long[b * s];
      for (int r = 0; r < b; r++) {
        long[] seq = slice.get(r);
        for (int t = 0; t < s; t++) {
          ids[r * s + t] = t < seq.length ? seq[t] : 0;
          mask[r * s + t] = t < seq.length ? 1 : 0;
          pos[r * s + t] = t;
        }
      }
      long[] shape = {b, s};
      Map<String, OnnxTensor> feed = new HashMap<>();
      try {
        feed.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
        feed.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
        feed.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), shape));
        try (OrtSession.Result result = session.run(feed)) {
          if (result.size() != 1) {
            throw new IllegalStateException("expected one output, found " + result.size());
          }
        }
      } finally {
        feed.values().forEach(OnnxTensor::close);
      }
    }
  }
}
