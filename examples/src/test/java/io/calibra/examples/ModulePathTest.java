package io.calibra.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.label.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * calibra on the module path, as an application uses it. Tiny applications with a {@code
 * module-info.java} are compiled with the running JDK's {@code javac} and run with its {@code
 * java}, with the runtime dependencies of this module (calibration-core, onnx-backend, slf4j-jdk14
 * and what they pull in, listed by maven-dependency-plugin in {@code target/module-path.txt}) on
 * the module path, no class path and no {@code --add-modules}. The tests themselves run on the
 * class path, like every test of the build.
 *
 * <p>Expected values: the fitted temperature is 2 exactly (hand computed: every row has confidence
 * 0.9 and three rows in four are right, so the NLL is smallest where sigmoid(ln 9 / T) = 0.75, i.e.
 * ln 9 / T = ln 3); the fingerprint is pinned by scripts/fingerprint_golden.py.
 */
class ModulePathTest {
  private static final String VERSION = System.getProperty("calibra.project.version");
  private static String modulePath;

  @BeforeAll
  static void readModulePath() throws IOException {
    Path list = Path.of("target", "module-path.txt");
    assertThat(list)
        .as("written by maven-dependency-plugin (build-classpath) before the tests")
        .isRegularFile();
    List<String> entries =
        Arrays.stream(Files.readString(list).trim().split(File.pathSeparator))
            .filter(s -> !s.isBlank())
            .toList();
    assertThat(entries)
        .anyMatch(e -> e.contains("calibration-core"))
        .anyMatch(e -> e.contains("onnx-backend"))
        .noneMatch(e -> e.contains("junit"));
    modulePath = String.join(File.pathSeparator, entries);
  }

  private static final String CORE_APP =
      """
      package demo.core;

      import io.calibra.backend.ScoreKind;
      import io.calibra.backend.Scorers;
      import io.calibra.calibrate.Calibrator;
      import io.calibra.calibrate.TemperatureScaling;
      import io.calibra.io.CalibratorFiles;
      import io.calibra.io.Provenance;
      import io.calibra.label.LabelDistribution;
      import io.calibra.label.LabelSet;
      import io.calibra.label.LabelledSet;
      import java.lang.module.ModuleDescriptor;
      import java.nio.file.Path;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.Locale;
      import java.util.TreeSet;

      public final class Main {
        public static void main(String[] args) {
          LabelSet labels = LabelSet.of("negative", "positive");
          List<LabelDistribution> rows = new ArrayList<>();
          int[] gold = new int[8];
          for (int i = 0; i < 8; i++) {
            boolean positive = i % 2 == 0;
            rows.add(LabelDistribution.ofProbabilities(
                labels, positive ? 0.1 : 0.9, positive ? 0.9 : 0.1));
            boolean right = i % 4 != 3;
            gold[i] = positive == right ? 1 : 0;
          }
          LabelledSet dev = LabelledSet.of(rows, gold);
          Calibrator t = TemperatureScaling.fit(dev);
          LabelDistribution q = t.apply(rows.get(0));
          System.out.printf(Locale.ROOT, "calibrated=%.4f%n", q.probability(1));

          Path file = Path.of(args[0]);
          CalibratorFiles.save(t, Provenance.now("temperature", dev.size(), Provenance.sha256(dev)), file);
          Calibrator loaded = CalibratorFiles.load(file).calibrator();
          System.out.println("reloaded=" + loaded.equals(t));

          System.out.println("fingerprint=" + Scorers.fromClassifier(
              "sentiment-v1", ScoreKind.LOGIT, text -> new double[] {0, 1}).fingerprint());
          System.out.println("version=" + Provenance.currentLibraryVersion());

          ModuleDescriptor d = Calibrator.class.getModule().getDescriptor();
          TreeSet<String> exports = new TreeSet<>();
          d.exports().forEach(e -> exports.add(e.source() + (e.isQualified() ? " to " + e.targets() : "")));
          System.out.println("module=" + d.name());
          System.out.println("exports=" + exports);
          System.out.println("backends=" + Scorers.names());
        }
      }
      """;

