package io.calibra.cli;

import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.cli.options.Backend;
import io.calibra.cli.options.EmbeddedModel;
import io.calibra.cli.options.ModelOptions;
import io.calibra.cli.options.OptionRules;
import io.calibra.cli.options.ServedModelOptions;
import io.calibra.cli.options.UsageException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * The model options of the commands that score texts ({@code score}, {@code sensitivity}): the
 * backend and model, a served model's options and a local model's options, and the one place that
 * opens a scorer from them. A picocli mixin.
 */
final class ScorerOptions {
  @Mixin ModelOptions model;

  @Mixin ServedModelOptions served;

  @Mixin OnnxModelOptions local;

  /** The backend chosen. */
  Backend backend() {
    return model.backend();
  }

  /** Whether prompts are scored whole, without the causal model's prefix cache. */
  boolean noPrefixReuse() {
    return local.noPrefixReuse;
  }

  /**
   * Declares the rules between the backend and the other model options: each backend's own options
   * only with it, and what each needs.
   */
  OptionRules declare(OptionRules rules) {
    Backend b = backend();
    return served
        .declare(rules, b)
        .require(
            !b.isServed() || served.baseUrl() != null,
            "--backend " + b + " needs --base-url (such as http://localhost:8000/v1)")
        .require(
            !b.isServed() || model.model() != null,
            "--backend " + b + " needs --model NAME (the model's name on the server)")
        .require(
            !b.isEncoder()
                || model.model() == null
                || model.modelDir() != null
                || EmbeddedModel.find(model.model()).isPresent(),
            "--model " + model.model() + " is unknown; expected " + EmbeddedModel.names())
        .require(
            !b.isModelFolder() || model.modelDir() != null, "--backend " + b + " needs --model-dir")
        .onlyIf(
            b.isOther(),
            "--backend-option is for a backend registered by another module; --backend "
                + b
                + " has options of its own",
            "--backend-option");
  }

  /**
   * Opens the scorer of a prompted backend (not the encoder: see {@link #encoder}); {@code files}
   * reads {@code --tokenizer}.
   *
   * @throws UsageException if the backend refuses its options
   */
  Scorer open(CommandFiles files) {
    Backend b = backend();
    if (b.isServed()) {
      TokenizerFile tokenizer =
          served.tokenizer() == null
              ? null
              : TokenizerFile.parse(
                  files.readJson(served.tokenizer()), CommandFiles.name(served.tokenizer()));
      return ServedScorers.open(served, b, model.model(), tokenizer);
    }
    if (b.isModelFolder()) {
      return local.openFolder(b, model.modelDir());
    }
    try {
      return Scorers.open(b.registryName(), model.backendOptions());
    } catch (IllegalArgumentException e) {
      throw UsageException.refusal("--backend " + b + ": ", e);
    }
  }

  /** The encoder with {@code examples} as each label's prototype texts (none: descriptions). */
  Scorer encoder(Map<String, List<String>> examples) {
    return local
        .encoder(OnnxModelOptions.encoderSource(model.modelDir(), model.model()))
        .fewShot(examples)
        .build();
  }
}
