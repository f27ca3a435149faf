/**
 * calibra's pure-Java core: labels and distributions, the scorer interface, prompts, calibrators,
 * metrics, selective classification, conformal sets and the file formats.
 *
 * <p>Only the API packages are exported; {@code io.calibra.internal} (preconditions, numeric
 * kernels, strict JSON reading, parallel loops) is not. No dependency type appears in the API, so
 * the dependencies are read but not passed on. Backends are found with {@link
 * java.util.ServiceLoader} as {@link io.calibra.backend.ScorerProvider}s: a backend module on the
 * module path (such as {@code io.calibra.onnx}) is bound without being required.
 */
@SuppressWarnings("requires-automatic") // commons-math3: see below
module io.calibra.core {
  requires com.fasterxml.jackson.databind;
  requires com.google.common;
  // commons-math3 3.6.1 declares no module name: this is the name derived from its jar file.
  requires commons.math3;

  exports io.calibra.backend;
  exports io.calibra.calibrate;
  exports io.calibra.classifier;
  exports io.calibra.conformal;
  exports io.calibra.io;
  exports io.calibra.label;
  exports io.calibra.metrics;
  exports io.calibra.prompt;
  exports io.calibra.selective;

  uses io.calibra.backend.ScorerProvider;
}
