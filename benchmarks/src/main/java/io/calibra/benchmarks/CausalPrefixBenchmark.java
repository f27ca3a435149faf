package io.calibra.benchmarks;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 8-shot SST-2 scoring with a causal model, one path per run (benchmarks/prefix.sh runs them side
 * by side): {@code whole} is today's path (every prompt and every multi-token word run whole, on
 * the model without past), {@code prefix} the prompt-prefix cache (the model with past, through
 * {@link Scorer#withPromptPrefix}), {@code ids} writes the prompts' and words' token ids for the
 * PyTorch + transformers reference (benchmarks/prefix_transformers.py), {@code startup} times the
 * fixed cost of the prefix path step by step. Prints sentences per second and the peak resident
 * memory (VmHWM), and writes each sentence's label log-probabilities.
 *
 * <p>Usage: {@code CausalPrefixBenchmark whole|prefix|ids|startup MODEL_DIR SENTENCES OUT [BATCH]},
 * where MODEL_DIR holds model.onnx, past/model.onnx and tokenizer.json (a folder without past/,
 * such as one written by benchmarks/make_lm_variants.py, runs its model.onnx on the prefix path).
 */
public final class CausalPrefixBenchmark {
  /** One- and two-token GPT-2 words: " negative", " positive"; " not good", " very good". */
  static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", " negative", " not good")
          .add("positive", " positive", " very good")
          .build();

  private CausalPrefixBenchmark() {}

  /**
   * The 8-shot template: the first 4 positive and 4 negative SST-2 train sentences, alternating.
   */
  static PromptTemplate template() throws IOException {
    List<String> lines =
        Files.readAllLines(
            BenchmarkData.dataDir().resolve("sst2/train.txt"), StandardCharsets.UTF_8);
    List<String> pos = new ArrayList<>();
    List<String> neg = new ArrayList<>();
    for (String line : lines) {
      (line.startsWith("1 ") ? pos : neg).add(line.substring(2));
    }
    PromptTemplate.Builder b =
        PromptTemplate.builder(LABELS)
            .inputPrefix("Review: ")
            .inputAnswerSeparator("\n")
            .answerPrefix("Sentiment:")
            .demonstrationSeparator("\n\n");
    for (int i = 0; i < 4; i++) {
      b.demonstration(pos.get(i), "positive").demonstration(neg.get(i), "negative");
    }
    return b.build();
  }

  /** Runs one path. */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Paths.get(args[1]);
    int n = Integer.parseInt(args[2]);
    Path out = Paths.get(args[3]);
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 16;
    PromptTemplate template = template();
    List<String> prompts = template.renderAll(BenchmarkData.sst2Sentences(n));
    Path tokenizer = dir.resolve("tokenizer.json");
    if (mode.equals("ids")) {
      writeIds(tokenizer, prompts, out);
      return;
    }
    if (mode.equals("startup")) {
      Startup.run(dir, template, prompts, LABELS);
      return;
    }
    boolean prefix = mode.equals("prefix");
    Path past = dir.resolve("past/model.onnx");
    Path model = prefix && Files.exists(past) ? past : dir.resolve("model.onnx");
    long l0 = System.nanoTime();
    try (Scorer scorer =
        OnnxScorers.causalLm(ModelSource.files(model, tokenizer)).batchSize(batch).build()) {
      double load = (System.nanoTime() - l0) / 1e9;
      Scorer s = prefix ? scorer.withPromptPrefix(template.prefix()) : scorer;
      // warm-up on one sentence; on the prefix path this also builds the prefix's cache
      long w0 = System.nanoTime();
      s.score(prompts.get(0), LABELS);
      double warm = (System.nanoTime() - w0) / 1e9;
      long t0 = System.nanoTime();
      List<LabelScores> scores = s.scoreAll(prompts, LABELS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
        for (int i = 0; i < scores.size(); i++) {
          double[] v = scores.get(i).toArray();
          w.printf(Locale.ROOT, "%d\t%.6f\t%.6f%n", i, v[0], v[1]);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "path=%s sentences=%d batch=%d load_s=%.2f warmup_s=%.2f seconds=%.2f"
              + " sentences_per_s=%.3f peak_rss_mib=%d prompt_tokens=%d prefix_tokens=%d%n",
          mode,
          n,
          batch,
          load,
          warm,
          seconds,
          n / seconds,
          peakRssMib(),
          tokens(tokenizer, prompts.get(0)),
          tokens(tokenizer, template.prefix()));
    }
  }

  private static int tokens(Path tokenizer, String text) throws IOException {
    try (HuggingFaceTokenizer t = plain(tokenizer)) {
      return t.encode(text).getIds().length;
    }
  }

  private static HuggingFaceTokenizer plain(Path tokenizer) throws IOException {
    return HuggingFaceTokenizer.newInstance(
        tokenizer, Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"));
  }

  /** One line per prompt: its token ids; then one line per label word: label index and ids. */
  private static void writeIds(Path tokenizer, List<String> prompts, Path out) throws IOException {
    try (HuggingFaceTokenizer t = plain(tokenizer);
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      for (String p : prompts) {
        w.println("prompt " + join(t.encode(p).getIds()));
      }
      for (int k = 0; k < LABELS.size(); k++) {
        for (String word : LABELS.words(k)) {
          w.println("word " + k + " " + join(t.encode(word).getIds()));
        }
      }
    }
  }

  private static String join(long[] ids) {
    StringBuilder sb = new StringBuilder();
    for (long id : ids) {
      sb.append(sb.length() == 0 ? "" : " ").append(id);
    }
    return sb.toString();
  }

  /** The process's peak resident memory (VmHWM of /proc/self/status), MiB; -1 if unknown. */
  static long peakRssMib() throws IOException {
    Path status = Paths.get("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }
}
