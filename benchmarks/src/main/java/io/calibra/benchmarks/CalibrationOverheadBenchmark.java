package io.calibra.benchmarks;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.classifier.CalibratedClassifier;
import io.calibra.classifier.Prediction;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A calibrated classification (contextual then temperature) against the bare scorer call on the
 * embedded MiniLM model, one sentence at a time. The A/B difference is within the model's own
 * run-to-run noise, so {@code calibrationWithoutModel} also times the same pipeline over a scorer
 * that returns fixed scores: calibra's own cost per classification, to set against the model call.
 */
@State(Scope.Benchmark)
/** Timed: the benchmark. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class CalibrationOverheadBenchmark {
  private static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", "The movie was terrible.")
          .add("positive", "The movie was great.")
          .build();
  private static final String TEXT =
      "a gripping , well acted story with a few slow scenes in the middle";

  private Scorer scorer;
  private CalibratedClassifier classifier;
  private CalibratedClassifier withoutModel;

  /** Builds the data and objects the benchmark uses, outside the timed code. */
  @Setup(Level.Trial)
  public void setUp() {
    scorer = OnnxScorers.encoder(ModelSource.embeddedMiniLm()).build();
    classifier =
        CalibratedClassifier.builder(scorer, PromptTemplate.identity(LABELS))
            .contextual()
            .temperature(
                List.of("a great film", "a dull film", "fine", "awful"), new int[] {1, 0, 1, 0})
            .build();
    // The same pipeline over a scorer that returns the model's scores for TEXT at once: what is
    // left is calibra's own work per classification (prompt, distributions, calibration, result).
    double[] fixed = scorer.score(TEXT, LABELS).toArray();
    withoutModel =
        CalibratedClassifier.builder(
                io.calibra.backend.Scorers.fromClassifier(
                    "fixed", io.calibra.backend.ScoreKind.LOGIT, t -> fixed),
                PromptTemplate.identity(LABELS))
            .calibrator(classifier.calibrator())
            .build();
  }

  /** Releases what setUp opened. */
  @TearDown(Level.Trial)
  public void tearDown() {
    scorer.close();
  }

  /** Timed: bareScorer. */
  @Benchmark
  public LabelScores bareScorer() {
    return scorer.score(TEXT, LABELS);
  }

  /** Timed: calibratedClassifier. */
  @Benchmark
  public Prediction calibratedClassifier() {
    return classifier.classify(TEXT);
  }

  /** Timed: calibrationWithoutModel. */
  @Benchmark
  public Prediction calibrationWithoutModel() {
    return withoutModel.classify(TEXT);
  }
}
