package io.calibra.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.calibra.backend.ScoreKind;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.TemperatureScaling;
import io.calibra.io.CalibratorFiles;
import io.calibra.io.Provenance;
import io.calibra.io.SavedCalibrator;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.DevComparison;
import io.calibra.metrics.Metrics;
import io.calibra.prompt.PromptTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving a classifier's calibration, provenance checks, dev checks. */
class SavedCalibrationTest {
  @TempDir Path tmp;

  /** One line per prediction: label, abstained, and every probability's exact bits. */
  static List<String> lines(List<Prediction> predictions) {
    List<String> out = new ArrayList<>();
    for (Prediction p : predictions) {
      StringBuilder line = new StringBuilder(p.label()).append(',').append(p.abstained());
      for (double v : p.calibrated().toArray()) {
        line.append(',').append(Long.toHexString(Double.doubleToLongBits(v)));
      }
      out.add(line.toString());
    }
    return out;
  }

  private static CalibratedClassifier fitted(Scorer scorer) {
    int[] devGold = new int[300];
    List<String> dev = ToyModel.texts(300, 11, devGold);
    int[] riskGold = new int[300];
    List<String> risk = ToyModel.texts(300, 12, riskGold);
    return CalibratedClassifier.builder(scorer, ToyModel.TEMPLATE)
        .contextual()
        .temperature(dev, devGold)
        .abstainForTargetRisk(0.03, risk, riskGold)
        .build();
  }

  /**
   * The README's flow abstained before saving and not after loading. The calibration (stages, label
   * words, policy, provenance) reloaded in a fresh JVM gives identical predictions and abstentions
   * on 1,000 rows.
   */
  @Test
  void identicalPredictionsAndAbstentionsAfterAReloadInAFreshJvm() throws Exception {
    CalibratedClassifier original = fitted(ToyModel.scorer("toy"));
    Path file = tmp.resolve("calibration.json");
    CalibratorFiles.save(original.calibration(), file);
    int n = 1000;
    List<String> texts = ToyModel.texts(n, 99, new int[n]);
    List<String> expected = lines(original.classifyAll(texts));
    long abstained = expected.stream().filter(l -> l.contains(",true,")).count();
    // Not vacuous: some rows are accepted and some abstained on.
    assertThat(abstained).isBetween(1L, n - 1L);

    SavedCalibrator saved = CalibratorFiles.load(file);
    assertThat(saved).isEqualTo(original.calibration());
    assertThat(saved.calibrator().labels()).isEqualTo(ToyModel.LABELS);

    Path out = tmp.resolve("child.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ReloadMain.class.getName(),
                file.toString(),
                String.valueOf(n),
                "99",
                out.toString())
            .redirectErrorStream(true)
            .start();
    String childOutput = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(childOutput).isZero();
    assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).isEqualTo(expected);

