package io.calibra.examples;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.backend.TextClassifier;
import io.calibra.backend.http.HttpScorer;
import io.calibra.backend.http.OpenAiScorers;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.MethodSelection;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.classifier.CalibratedClassifier;
import io.calibra.classifier.Prediction;
import io.calibra.conformal.ConformalScore;
import io.calibra.conformal.PredictionSet;
import io.calibra.conformal.SplitConformal;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.SavedCalibrator;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import io.calibra.metrics.PairedComparison;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import io.calibra.selective.RiskControl;
import io.calibra.selective.RiskCoverage;
import io.calibra.selective.SelectivePolicy;
import io.calibra.sensitivity.PromptScoring;
import io.calibra.sensitivity.PromptSensitivity;
import io.calibra.sensitivity.SensitivityReport;
import io.calibra.sensitivity.Spread;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Java of the guide (docs/*.md), one method per code block: each block is the region of the
 * same name ({@code // region docs-...}), and {@code ReadmeTest} fails when a block and its region
 * differ, and runs every method. Inputs a block does not make itself are its method's parameters,
 * so every variable a block uses is defined.
 */
public final class ReadmeExamples {
  private ReadmeExamples() {}

  // region docs-calibrate-and-measure
  static Calibrator calibrateAndMeasure(
      TextClassifier myClassifier, // any classifier you have: text in, one score per label out
      List<String> devTexts, // a small labelled dev set, gold labels by name
      List<String> devGold,
      List<String> testTexts, // a labelled test set
      List<String> testGold) {
    LabelSet labels = LabelSet.of("negative", "positive");
    Scorer scorer = Scorers.fromClassifier("my-model", ScoreKind.LOGIT, myClassifier);
    // A classifier reads the text as it is: the identity template puts no prompt around it.
    // (A few-shot PromptTemplate is for language models; see docs/language-models.md.)
    PromptTemplate template = PromptTemplate.identity(labels);

    // Contextual calibration: asks the model about "N/A", "" and "[MASK]", removes its label bias.
    Calibrator contextual = ContextualCalibration.fit(scorer, template);

    // Optionally, temperature scaling on the dev set, fitted after the contextual step.
    List<LabelDistribution> dev =
        scorer.scoreAll(devTexts, labels).stream().map(LabelScores::toDistribution).toList();
    Calibrator calibrator =
        contextual.andThen(
            TemperatureScaling.fit(LabelledSet.of(contextual.applyAll(dev), devGold)));

    LabelDistribution p =
        calibrator.apply(
            scorer.score(template.render("a charming story"), labels).toDistribution());
    System.out.println(p.predictedLabel() + " " + p.confidence());

    // How good is it? Metrics over the labelled test set (or merge accumulators while streaming).
    List<LabelDistribution> test =
        scorer.scoreAll(testTexts, labels).stream().map(LabelScores::toDistribution).toList();
    CalibrationMetrics m = Metrics.evaluate(calibrator.applyAll(test), testGold);
    System.out.printf("accuracy %.3f  ECE %.3f  NLL %.3f%n", m.accuracy(), m.ece(), m.nll());
    return calibrator;
  }

  // endregion

  // region docs-conformal
  static PredictionSet conformal(
      LabelledSet calibrationRows, // calibrated distributions with gold, unseen by the calibrator
      LabelDistribution p) {
    SplitConformal sets = SplitConformal.fit(calibrationRows, ConformalScore.aps(), 0.1);
    PredictionSet s = sets.predict(p); // s.names(), s.size(), s.contains(label); or fitMondrian
    return s;
  }

  // endregion

  // region docs-application
  static CalibratedClassifier application(
      Scorer scorer, // any scorer: Scorers.fromClassifier, OnnxScorers, OpenAiScorers
      PromptTemplate template,
      List<String> devTexts, // labelled rows to fit on, gold by name (or an int[] of indices)
      List<String> devGold,
      List<String> heldOutTexts, // labelled rows the calibration never saw
      List<String> heldOutGold,
      Path file)
      throws IOException {
    // One object to hold: scorer + template + a calibration pipeline fitted once, at build time.
    CalibratedClassifier classifier =
        CalibratedClassifier.builder(scorer, template)
            .contextual() // queries "N/A", "", "[MASK]" once
            .temperature(devTexts, devGold)
            .abstainForTargetRisk(0.1, devTexts, devGold) // or .abstainBelow(0.8)
            .build();
    Prediction p = classifier.classify("a charming story"); // label(), confidence(), abstained()
    System.out.println(p.label() + " " + p.confidence() + " abstains: " + p.abstained());

    classifier.contextualCheck().ifPresent(c -> System.out.println(c.summary())); // dev NLL, acc.

    // Save and load the whole calibration: stages, label words, abstention policy, provenance with
    // the scorer's and template's fingerprints (atomic write; JSON with a schema version).
    CalibratorFiles.save(classifier.calibration(), file);
    SavedCalibrator saved = CalibratorFiles.load(file);
    CalibratedClassifier again =
        CalibratedClassifier.builder(scorer, template)
            .calibration(saved) // refused unless saved for this scorer and template fingerprint
            .build(); // (.allowMismatchedProvenance() overrides); abstains as before

    // Which method suits my data? k-fold cross-validation on the dev set's raw distributions (each
    // candidate is fitted on them, so never pass calibrated ones), ranked by NLL then ECE.
    LabelSet labels = template.labels();
    List<LabelDistribution> devRaw =
        scorer.scoreAll(template.renderAll(devTexts), labels).stream()
            .map(LabelScores::toDistribution)
            .toList();
    List<LabelDistribution> contentFree =
        ContextualCalibration.contentFreeDistributions(
            scorer, template, ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS);
    MethodSelection.Report report =
        MethodSelection.crossValidate(
            LabelledSet.of(devRaw, devGold),
            MethodSelection.defaultCandidates(labels, contentFree),
            5,
            0L);
    System.out.print(report.table());

    // Typed parameters: every calibrator is one of a sealed set of kinds (Calibrator.Identity,
    // BiasCorrection, Temperature, Scaling, Pipeline); kind() is its CalibrationMethod, the one
    // registry of methods that files and the CLI use.
    for (Calibrator stage : classifier.calibrator().stages()) {
      if (stage instanceof Calibrator.Temperature t) {
        System.out.println(stage.kind() + ": T = " + t.temperature());
      }
    }
    Calibrator none = Calibrator.identity(labels); // "no calibration", as a calibrator (a baseline)

    // Abstention on held-out rows: the risk-coverage curve, AURC and E-AURC.
    List<LabelDistribution> heldOut =
        again.classifyAll(heldOutTexts).stream().map(Prediction::calibrated).toList();
    LabelledSet calibrated = LabelledSet.of(heldOut, heldOutGold);
    RiskCoverage curve = RiskCoverage.of(calibrated);
    System.out.printf("AURC %.4f  E-AURC %.4f%n", curve.aurc(), curve.excessAurc());
    // A threshold whose error rate among accepted rows is <= 10% with probability 0.95 over the
    // draw of these rows (Clopper-Pearson bounds over the thresholds 0, 0.01, ..., 1, Bonferroni);
    // +Infinity, abstaining on everything, when the rows are too few to guarantee any.
    SelectivePolicy guaranteed = RiskControl.forTargetRisk(calibrated, 0.1, 0.05).policy();
    System.out.println("guaranteed: " + guaranteed + "; fitted: " + again.policy().orElseThrow());
    return again;
  }

  // endregion

  // region docs-onnx
  static void onnxModels(Path modelDir) { // a causal LM's folder: model.onnx, tokenizer.json
    // Zero-shot with the embedded sentence encoder: cosine to a description of each label.
    LabelSet descriptions =
        LabelSet.builder()
            .add("negative", "The movie was terrible.")
            .add("positive", "The movie was great.")
            .build();
    try (Scorer scorer = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build()) {
      Calibrator contextual =
          ContextualCalibration.fit(scorer, PromptTemplate.identity(descriptions));
      LabelDistribution p =
          contextual.apply(scorer.score("a charming film", descriptions).toDistribution());
      System.out.printf("encoder: P(positive) = %.4f%n", p.probability("positive"));
    }

    // Few-shot with a causal LM: the template's prompt goes in, the label words' log-probabilities
    // come out (label words with their leading space).
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
    try (Scorer lm = OnnxScorers.causalLm(ModelSource.directory(modelDir)).build()) {
      Calibrator contextual = ContextualCalibration.fit(lm, fewShot); // p_cf: the raw-mass rule
      LabelDistribution q =
          contextual.apply(lm.score(fewShot.render("a charming story"), words).toDistribution());
      System.out.printf("causal LM: P(positive) = %.4f%n", q.probability("positive"));
    }
  }

  // endregion

  // region docs-served
  static List<LabelScores> served(
      String baseUrl, // such as "http://localhost:8000/v1" for vLLM
      Path cache, // such as Path.of(".calibra-cache")
      List<String> prompts,
      LabelSet labels) {
    try (HttpScorer scorer =
        OpenAiScorers.completions(baseUrl, "gpt2")
            .apiKeyFromEnvironment("OPENAI_API_KEY") // none sent when unset (local servers)
            .cache(cache) // a re-run sends no request
            .build()) {
      return scorer.scoreAll(prompts, labels); // also OpenAiScorers.chat(...)
    }
  }

  // endregion

  // region docs-compare
  static PairedComparison compare(
      LabelledSet before, // the baseline's predictions of labelled rows
      LabelledSet after) { // the same rows' predictions after the change
    PairedComparison c = PairedComparison.compute(before, after, 15, 1000, 0L, 0.95);
    PairedComparison.Difference nll = c.differences().get("nll"); // after - before
    System.out.printf(
        "NLL %+.4f [%+.4f, %+.4f], accuracy McNemar p %.4f%n",
        nll.difference(), nll.interval().lower(), nll.interval().upper(), c.mcNemar().pValue());
    return c;
  }

  // endregion

  // region docs-sensitivity
  static SensitivityReport sensitivity(
      Scorer scorer, // any scorer; a causal ONNX model reuses each prompt's prefix
      PromptTemplate format, // the prompt's format, without demonstrations
      List<Demonstration> pool, // labelled texts to draw demonstrations from
      List<String> texts, // labelled rows to evaluate on
      int[] gold) {
    SensitivityReport r =
        PromptSensitivity.builder(format.labels())
            .templates(List.of(format)) // several formats: each prompt draws one
            .demonstrations(pool)
            .shots(4)
            .prompts(10)
            .seed(0)
            .build()
            .run(PromptScoring.rendering(scorer), texts, gold);
    Spread raw = r.spread().get("raw").get("accuracy");
    Spread contextual = r.spread().get("contextual").get("accuracy");
    System.out.printf(
        "accuracy raw %.3f (sd %.3f), contextual %.3f (sd %.3f)%n",
        raw.mean(), raw.standardDeviation(), contextual.mean(), contextual.standardDeviation());
    return r;
  }

  // endregion

  /**
   * The served-model settings of docs/served-models.md, compiled (a server is needed to run it).
   */
  static void servedSettings(List<String> prompts, LabelSet labels) {
    // region docs-served-settings
    try (HttpScorer scorer =
        OpenAiScorers.completions("http://localhost:8000/v1", "gpt2")
            .apiKeyFromEnvironment("OPENAI_API_KEY")
            .cache(Path.of(".calibra-cache"))
            .requestTimeout(Duration.ofSeconds(30)) // --timeout
            .maxRetries(2) // --max-retries
            .maxResponseBytes(64L << 20) // --max-response-mib
            .promptsPerRequest(20) // --prompts-per-request
            .notices(System.err::println) // one line per retry and per fallback
            .build()) {
      List<LabelScores> scores = scorer.scoreAll(prompts, labels);
      scorer.labelWarnings().forEach(System.err::println); // chat: labels mostly missing
    }
    // endregion
  }
}
