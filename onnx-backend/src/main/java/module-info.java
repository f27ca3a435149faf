/**
 * ONNX Runtime scorers: sentence encoders (the embedded all-MiniLM-L6-v2 by default), causal and
 * masked language models and sequence classifiers, with Hugging Face tokenizers through DJL.
 *
 * <p>Exports {@code io.calibra.backend.onnx} and provides the backends {@code onnx-encoder}, {@code
 * onnx-causal}, {@code onnx-masked} and {@code onnx-classifier} to {@link
 * io.calibra.backend.Scorers#open}. The embedded model files are read from the langchain4j model
 * jars as resources outside any package, so those jars need no {@code requires}: on the module path
 * they are resolved with the other automatic modules (ONNX Runtime, DJL).
 */
@SuppressWarnings("requires-automatic") // ONNX Runtime and DJL declare only automatic names
module io.calibra.onnx {
  requires transitive io.calibra.core;
  requires ai.djl.tokenizers;
  requires com.fasterxml.jackson.databind;
  requires com.microsoft.onnxruntime;
  requires java.logging; // to quiet DJL's start-up note (DjlStartup)
  // calibra logs through System.Logger; DJL logs through SLF4J, whose provider slf4j-jdk14 (a
  // runtime dependency, bound as a service of org.slf4j) sends it to java.util.logging, where
  // System.Logger writes by default: one log, no SLF4J warnings. See docs/logging.md.
  requires org.slf4j;

  exports io.calibra.backend.onnx;

  provides io.calibra.backend.ScorerProvider with
      io.calibra.backend.onnx.OnnxProviders.Encoder,
      io.calibra.backend.onnx.OnnxProviders.Causal,
      io.calibra.backend.onnx.OnnxProviders.Masked,
      io.calibra.backend.onnx.OnnxProviders.Classifier;
}