    // In this JVM too, and the restored classifier carries the saved provenance and policy.
    CalibratedClassifier again =
        CalibratedClassifier.builder(ToyModel.scorer("toy"), ToyModel.TEMPLATE)
            .calibration(saved)
            .build();
    assertThat(lines(again.classifyAll(texts))).isEqualTo(expected);
    assertThat(again.policy()).isEqualTo(original.policy());
    assertThat(again.provenance()).isEqualTo(original.provenance());
    // calibrator(saved) restores the stages only: nothing is abstained on.
    CalibratedClassifier stagesOnly =
        CalibratedClassifier.builder(ToyModel.scorer("toy"), ToyModel.TEMPLATE)
            .calibrator(saved)
            .build();
    assertThat(stagesOnly.policy()).isEmpty();
  }

  /** Provenance records both fingerprints; a mismatch is refused naming both. */
  @Test
  void aSavedCalibratorForAnotherScorerOrTemplateIsRefusedUnlessAllowed() {
    CalibratedClassifier original = fitted(ToyModel.scorer("toy"));
    SavedCalibrator saved = original.calibration();
    Scorer toy = ToyModel.scorer("toy");
    Scorer other = ToyModel.scorer("toy-v2");
    assertThat(saved.provenance().scorerFingerprint()).isEqualTo(toy.fingerprint());
    assertThat(saved.provenance().templateFingerprint()).isEqualTo(ToyModel.TEMPLATE.fingerprint());
    assertThat(other.fingerprint()).isNotEqualTo(toy.fingerprint());
    // Same model id, other score kind: another fingerprint too.
    assertThat(
            Scorers.fromClassifier("toy", ScoreKind.LOG_PROBABILITY, ToyModel::scores)
                .fingerprint())
        .isNotEqualTo(toy.fingerprint());

    assertThatThrownBy(
            () -> CalibratedClassifier.builder(other, ToyModel.TEMPLATE).calibration(saved).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match this classifier")
        .hasMessageContaining("fitted with scorer fingerprint " + toy.fingerprint())
        .hasMessageContaining("this scorer has fingerprint " + other.fingerprint())
        .hasMessageContaining("allowMismatchedProvenance()");

    PromptTemplate otherTemplate =
        PromptTemplate.builder(ToyModel.LABELS).inputPrefix("Text: ").build();
    assertThatThrownBy(
            () -> CalibratedClassifier.builder(toy, otherTemplate).calibrator(saved).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fitted with template fingerprint " + ToyModel.TEMPLATE.fingerprint())
        .hasMessageContaining("this template has fingerprint " + otherTemplate.fingerprint());

    CalibratedClassifier overridden =
        CalibratedClassifier.builder(other, ToyModel.TEMPLATE)
            .calibration(saved)
            .allowMismatchedProvenance()
            .build();
    assertThat(overridden.calibrator()).isEqualTo(original.calibrator());
    assertThat(overridden.policy()).isEqualTo(original.policy());
  }

  /** Files without fingerprints (schema 1, or fitted by the CLI) need the override. */
  @Test
  void aSavedCalibratorWithoutFingerprintsNeedsTheOverride() {
    Calibrator t = TemperatureScaling.of(ToyModel.LABELS, 2);
    SavedCalibrator old = new SavedCalibrator(t, Provenance.now("temperature", null, null, null));
    Scorer toy = ToyModel.scorer("toy");
    assertThatThrownBy(
            () -> CalibratedClassifier.builder(toy, ToyModel.TEMPLATE).calibrator(old).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it records no scorer fingerprint")
        .hasMessageContaining("it records no template fingerprint")
        .hasMessageContaining("this scorer has fingerprint " + toy.fingerprint());
    assertThat(
            CalibratedClassifier.builder(toy, ToyModel.TEMPLATE)
                .allowMismatchedProvenance()
                .calibrator(old)
                .build()
                .calibrator())
        .isEqualTo(t);
    // A bare calibrator carries no provenance and is taken as given.
    assertThat(
            CalibratedClassifier.builder(toy, ToyModel.TEMPLATE).calibrator(t).build().calibrator())
        .isEqualTo(t);
  }

  /**
   * With labelled dev texts, the builder reports the dev NLL and accuracy before and after
   * contextual calibration, and warns when they get worse. Here the content-free inputs get a
   * strong positive score that real texts do not have, so contextual calibration pushes every text
   * towards negative. Expected values: the same metrics computed step by step.
   */
  @Test
  void contextualCalibrationThatMakesTheDevSetWorseIsReportedAndWarned() {
    Scorer misled =
        Scorers.fromClassifier(
            "misled",
            ScoreKind.LOGIT,
            prompt -> {
              double[] s = ToyModel.scores(prompt);
              boolean contentFree =
                  ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS.stream()
                      .anyMatch(cf -> prompt.equals(ToyModel.TEMPLATE.render(cf)));
              return contentFree ? new double[] {0, 6} : new double[] {s[0], s[1] - 0.8};
            });
    int[] gold = new int[300];
    List<String> dev = ToyModel.texts(300, 21, gold);
    List<LogRecord> records = new ArrayList<>();
    Logger jul = Logger.getLogger(CalibratedClassifier.class.getName());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    jul.addHandler(handler);
    CalibratedClassifier clf;
    try {
      clf =
          CalibratedClassifier.builder(misled, ToyModel.TEMPLATE)
              .contextual()
              .temperature(dev, gold)
              .build();
    } finally {
      jul.removeHandler(handler);
    }
    DevComparison check = clf.contextualCheck().orElseThrow();

    List<LabelDistribution> raw = new ArrayList<>();
    for (String t : dev) {
      raw.add(misled.score(ToyModel.TEMPLATE.render(t), ToyModel.LABELS).toDistribution());
    }
    Calibrator contextual = clf.calibrator().stages().get(0);
    CalibrationMetrics before = Metrics.evaluate(LabelledSet.of(raw, gold));
    CalibrationMetrics after = Metrics.evaluate(LabelledSet.of(contextual.applyAll(raw), gold));
    assertThat(check.rows()).isEqualTo(300);
    assertThat(check.nllBefore()).isCloseTo(before.nll(), within(1e-12));
    assertThat(check.nllAfter()).isCloseTo(after.nll(), within(1e-12));
    assertThat(check.accuracyBefore()).isEqualTo(before.accuracy());
    assertThat(check.accuracyAfter()).isEqualTo(after.accuracy());
    assertThat(after.accuracy()).isLessThan(before.accuracy());
    assertThat(check.worse()).isTrue();
    assertThat(check.summary())
        .startsWith("contextual on 300 dev rows: NLL ")
        .endsWith("; worse: consider leaving contextual out");
    assertThat(check.warning())
        .isEqualTo("contextual calibration made the dev set worse: " + check.summary());
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.getLevel()).isEqualTo(Level.WARNING);
              assertThat(r.getMessage()).isEqualTo(check.warning());
            });
  }

  /** A helpful contextual step is reported without a warning; no dev texts, no check. */
  @Test
  void helpfulContextualCalibrationIsReportedWithoutAWarning() {
    Scorer toy = ToyModel.scorer("toy");
    int[] gold = new int[300];
    List<String> dev = ToyModel.texts(300, 22, gold);
    CalibratedClassifier clf =
        CalibratedClassifier.builder(toy, ToyModel.TEMPLATE)
            .contextual()
            .abstainForTargetRisk(0.2, dev, gold)
            .build();
    DevComparison check = clf.contextualCheck().orElseThrow();
    assertThat(check.accuracyAfter()).isGreaterThanOrEqualTo(check.accuracyBefore());
    assertThat(check.nllAfter()).isLessThanOrEqualTo(check.nllBefore());
    assertThat(check.worse()).isFalse();
    assertThat(check.summary())
        .startsWith("contextual on 300 dev rows: NLL ")
        .doesNotContain("worse");
    assertThat(
            CalibratedClassifier.builder(toy, ToyModel.TEMPLATE)
                .contextual()
                .build()
                .contextualCheck())
        .isEmpty();
  }
}
