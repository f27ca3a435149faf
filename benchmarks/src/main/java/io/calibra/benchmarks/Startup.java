package io.calibra.benchmarks;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fixed cost of the prefix path, step by step, in wall and process CPU seconds: the JVM up to
 * {@code main}, reading the model file (into the page cache, the floor of any loader), loading the
 * tokenizer alone, an ONNX Runtime session alone (default options), building the scorer (tokenizer,
 * model hash and graph scan, ONNX Runtime session), the first prompt (which computes the prefix's
 * cache) and a second prompt.
 */
final class Startup {
  private Startup() {}

  /**
   * The process's CPU time (user + system, every thread, ONNX Runtime's native ones included) from
   * /proc/self/stat, in nanoseconds; Linux's clock tick of 100 Hz assumed.
   */
  private static long cpuNanos() throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  private static long wall0;
  private static long cpu0;

  private static void step(String name) throws java.io.IOException {
    long wall = System.nanoTime();
    long cpu = cpuNanos();
    System.out.printf(
        Locale.ROOT,
        "step=%s wall_s=%.2f cpu_s=%.2f%n",
        name,
        (wall - wall0) / 1e9,
        (cpu - cpu0) / 1e9);
    wall0 = wall;
    cpu0 = cpu;
  }

  static void run(Path dir, PromptTemplate template, List<String> prompts, LabelSet labels)
      throws Exception {
    System.out.printf(
        Locale.ROOT,
        "step=jvm wall_s=%.2f cpu_s=%.2f%n",
        ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
        cpuNanos() / 1e9);
    wall0 = System.nanoTime();
    cpu0 = cpuNanos();
    Path past = dir.resolve("past/model.onnx");
    Path model = Files.exists(past) ? past : dir.resolve("model.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    byte[] chunk = new byte[1 << 20];
    try (var in = Files.newInputStream(model)) {
      while (in.read(chunk) > 0) {
        // reads the file once so that every later step finds it in the page cache
      }
    }
    step("read_model_file");
    try (HuggingFaceTokenizer t =
        HuggingFaceTokenizer.newInstance(tokenizer, Map.of("addSpecialTokens", "false"))) {
      t.encode(prompts.get(0));
    }
    step("tokenizer_alone");
    try (ai.onnxruntime.OrtSession.SessionOptions o =
            new ai.onnxruntime.OrtSession.SessionOptions();
        ai.onnxruntime.OrtSession ignored =
            ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(model.toString(), o)) {
      step("onnx_runtime_session_alone");
    }
    try (Scorer scorer = OnnxScorers.causalLm(ModelSource.files(model, tokenizer)).build()) {
      step("build_scorer");
      Scorer s = scorer.withPromptPrefix(template.prefix());
      s.score(prompts.get(0), labels);
      step("first_prompt_with_prefix");
      s.score(prompts.get(1), labels);
      step("second_prompt");
    }
  }
}