  @Test
  void anAppRequiringTheCoreRunsWithoutAddModules(@TempDir Path dir) throws Exception {
    Path out = compile(dir, "demo.core", "requires io.calibra.core;", CORE_APP);
    Run run = run(dir, out, "demo.core/demo.core.Main", dir.resolve("t.json").toString());

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout.lines().toList())
        .as(run.toString())
        .containsExactly(
            "calibrated=0.7500",
            "reloaded=true",
            "fingerprint=3adc783d76e35266f769cf52fee5845c4bed9f981b5725785519da466131c9db",
            "version=" + VERSION,
            "module=io.calibra.core",
            "exports=[io.calibra.backend, io.calibra.calibrate, io.calibra.classifier,"
                + " io.calibra.conformal, io.calibra.io, io.calibra.label, io.calibra.metrics,"
                + " io.calibra.prompt, io.calibra.selective, io.calibra.sensitivity]",
            // onnx-backend and http-backend are on the module path and provide ScorerProvider,
            // which the core uses: service binding resolves them although the app requires neither
            "backends=[onnx-causal, onnx-classifier, onnx-encoder, onnx-masked, openai-chat,"
                + " openai-completions]");
    assertThat(run.stderr).as(run.toString()).doesNotContain("SLF4J(W)").doesNotContain("WARN");
  }

  @Test
  void theInternalPackageIsNotExported(@TempDir Path dir) throws Exception {
    String app =
        """
        package demo.internal;

        public final class Main {
          public static void main(String[] args) {
            io.calibra.internal.Checks.notNull(args, "args");
          }
        }
        """;
    Compilation c = javac(dir, "demo.internal", "requires io.calibra.core;", app);
    assertThat(c.exitCode).as(c.output).isNotZero();
    assertThat(c.output)
        .contains("package io.calibra.internal is not visible")
        .contains("does not export it");
  }

  @Test
  void theMiniLmScorerIsFoundThroughServiceLoaderOnTheModulePath(@TempDir Path dir)
      throws Exception {
    String app =
        """
        package demo.onnx;

        import io.calibra.backend.Scorer;
        import io.calibra.backend.Scorers;
        import io.calibra.label.LabelSet;
        import java.util.Locale;
        import java.util.Map;

        public final class Main {
          public static void main(String[] args) {
            LabelSet labels = LabelSet.builder()
                .add("negative", "The movie was terrible.")
                .add("positive", "The movie was great.")
                .build();
            try (Scorer scorer = Scorers.open("onnx-encoder", Map.of())) {
              System.out.println("module=" + scorer.getClass().getModule().getName());
              System.out.println("model=" + scorer.modelId());
              for (String text : args) {
                double[] p = scorer.score(text, labels).toDistribution().toArray();
                System.out.printf(
                    Locale.ROOT, "%s %.6f%n", labels.name(p[1] > p[0] ? 1 : 0), p[1]);
              }
            }
          }
        }
        """;
    String good = "A wonderful, moving film. I loved every minute of it.";
    String bad = "A dull, boring mess. A terrible waste of time.";
    Path out = compile(dir, "demo.onnx", "requires io.calibra.core;", app);
    Run run = run(dir, out, "demo.onnx/demo.onnx.Main", good, bad);

    assertThat(run.exitCode).as(run.toString()).isZero();
    List<String> lines = run.stdout.lines().toList();
    assertThat(lines).as(run.toString()).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("module=io.calibra.onnx");
    assertThat(lines.get(1)).startsWith("model=").contains("minilm");
    assertThat(lines.get(2)).startsWith("positive ");
    assertThat(lines.get(3)).startsWith("negative ");
    // the same model on the class path (this JVM) gives the same probabilities
    LabelSet labels =
        LabelSet.builder()
            .add("negative", "The movie was terrible.")
            .add("positive", "The movie was great.")
            .build();
    try (Scorer scorer = Scorers.open("onnx-encoder", Map.of())) {
      for (int i = 0; i < 2; i++) {
        double p = scorer.score(i == 0 ? good : bad, labels).toDistribution().probability(1);
        assertThat(lines.get(2 + i)).endsWith(String.format(Locale.ROOT, " %.6f", p));
      }
    }
    assertThat(run.stderr).as(run.toString()).doesNotContain("SLF4J(W)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "calibration-core|io.calibra.core|io.calibra.backend io.calibra.calibrate"
            + " io.calibra.classifier io.calibra.conformal io.calibra.io io.calibra.label"
            + " io.calibra.metrics io.calibra.prompt io.calibra.selective io.calibra.sensitivity|",
        "onnx-backend|io.calibra.onnx|io.calibra.backend.onnx|"
            + "io.calibra.backend.onnx.OnnxProviders$Causal"
            + " io.calibra.backend.onnx.OnnxProviders$Classifier"
            + " io.calibra.backend.onnx.OnnxProviders$Encoder"
            + " io.calibra.backend.onnx.OnnxProviders$Masked",
        "http-backend|io.calibra.http|io.calibra.backend.http|"
            + "io.calibra.backend.http.OpenAiProviders$Chat"
            + " io.calibra.backend.http.OpenAiProviders$Completions",
        "calibration-testkit|io.calibra.testkit|io.calibra.testkit|"
      })
  void eachLibraryModuleExportsItsApiOnly(
      String artifact, String name, String exports, String providers) {
    // the module the build just compiled (target/classes holds its module-info.class)
    Path classes = Path.of("..", artifact, "target", "classes");
    ModuleDescriptor d =
        ModuleFinder.of(classes).findAll().stream()
            .map(ModuleReference::descriptor)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no module in " + classes));
    assertThat(d.name()).isEqualTo(name);
    assertThat(d.isAutomatic()).isFalse();
    assertThat(d.exports())
        .allSatisfy(e -> assertThat(e.isQualified()).as(e.toString()).isFalse())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder(exports.split(" "));
    assertThat(d.packages()).contains(d.exports().iterator().next().source());
    List<String> provided =
        d.provides().stream()
            .filter(p -> p.service().equals("io.calibra.backend.ScorerProvider"))
            .flatMap(p -> p.providers().stream())
            .toList();
    if (providers == null) {
      assertThat(provided).isEmpty();
    } else {
      assertThat(provided).containsExactlyInAnyOrder(providers.split(" "));
    }
    if (!name.equals("io.calibra.core")) {
      assertThat(d.requires())
          .anySatisfy(
              r -> {
                assertThat(r.name()).isEqualTo("io.calibra.core");
                assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
              });
    } else {
      assertThat(d.packages()).contains("io.calibra.internal");
      assertThat(d.uses()).containsExactly("io.calibra.backend.ScorerProvider");
    }
  }

  // ---------------------------------------------------------------------------------------------

  record Compilation(int exitCode, String output, Path classes) {}

  record Run(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private static Path compile(Path dir, String module, String requires, String main)
      throws IOException {
    Compilation c = javac(dir, module, requires, main);
    assertThat(c.exitCode).as("javac:\n" + c.output).isZero();
    return c.classes;
  }

  private static Compilation javac(Path dir, String module, String requires, String main)
      throws IOException {
    Path src = dir.resolve("src");
    Path pkg = src.resolve(module.replace('.', '/'));
    Files.createDirectories(pkg);
    Path info = src.resolve("module-info.java");
    Files.writeString(info, "module " + module + " {\n  " + requires + "\n}\n");
    Path mainFile = pkg.resolve("Main.java");
    Files.writeString(mainFile, main);
    Path classes = dir.resolve("classes");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    ToolProvider javac =
        ToolProvider.findFirst("javac")
            .orElseThrow(() -> new AssertionError("the running JDK has no javac"));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit;
    try (PrintStream ps = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      exit =
          javac.run(
              ps,
              ps,
              // javac would otherwise search this JVM's class path (the test class path)
              "--class-path",
              empty.toString(),
              "--module-path",
              modulePath,
              "-d",
              classes.toString(),
              info.toString(),
              mainFile.toString());
    }
    return new Compilation(exit, buffer.toString(StandardCharsets.UTF_8), classes);
  }

  private static Run run(Path dir, Path classes, String mainModule, String... args)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    // the JIT's first tier only, as in the test JVMs: a short run costs less CPU without C2
    command.add("-XX:TieredStopAtLevel=1");
    command.add("--module-path");
    command.add(classes + File.pathSeparator + modulePath);
    command.add("--module");
    command.add(mainModule);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    // only what the command line says: no class path or options from the environment
    env.remove("CLASSPATH");
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("JDK_JAVA_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Process p = pb.start();
    // a safety net against a hung child, not a speed assertion
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the module-path app did not finish: " + command);
    }
    return new Run(
        p.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
