package io.calibra.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.calibrate.VectorScaling;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the same calibration work in Java and in numpy/scipy (benchmarks/compare_numpy.py) on the
 * same data files, in one run, and prints the Java/Python time ratio per task and whether both
 * computed the same numbers.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.calibra.benchmarks.CompareWithNumpy
 * [python3] [benchmarks/compare_numpy.py]}
 */
public final class CompareWithNumpy {
  private static final int REPEATS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private CompareWithNumpy() {}

  private record Timed<T>(double seconds, T result) {}

  private static <T> Timed<T> timed(Supplier<T> work) {
    T result = work.get();
    result = work.get();
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < REPEATS; i++) {
      long start = System.nanoTime();
      result = work.get();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return new Timed<>(best, result);
  }

  /** Runs the comparison: {@code [python3] [benchmarks/compare_numpy.py]}. */
  public static void main(String[] args) throws Exception {
    String python = args.length > 0 ? args[0] : "python3";
    String script = args.length > 1 ? args[1] : "benchmarks/compare_numpy.py";
    Path dir = Files.createTempDirectory("calibra-compare");
    List<Map<String, Object>> tasks = new ArrayList<>();
    Map<String, Double> javaSeconds = new LinkedHashMap<>();
    Map<String, Object> javaResults = new LinkedHashMap<>();

    for (int k : new int[] {2, 4, 14, 100}) {
      int n = 4_000_000 / k;
      Synthetic data = new Synthetic(n, k, 10 + k);
      String input = "p-" + k + ".bin";
      writeDoubles(dir.resolve(input), data.probabilities);
      double[] pcf = new double[k];
      double[] w = new double[k];
      double[] b = new double[k];
      for (int j = 0; j < k; j++) {
        pcf[j] = (1.0 + 0.3 * Math.sin(j)) / k;
        w[j] = 0.8 + 0.01 * j;
        b[j] = 0.1 * (j % 3);
      }
      LabelDistribution bias = LabelDistribution.normalise(data.labels, pcf);
      Map<String, Calibrator> calibrators = new LinkedHashMap<>();
      calibrators.put(
          "contextual", ContextualCalibration.fromBias(bias, ContextualCalibration.Form.DIAGONAL));
      calibrators.put("temperature", TemperatureScaling.of(data.labels, 1.7));
      calibrators.put("vector", VectorScaling.of(data.labels, w, b));
      for (Map.Entry<String, Calibrator> e : calibrators.entrySet()) {
        String name = "apply " + e.getKey() + " K=" + k + " (" + n + " rows)";
        double[] out = new double[n * k];
        Timed<double[]> t =
            timed(
                () -> {
                  e.getValue().applyBatch(data.probabilities, out, n);
                  return out;
                });
        String output = "java-" + e.getKey() + "-" + k + ".bin";
        writeDoubles(dir.resolve(output), t.result());
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("name", name);
        task.put("kind", e.getKey());
        task.put("n", n);
        task.put("k", k);
        task.put("input", input);
        task.put("java_output", output);
        task.put("pcf", bias.toArray());
        task.put("t", 1.7);
        task.put("w", w);
        task.put("b", b);
        tasks.add(task);
        javaSeconds.put(name, t.seconds());
      }
    }

    for (int k : new int[] {2, 14}) {
      int n = 1_000_000;
      Synthetic data = new Synthetic(n, k, 20 + k);
      String input = "metrics-p-" + k + ".bin";
      String gold = "metrics-gold-" + k + ".bin";
      writeDoubles(dir.resolve(input), data.probabilities);
      writeInts(dir.resolve(gold), data.gold);
      String name = "all metrics K=" + k + " (" + n + " rows)";
      Timed<CalibrationMetrics> t =
          timed(() -> Metrics.evaluate(data.labels, data.probabilities, data.gold, 15));
      tasks.add(
          Map.of("name", name, "kind", "metrics", "n", n, "k", k, "input", input, "gold", gold));
      javaSeconds.put(name, t.seconds());
      javaResults.put(name, t.result());
    }

    for (int k : new int[] {2, 14}) {
      int n = 100_000;
      Synthetic data = new Synthetic(n, k, 30 + k);
      String input = "fit-p-" + k + ".bin";
      String gold = "fit-gold-" + k + ".bin";
      writeDoubles(dir.resolve(input), data.probabilities);
      writeInts(dir.resolve(gold), data.gold);
      List<LabelDistribution> rows = new ArrayList<>(n);
      double[] p = new double[k];
      for (int i = 0; i < n; i++) {
        System.arraycopy(data.probabilities, i * k, p, 0, k);
        rows.add(LabelDistribution.ofProbabilities(data.labels, p));
      }
      LabelledSet set = LabelledSet.of(rows, data.gold);
      String name = "temperature fit K=" + k + " (" + n + " rows)";
      Timed<Calibrator> t = timed(() -> TemperatureScaling.fit(set));
      tasks.add(
          Map.of(
              "name",
              name,
              "kind",
              "temperature_fit",
              "n",
              n,
              "k",
              k,
              "input",
              input,
              "gold",
              gold));
      javaSeconds.put(name, t.seconds());
      javaResults.put(name, ((Calibrator.Temperature) t.result()).temperature());
    }

    // Diagnostics: the cost of one exp and one log per value, the core of temperature and affine
    // scaling, on one thread in Java and vectorised in numpy.
    {
      int n = 4_000_000;
      Synthetic data = new Synthetic(n / 4, 4, 99);
      String input = "diag-p.bin";
      writeDoubles(dir.resolve(input), data.probabilities);
      double[] values = data.probabilities;
      double[] out = new double[n];
      Timed<double[]> logs =
          timed(
              () -> {
                for (int i = 0; i < n; i++) {
                  out[i] = Math.log(values[i]);
                }
                return out;
              });
      String logOut = "java-log.bin";
      writeDoubles(dir.resolve(logOut), logs.result());
      Timed<double[]> exps =
          timed(
              () -> {
                for (int i = 0; i < n; i++) {
                  out[i] = Math.exp(-values[i] * 3);
                }
                return out;
              });
      String expOut = "java-exp.bin";
      writeDoubles(dir.resolve(expOut), exps.result());
      String logName = "profile: log of 4M values, one thread";
      String expName = "profile: exp of 4M values, one thread";
      tasks.add(
          Map.of(
              "name",
              logName,
              "kind",
              "log",
              "n",
              n,
              "k",
              1,
              "input",
              input,
              "java_output",
              logOut));
      tasks.add(
          Map.of(
              "name",
              expName,
              "kind",
              "exp",
              "n",
              n,
              "k",
              1,
              "input",
              input,
              "java_output",
              expOut));
      javaSeconds.put(logName, logs.seconds());
      javaSeconds.put(expName, exps.seconds());
    }

    JSON.writeValue(dir.resolve("tasks.json").toFile(), tasks);
    Process pythonRun = new ProcessBuilder(python, script, dir.toString()).inheritIO().start();
    if (pythonRun.waitFor() != 0) {
      throw new IllegalStateException(
          python + " " + script + " failed with exit code " + pythonRun.exitValue());
    }
    JsonNode pyResults = JSON.readTree(dir.resolve("python-results.json").toFile());

    System.out.printf(
        Locale.ROOT,
        "%-44s %12s %12s %10s  %s%n",
        "task",
        "Java (ms)",
        "numpy (ms)",
        "speed-up",
        "same numbers");
    boolean allSame = true;
    for (Map.Entry<String, Double> e : javaSeconds.entrySet()) {
      JsonNode r = pyResults.get(e.getKey());
      double py = r.get("seconds").asDouble();
      String same;
      if (r.has("max_abs_diff_vs_java")) {
        double diff = r.get("max_abs_diff_vs_java").asDouble();
        same =
            String.format(Locale.ROOT, "%s (max |diff| %.1e)", diff <= 1e-9 ? "yes" : "NO", diff);
        allSame &= diff <= 1e-9;
      } else if (r.has("temperature")) {
        double tj = (Double) javaResults.get(e.getKey());
        double tp = r.get("temperature").asDouble();
        double rel = Math.abs(tj - tp) / tp;
        same =
            String.format(
                Locale.ROOT,
                "%s (T %.9f vs %.9f, rel %.1e)",
                rel <= 1e-6 ? "yes" : "NO",
                tj,
                tp,
                rel);
        allSame &= rel <= 1e-6;
      } else {
        CalibrationMetrics m = (CalibrationMetrics) javaResults.get(e.getKey());
        JsonNode pm = r.get("metrics");
        double worst = 0;
        worst = Math.max(worst, Math.abs(m.accuracy() - pm.get("accuracy").asDouble()));
        worst = Math.max(worst, Math.abs(m.macroF1() - pm.get("macro_f1").asDouble()));
        worst = Math.max(worst, Math.abs(m.ece() - pm.get("ece").asDouble()));
        worst =
            Math.max(
                worst,
                Math.abs(m.eceEqualMass().orElseThrow() - pm.get("ece_equal_mass").asDouble()));
        worst = Math.max(worst, Math.abs(m.mce() - pm.get("mce").asDouble()));
        worst = Math.max(worst, Math.abs(m.classwiseEce() - pm.get("classwise_ece").asDouble()));
        worst = Math.max(worst, Math.abs(m.brier() - pm.get("brier").asDouble()));
        worst = Math.max(worst, Math.abs(m.nll() - pm.get("nll").asDouble()));
        same =
            String.format(
                Locale.ROOT,
                "%s (max |diff| %.1e over 8 metrics)",
                worst <= 1e-9 ? "yes" : "NO",
                worst);
        allSame &= worst <= 1e-9;
      }
      System.out.printf(
          Locale.ROOT,
          "%-44s %12.2f %12.2f %9.2fx  %s%n",
          e.getKey(),
          e.getValue() * 1e3,
          py * 1e3,
          py / e.getValue(),
          same);
    }
    System.out.println(
        allSame
            ? "Java and numpy/scipy computed the same numbers."
            : "MISMATCH between Java and numpy/scipy.");
    System.out.println("data: " + dir);
    if (!allSame) {
      System.exit(1);
    }
  }

  private static void writeDoubles(Path file, double[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asDoubleBuffer().put(values);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(buffer.array());
    }
  }

  private static void writeInts(Path file, int[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asIntBuffer().put(values);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(buffer.array());
    }
  }
}
