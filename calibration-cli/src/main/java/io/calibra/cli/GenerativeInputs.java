package io.calibra.cli;

import io.calibra.backend.onnx.CausalLmSampler;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.GenerativeCalibration;
import io.calibra.cli.options.Backend;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.OptionRules;
import io.calibra.cli.options.OptionValues;
import io.calibra.cli.options.UsageException;
import io.calibra.prompt.PromptTemplate;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code calibra score --generative-output}: inputs sampled from the model after the template's
 * text before the input slot (each ending at its input-answer separator or the token limit), for
 * {@code calibra fit --method generative}. Backends causal and openai (completions).
 */
final class GenerativeInputs {
  /** The options of the sampled inputs: the others need {@code --generative-output}. */
  static final class Options {
    @Option(
        names = "--generative-output",
        required = true,
        order = HelpSections.OUTPUT,
        paramLabel = "<file>",
        description = "Also write sampled inputs' scores.")
    Path output;

    @Option(
        names = "--generative-samples",
        order = HelpSections.METHOD,
        paramLabel = "<count>",
        defaultValue = "" + GenerativeCalibration.DEFAULT_SAMPLES,
        converter = OptionValues.BatchSize.class,
        description = "Inputs to sample (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
        names = "--generative-max-tokens",
        order = HelpSections.METHOD,
        paramLabel = "<count>",
        defaultValue = "" + GenerativeCalibration.DEFAULT_MAX_TOKENS,
        converter = OptionValues.BatchSize.class,
        description = "Tokens per sampled input (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(
        names = "--seed",
        order = HelpSections.METHOD,
        paramLabel = "<seed>",
        defaultValue = "0",
        description = "Seed of the sampling (default: ${DEFAULT-VALUE}).")
    long seed;
  }

  private final Options options;
  private final PromptTemplate template;
  private final ScorerOptions scorer;

  private GenerativeInputs(Options options, PromptTemplate template, ScorerOptions scorer) {
    this.options = options;
    this.template = template;
    this.scorer = scorer;
  }

  /** Declares that sampling needs a backend that generates text (causal, openai). */
  static OptionRules declare(OptionRules rules, Backend backend, Options options) {
    return rules.onlyIf(
        backend.isCausal() || backend.isCompletions(),
        "--generative-output samples inputs from the model: it needs --backend causal or openai,"
            + " not "
            + backend,
        "--generative-output");
  }

  /**
   * The sampling of {@code options} after {@code template}'s text before the input slot.
   *
   * @throws UsageException if the template has no text there
   */
  static GenerativeInputs of(Options options, PromptTemplate template, ScorerOptions scorer) {
    if (GenerativeCalibration.inputSlotPrefix(template).isEmpty()) {
      throw new UsageException(
          "--generative-output samples inputs after the template's text before the input slot,"
              + " and there is none; give a --template with an instruction, demonstrations or an"
              + " input_prefix");
    }
    return new GenerativeInputs(options, template, scorer);
  }

  /** The sampled inputs, from a sampler of their own. */
  List<String> sample() {
    if (scorer.backend().isCompletions()) {
      try (var sampler = ServedScorers.sampler(scorer.served, scorer.model.model())) {
        return GenerativeCalibration.sampleInputs(
            sampler, template, options.samples, options.maxTokens, options.seed);
      }
    }
    try (CausalLmSampler sampler =
        OnnxScorers.causalLm(ModelSource.directory(scorer.model.modelDir()))
            .intraOpThreads(scorer.local.threads)
            .buildSampler()) {
      return GenerativeCalibration.sampleInputs(
          sampler, template, options.samples, options.maxTokens, options.seed);
    }
  }
}
