package io.calibra.cli.options;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The model that scores texts and its backend: {@code --backend}, {@code --model}, {@code
 * --model-dir} and, for a registered backend the command line has no options of its own for, {@code
 * --backend-option}. A picocli mixin.
 */
public final class ModelOptions {
  @Option(
      names = "--backend",
      defaultValue = "encoder",
      order = HelpSections.MODEL,
      paramLabel = "<backend>",
      converter = Backend.Converter.class,
      completionCandidates = Backend.Names.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Backend backend;

  @Option(
      names = "--model",
      order = HelpSections.MODEL,
      paramLabel = "<name>",
      description =
          "embedded-minilm (the encoder's default) or embedded-minilm-int8; for openai backends"
              + " the model's name on the server.")
  String model;

  @Option(
      names = "--model-dir",
      order = HelpSections.MODEL,
      paramLabel = "<folder>",
      description = "A folder with model.onnx and tokenizer.json (config.json for classifiers).")
  Path modelDir;

  @Option(
      names = "--backend-option",
      order = HelpSections.ADVANCED,
      paramLabel = "<key>=<value>",
      description = "An option of a backend registered by another module, repeated as needed.")
  Map<String, String> backendOptions;

  /** The backend chosen. */
  public Backend backend() {
    return backend;
  }

  /** The model's name given, or null. */
  public String model() {
    return model;
  }

  /** The model folder given, or null. */
  public Path modelDir() {
    return modelDir;
  }

  /** The {@code --backend-option} values, in no particular order (empty when none). */
  public Map<String, String> backendOptions() {
    return backendOptions == null ? Map.of() : Map.copyOf(backendOptions);
  }
}
