package io.calibra.examples;

import static io.calibra.testkit.CalibraAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.http.FakeOpenAiServer;
import io.calibra.backend.http.Gpt2Fixture;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.classifier.CalibratedClassifier;
import io.calibra.classifier.Prediction;
import io.calibra.conformal.PredictionSet;
import io.calibra.io.CalibratorFiles;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.Metrics;
import io.calibra.metrics.PairedComparison;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import io.calibra.sensitivity.PromptResult;
import io.calibra.sensitivity.SensitivityReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's Java: every block is a region of {@link ReadmeExamples} (checked line by line, only
 * indentation normalised), the package table names every API package, and every block runs with its
 * outputs checked against values computed here another way.
 */
class ReadmeTest {
  static final Path README = Path.of("..", "README.md");
  static final Path DOCS = Path.of("..", "docs");
  static final Path SOURCES = Path.of("src", "main", "java");
  static final Path SST2 = Path.of("..", "..", "shared", "data", "sst2");

  @TempDir Path tmp;

  // --- the README matches the sources ---

  @Test
  void everyJavaBlockOfTheReadmeAndTheGuideIsARegionOfTheExamples() throws IOException {
    Map<String, List<String>> documents = new LinkedHashMap<>();
    documents.put("README.md", Files.readAllLines(README, StandardCharsets.UTF_8));
    try (Stream<Path> pages = Files.list(DOCS)) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        documents.put(
            "docs/" + page.getFileName(), Files.readAllLines(page, StandardCharsets.UTF_8));
      }
    }
    Map<String, List<String>> regions = ReadmeBlocks.regions(SOURCES);
    assertThat(ReadmeBlocks.javaBlocks(documents.get("README.md"))).hasSize(1);
    assertThat(documents.values().stream().mapToInt(d -> ReadmeBlocks.javaBlocks(d).size()).sum())
        .isGreaterThanOrEqualTo(6);
    assertThat(ReadmeBlocks.problems(documents, regions)).isEmpty();
  }

  @Test
  void theCheckFailsOnAChangedLineAMissingRegionAndAnUnusedRegion() {
    Map<String, List<String>> regions =
        ReadmeBlocks.regions(
            Path.of("X.java"),
            List.of(
                "class X {",
                "  // region readme-a",
                "  int a = 1;",
                "  // endregion",
                "  // region readme-b",
                "  int b = 2;",
                "  // endregion",
                "}"));
    // indentation and trailing spaces are all that may differ
    assertThat(
            ReadmeBlocks.problems(
                List.of("<!-- region readme-a -->", "```java", "      int a = 1;   ", "```"),
                Map.of("readme-a", regions.get("readme-a"))))
        .isEmpty();
    List<String> problems =
        ReadmeBlocks.problems(
            List.of(
                "text",
                "<!-- region readme-a -->",
                "```java",
                "int a = 2;",
                "```",
                "```java",
                "int c;",
                "```",
                "<!-- region readme-z -->",
                "```java",
                "int z;",
                "```"),
            regions);
    assertThat(problems)
        .containsExactly(
            "README line 4: block differs from region readme-a at its line 1: the document has"
                + " 'int a = 2;', the region has 'int a = 1;'",
            "README line 6: a ```java block without a region; put <!-- region NAME --> above it and"
                + " the code in examples between // region NAME and // endregion",
            "README line 10: no region readme-z in examples",
            "region readme-b is in examples but in no document's block");
  }

  @Test
  void theJavaGuidesPackageTableNamesEveryApiPackage() throws IOException {
    String readme = Files.readString(DOCS.resolve("java.md"), StandardCharsets.UTF_8);
    String table =
        readme.substring(
            readme.indexOf("| concept | package |"),
            readme.indexOf("\n\n", readme.indexOf("| concept | package |")));
    List<String> packages = new ArrayList<>();
    for (String module : List.of("calibration-core", "onnx-backend", "http-backend")) {
      Path root = Path.of("..", module, "src", "main", "java");
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(f -> f.getFileName().toString().equals("package-info.java"))
            .map(f -> root.relativize(f.getParent()).toString().replace('/', '.'))
            .filter(p -> !p.endsWith(".internal"))
            .forEach(packages::add);
      }
    }
    assertThat(packages).contains("io.calibra.classifier", "io.calibra.selective");
    for (String p : packages) {
      assertThat(table).as("the package table of docs/java.md").contains("`" + p + "`");
    }
  }

  // --- every block runs ---

  private static String stdout(ThrowingRunnable body) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(old);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    old.print(out);
    return out;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static double printed(String out, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(out);
    assertThat(m.find()).as("'" + pattern + "' in\n" + out).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void quickStartAbstainsOnATextWithoutKeywords() {
    List<String> devGold =
        Arrays.stream(WrapYourClassifier.DEV_GOLD)
            .mapToObj(g -> g == 0 ? "negative" : "positive")
            .toList();
    Prediction p =
        QuickStart.quickStart(
            new WrapYourClassifier.KeywordClassifier(), WrapYourClassifier.DEV, devGold);
    // "a charming story" has no keyword: scores (0, 0.8), as every content-free input has, so
    // contextual calibration maps it to uniform and temperature scaling keeps it there (hand
    // computed): confidence 1/2, below the 0.8 threshold.
    assertThat(p.confidence()).isCloseTo(0.5, within(1e-12));
    assertThat(p.calibrated().probability("positive")).isCloseTo(0.5, within(1e-12));
    assertThat(p.abstained()).isTrue();
    assertThat(p.raw().probability("positive")).isCloseTo(1 / (1 + Math.exp(-0.8)), within(1e-12));
  }

  @Test
  void calibrateAndMeasure() throws Exception {
    // The keyword classifier of WrapYourClassifier: (2 x negative words, 0.8 + 2 x positive words).
    List<String> testTexts =
        List.of(
            "a great cast",
            "boring plot",
            "good fun",
            "an awful mess",
            "wonderful and moving",
            "dull",
            "not good",
            "not bad");
    List<String> testGold =
        List.of(
            "positive",
            "negative",
            "positive",
            "negative",
            "positive",
            "negative",
            "negative",
            "positive");
    List<String> devGold =
        Arrays.stream(WrapYourClassifier.DEV_GOLD)
            .mapToObj(g -> g == 0 ? "negative" : "positive")
            .toList();
    Calibrator[] result = new Calibrator[1];
    String out =
        stdout(
            () ->
                result[0] =
                    ReadmeExamples.calibrateAndMeasure(
                        new WrapYourClassifier.KeywordClassifier(),
                        WrapYourClassifier.DEV,
                        devGold,
                        testTexts,
                        testGold));
    Calibrator calibrator = result[0];
    LabelSet labels = LabelSet.of("negative", "positive");
    // Every content-free input and "a charming story" have no keyword: scores (0, 0.8), which
    // contextual calibration maps to uniform, and temperature scaling keeps uniform (hand
    // computed).
    LabelDistribution neutral = LabelScores.of(labels, ScoreKind.LOGIT, 0, 0.8).toDistribution();
    assertThat(calibrator.apply(neutral)).isUniform(1e-12);
    assertThat(calibrator.stages()).hasSize(2);
    assertThat(calibrator.stages().get(0).kind()).isEqualTo(CalibrationMethod.CONTEXTUAL);
    assertThat(calibrator.stages().get(1).kind()).isEqualTo(CalibrationMethod.TEMPERATURE);
    assertThat(printed(out, "(?m)^(?:negative|positive) (\\S+)$")).isCloseTo(0.5, within(1e-12));
    // After contextual calibration a text is positive when it has more positive than negative
    // words; temperature keeps the order. Right on the first six, wrong on "not good" and
    // "not bad": accuracy 6/8 (hand computed).
    assertThat(out).containsPattern("accuracy 0\\.750  ECE \\d\\.\\d{3}  NLL \\d\\.\\d{3}");
    for (String text : testTexts) {
      LabelDistribution p =
          calibrator.apply(
              LabelScores.of(
                      labels,
                      ScoreKind.LOGIT,
                      new WrapYourClassifier.KeywordClassifier().scores(text))
                  .toDistribution());
      assertThat(p.probability(0) + p.probability(1)).isCloseTo(1.0, within(1e-12));
    }
  }

  /** The golden SST-2 zero-shot rows (real MiniLM logits), as distributions with gold. */
  private static LabelledSet goldenSst2() throws IOException {
    JsonNode root =
        new ObjectMapper()
            .readTree(
                Path.of(
                        "..",
                        "calibration-core",
                        "src",
                        "test",
                        "resources",
                        "golden",
                        "sst2-zeroshot-minilm.json")
                    .toFile());
    LabelSet labels = LabelSet.of("negative", "positive");
    List<LabelDistribution> rows = new ArrayList<>();
    List<Integer> gold = new ArrayList<>();
    for (JsonNode row : root.get("rows")) {
      rows.add(
          LabelScores.of(
                  labels,
                  ScoreKind.LOGIT,
                  row.get("logits").get(0).asDouble(),
                  row.get("logits").get(1).asDouble())
              .toDistribution());
      gold.add(row.get("gold").asInt());
    }
    return LabelledSet.of(rows, gold.stream().mapToInt(Integer::intValue).toArray());
  }

  @Test
  void conformalSetsAreTheApsSetsComputedByHand() throws IOException {
    LabelledSet all = goldenSst2();
    int n = 1000;
    LabelledSet calibration =
        LabelledSet.of(
            all.distributions().subList(0, n), Arrays.copyOfRange(all.goldArray(), 0, n));
    // APS (non-randomised): the score of label y is the mass of the labels ranked at or above it;
    // qhat is the ceil((n + 1)(1 - alpha))-th smallest calibration score; the set holds every
    // label whose score is at most qhat.
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = aps(calibration.distribution(i), calibration.gold(i));
    }
    Arrays.sort(scores);
    double qhat = scores[(int) Math.ceil((n + 1) * 0.9) - 1];
    int covered = 0;
    for (int i = n; i < all.size(); i++) {
      LabelDistribution p = all.distribution(i);
      PredictionSet s = ReadmeExamples.conformal(calibration, p);
      List<Integer> want = new ArrayList<>();
      for (int y = 0; y < p.size(); y++) {
        if (aps(p, y) <= qhat) {
          want.add(y);
        }
      }
      assertThat(s.members())
          .as("row %d", i)
          .containsExactly(want.stream().mapToInt(Integer::intValue).toArray());
      covered += s.contains(all.gold(i)) ? 1 : 0;
    }
    // 821 rows the sets never saw; the guarantee is 0.9 on average over draws (measured: printed)
    double coverage = (double) covered / (all.size() - n);
    System.out.printf(Locale.ROOT, "conformal coverage on held-out rows: %.4f%n", coverage);
    assertThat(coverage).isGreaterThan(0.85);
  }

  private static double aps(LabelDistribution p, int y) {
    double sum = 0;
    for (int k = 0; k < p.size(); k++) {
      if (p.probability(k) > p.probability(y) || (p.probability(k) == p.probability(y) && k <= y)) {
        sum += p.probability(k);
      }
    }
    return sum;
  }

  @Test
  void onnxModelsPrintTheContextualProbabilitiesComputedByHand() throws Exception {
    Path gpt2 = Gpt2Fixture.folder();
    String out = stdout(() -> ReadmeExamples.onnxModels(gpt2));

    // The encoder: q = normalise(p / mean of the content-free distributions).
    LabelSet descriptions =
        LabelSet.builder()
            .add("negative", "The movie was terrible.")
            .add("positive", "The movie was great.")
            .build();
    double encoder;
    try (Scorer s = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
      double[] pcf = new double[2];
      for (LabelScores cf : s.scoreAll(List.of("N/A", "", "[MASK]"), descriptions)) {
        LabelDistribution d = cf.toDistribution();
        pcf[0] += d.probability(0) / 3;
        pcf[1] += d.probability(1) / 3;
      }
      LabelDistribution p = s.score("a charming film", descriptions).toDistribution();
      double neg = p.probability(0) / pcf[0];
      double pos = p.probability(1) / pcf[1];
      encoder = pos / (neg + pos);
    }
    assertThat(printed(out, "encoder: P\\(positive\\) = (\\S+)")).isCloseTo(encoder, within(5e-5));

    // The causal LM on log-probabilities: p_cf by the raw-mass rule, normalise(mean of exp).
    LabelSet words =
        LabelSet.builder().add("negative", " terrible").add("positive", " great").build();
    PromptTemplate fewShot =
        PromptTemplate.builder(words)
            .inputPrefix("Review: ")
            .inputAnswerSeparator("\n")
            .answerPrefix("Sentiment:")
            .demonstrationSeparator("\n\n")
            .demonstration("a gem of a film", "positive")
            .demonstration("dull and slow", "negative")
            .build();
    double lm;
    try (Scorer s = OnnxScorers.causalLm(ModelSource.directory(gpt2)).build()) {
      assertThat(s.kind()).isEqualTo(ScoreKind.LOG_PROBABILITY);
      double[] mass = new double[2];
      for (LabelScores cf : s.scoreAll(fewShot.renderAll(List.of("N/A", "", "[MASK]")), words)) {
        mass[0] += Math.exp(cf.score(0));
        mass[1] += Math.exp(cf.score(1));
      }
      LabelScores x = s.score(fewShot.render("a charming story"), words);
      double neg = Math.exp(x.score(0)) / mass[0];
      double pos = Math.exp(x.score(1)) / mass[1];
      lm = pos / (neg + pos);
    }
    assertThat(printed(out, "causal LM: P\\(positive\\) = (\\S+)")).isCloseTo(lm, within(5e-5));
  }

  @Test
  void servedModelScoresAgreeWithTheLocalModelAndARerunSendsNoRequest() throws IOException {
    LabelSet labels =
        LabelSet.builder().add("negative", " negative").add("positive", " positive").build();
    List<String> prompts = List.of("Review: a fine film\nSentiment:", "Review: dull\nSentiment:");
    Path cache = tmp.resolve("cache");
    try (Gpt2Fixture model = new Gpt2Fixture();
        FakeOpenAiServer server = new FakeOpenAiServer(model);
        Scorer local = OnnxScorers.causalLm(ModelSource.directory(Gpt2Fixture.folder())).build()) {
      List<LabelScores> got = ReadmeExamples.served(server.baseUrl(), cache, prompts, labels);
      List<LabelScores> want = local.scoreAll(prompts, labels);
      for (int i = 0; i < prompts.size(); i++) {
        assertThat(got.get(i).toArray()).containsExactly(want.get(i).toArray(), within(1e-5));
      }
      int sent = server.requests();
      assertThat(sent).isPositive();
      try (Stream<Path> entries = Files.walk(cache)) {
        assertThat(entries.filter(Files::isRegularFile).count()).isPositive();
      }
      List<LabelScores> again = ReadmeExamples.served(server.baseUrl(), cache, prompts, labels);
      assertThat(server.requests()).isEqualTo(sent);
      for (int i = 0; i < prompts.size(); i++) {
        assertThat(again.get(i).toArray()).containsExactly(got.get(i).toArray());
      }
    }
  }

  /** The first {@code limit} rows of an SST-2 file: {@code label sentence}. */
  private static List<String[]> sst2(String file, int limit) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(SST2.resolve(file), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && rows.size() < limit) {
        rows.add(new String[] {line.substring(2), line.charAt(0) == '1' ? "positive" : "negative"});
      }
    }
    return rows;
  }

  @Test
  void applicationOnSst2WithTheEmbeddedModel() throws Exception {
    Assumptions.assumeTrue(
        Files.isDirectory(SST2), "SST-2 not found at ../../shared/data/sst2: skipping");
    List<String[]> dev = sst2("dev.txt", 200);
    List<String[]> test = sst2("test.txt", 200);
    LabelSet labels =
        LabelSet.builder()
            .add("negative", "The movie was terrible.")
            .add("positive", "The movie was great.")
            .build();
    PromptTemplate template = PromptTemplate.identity(labels);
    Path file = tmp.resolve("calibration.json");
    CalibratedClassifier[] result = new CalibratedClassifier[1];
    String out;
    try (Scorer scorer = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
      out =
          stdout(
              () ->
                  result[0] =
                      ReadmeExamples.application(
                          scorer,
                          template,
                          dev.stream().map(r -> r[0]).toList(),
                          dev.stream().map(r -> r[1]).toList(),
                          test.stream().map(r -> r[0]).toList(),
                          test.stream().map(r -> r[1]).toList(),
                          file));
      CalibratedClassifier classifier = result[0];
      // the saved file loads back to the same calibrator
      assertThat(CalibratorFiles.load(file).calibrator()).isEqualTo(classifier.calibrator());
      // the contextual stage maps the content-free mean to uniform
      List<LabelDistribution> cf =
          ContextualCalibration.contentFreeDistributions(
              scorer, template, ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS);
      Calibrator contextual = classifier.calibrator().stages().get(0);
      assertThat(contextual.apply(ContextualCalibration.estimateBias(cf))).isUniform(1e-12);
      // the temperature printed is the fitted stage's
      Calibrator.Temperature t = (Calibrator.Temperature) classifier.calibrator().stages().get(1);
      assertThat(printed(out, "temperature: T = (\\S+)")).isEqualTo(t.temperature());
      // the policy abstains below its threshold, and calibrated rows are distributions
      double threshold = classifier.policy().orElseThrow().threshold();
      for (Prediction p : classifier.classifyAll(test.stream().map(r -> r[0]).toList())) {
        assertThat(p.calibrated().probability(0) + p.calibrated().probability(1))
            .isCloseTo(1.0, within(1e-12));
        assertThat(p.abstained()).isEqualTo(p.confidence() < threshold);
      }
    }
    // every default candidate is ranked: none, temperature, vector, matrix, contextual, ...
    for (String candidate :
        List.of(
            "none", "temperature", "vector", "matrix", "contextual", "contextual+temperature")) {
      assertThat(out).containsPattern("(?m)^" + Pattern.quote(candidate) + "\\s+\\d");
    }
    assertThat(out).containsPattern("AURC 0\\.\\d{4}  E-AURC 0\\.\\d{4}");
  }

  /**
   * By hand: before, rows 1 and 4 are wrong; after, none is: McNemar's b = 0, c = 2, p = 2 (1/2)^2
   * = 0.5. The NLL difference is the mean of -log p_gold after minus before.
   */
  @Test
  void comparePrintsTheNllDifferenceAndMcNemarComputedByHand() throws Exception {
    LabelSet labels = LabelSet.of("negative", "positive");
    int[] gold = {1, 1, 0, 0};
    double[] before = {0.4, 0.6, 0.3, 0.6}; // p(positive)
    double[] after = {0.7, 0.8, 0.2, 0.4};
    List<LabelDistribution> b = new ArrayList<>();
    List<LabelDistribution> a = new ArrayList<>();
    double nllBefore = 0;
    double nllAfter = 0;
    for (int i = 0; i < 4; i++) {
      b.add(LabelDistribution.ofProbabilities(labels, 1 - before[i], before[i]));
      a.add(LabelDistribution.ofProbabilities(labels, 1 - after[i], after[i]));
      nllBefore -= Math.log(gold[i] == 1 ? before[i] : 1 - before[i]) / 4;
      nllAfter -= Math.log(gold[i] == 1 ? after[i] : 1 - after[i]) / 4;
    }
    PairedComparison[] c = new PairedComparison[1];
    String out =
        stdout(
            () -> c[0] = ReadmeExamples.compare(LabelledSet.of(b, gold), LabelledSet.of(a, gold)));
    assertThat(printed(out, "NLL ([-+][0-9.]+)")).isCloseTo(nllAfter - nllBefore, within(1e-4));
    assertThat(printed(out, "McNemar p ([0-9.]+)")).isEqualTo(0.5);
    assertThat(c[0].differences().get("accuracy").difference()).isEqualTo(0.5);
  }

  /**
   * A keyword scorer (the positive logit counts "good" minus "bad" in the whole prompt, so the
   * demonstrations' texts shift it): each prompt's raw accuracy equals the accuracy of its rendered
   * rows scored directly, and the printed mean is their mean.
   */
  @Test
  void sensitivityReportsEachPromptAsScoringItDirectlyWould() throws Exception {
    LabelSet labels = LabelSet.builder().add("neg", " bad").add("pos", " good").build();
    Scorer scorer =
        io.calibra.backend.Scorers.fromClassifier(
            "keywords",
            ScoreKind.LOGIT,
            text ->
                new double[] {
                  0, text.split("good", -1).length - (double) text.split("bad", -1).length
                });
    PromptTemplate format =
        PromptTemplate.builder(labels)
            .inputPrefix("Review: ")
            .inputAnswerSeparator("\n")
            .answerPrefix("Sentiment:")
            .demonstrationSeparator("\n\n")
            .build();
    List<Demonstration> pool = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pool.add(new Demonstration("example " + i, i < 4 ? "pos" : "neg"));
    }
    List<String> texts = List.of("good", "good good", "bad", "good bad bad", "good", "bad");
    int[] gold = {1, 1, 0, 0, 0, 1};
    SensitivityReport[] r = new SensitivityReport[1];
    String out = stdout(() -> r[0] = ReadmeExamples.sensitivity(scorer, format, pool, texts, gold));
    double sum = 0;
    for (PromptResult p : r[0].prompts()) {
      List<LabelDistribution> direct =
          scorer.scoreAll(p.draw().prompt().renderAll(texts), labels).stream()
              .map(LabelScores::toDistribution)
              .toList();
      double accuracy = Metrics.evaluate(LabelledSet.of(direct, gold)).accuracy();
      assertThat(p.metrics().get("raw").accuracy()).isEqualTo(accuracy);
      sum += accuracy;
    }
    assertThat(r[0].prompts()).hasSize(10);
    assertThat(printed(out, "accuracy raw ([0-9.]+)")).isCloseTo(sum / 10, within(5e-4));
  }
}
