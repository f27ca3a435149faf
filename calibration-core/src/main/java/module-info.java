/**
 * calibra's pure-Java core: trustworthy label probabilities for classifiers built on language
 * models. A few-shot or zero-shot classifier prefers some labels even on an empty input (label
 * bias) and its confidence does not match how often it is right; this module measures and corrects
 * both.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link io.calibra.classifier.CalibratedClassifier}: a scorer, a prompt template and a
 *       calibration pipeline fitted once, with abstention; the object an application holds.
 *   <li>{@link io.calibra.backend.Scorers#fromClassifier}: any classifier you have (text in, one
 *       score per label out) as a {@link io.calibra.backend.Scorer}; the {@code onnx-backend} and
 *       {@code http-backend} modules provide scorers for local and served language models.
 *   <li>{@link io.calibra.calibrate.ContextualCalibration}, {@link
 *       io.calibra.calibrate.TemperatureScaling} and the other calibrators of {@link
 *       io.calibra.calibrate.CalibrationMethod}; {@link io.calibra.calibrate.MethodSelection}
 *       chooses among them by cross-validation.
 *   <li>{@link io.calibra.metrics.Metrics}: accuracy, ECE, Brier, NLL and more; {@link
 *       io.calibra.selective.SelectivePolicy} and {@link io.calibra.conformal.SplitConformal} for
 *       abstention and prediction sets; {@link io.calibra.io.CalibratorFiles} saves and loads
 *       calibrators.
 * </ul>
 *
 * <pre>{@code
 * LabelSet labels = LabelSet.of("negative", "positive");
 * Scorer scorer = Scorers.fromClassifier("my-model-v1", ScoreKind.LOGIT, myModel::scores);
 * CalibratedClassifier classifier =
 *     CalibratedClassifier.builder(scorer, PromptTemplate.identity(labels))
 *         .contextual() // divides out the bias the model shows on "N/A", "", "[MASK]"
 *         .temperature(devTexts, devGold) // fits its confidence on labelled dev rows
 *         .abstainBelow(0.8) // holds back answers it is less than 80% sure of
 *         .build();
 * Prediction p = classifier.classify("a charming story"); // label(), confidence(), abstained()
 * }</pre>
 *
 * <h2>Conventions</h2>
 *
 * <p>Calibrators and value types are immutable and thread-safe. Bad input is an {@link
 * IllegalArgumentException} that names the label, row or value, and checks are written so that NaN
 * fails them; a null argument is a {@link NullPointerException}. Only the API packages are
 * exported; {@code io.calibra.internal} (preconditions, numeric kernels, strict JSON reading,
 * parallel loops) is not. No dependency type appears in the API, so the dependencies are read but
 * not passed on. Backends are found with {@link java.util.ServiceLoader} as {@link
 * io.calibra.backend.ScorerProvider}s: a backend module on the module path (such as {@code
 * io.calibra.onnx}) is bound without being required.
 */
@SuppressWarnings("requires-automatic") // commons-math3: see below
module io.calibra.core {
  requires com.fasterxml.jackson.databind;
  requires com.google.common;
  // commons-math3 3.6.1 declares no module name: this is the name derived from its jar file.
  requires commons.math3;
  // @Nullable marks the API values that may be null; annotations only, not needed at run time.
  requires static org.jspecify;

  exports io.calibra.backend;
  exports io.calibra.calibrate;
  exports io.calibra.classifier;
  exports io.calibra.conformal;
  exports io.calibra.io;
  exports io.calibra.label;
  exports io.calibra.metrics;
  exports io.calibra.prompt;
  exports io.calibra.selective;
  exports io.calibra.sensitivity;

  uses io.calibra.backend.ScorerProvider;
}
