package io.calibra.cli;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.backend.TokenBudget;
import io.calibra.backend.onnx.CausalLmSampler;
import io.calibra.backend.onnx.ModelSource;
import io.calibra.backend.onnx.OnnxScorers;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.GenerativeCalibration;
import io.calibra.calibrate.LeaveOneOutCalibration;
import io.calibra.cli.options.OptionValues;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFileWriter;
import io.calibra.label.LabelSet;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code calibra score}: runs a model over texts and writes a score file. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Scores texts with a model and writes a score file with one column per label.",
      "The file has id, gold (when the texts have it), then the labels' scores in label order.",
      "The encoder writes logits (cosine / scale); language models write log-probabilities."
    })
final class ScoreCommand implements Callable<Integer> {
  enum Backend {
    encoder,
    causal,
    masked,
    classifier,
    openai,
    openai_chat
  }

  @Option(
      names = "--backend",
      defaultValue = "encoder",
      converter = OpenAiOptions.BackendConverter.class,
      description =
          "encoder, causal, masked, classifier, openai (an OpenAI-compatible server's completions"
              + " API with echo) or openai-chat (its chat API) (default: ${DEFAULT-VALUE}).")
  Backend backend;

  @Mixin OpenAiOptions openAi;

  @Mixin OnnxModelOptions onnx;

  @Option(
      names = "--model-dir",
      description = "A folder with model.onnx and tokenizer.json (config.json for classifiers).")
  Path modelDir;

  @Option(
      names = "--model",
      description =
          "embedded-minilm (default for the encoder) or embedded-minilm-int8; for openai"
              + " backends the model's name on the server.")
  String model;

  @Option(
      names = "--label",
      required = true,
      description =
          "NAME=TEXT, repeated in label order. TEXT: the label description (encoder) or label words separated by | (language models).")
  List<String> labelOptions;

  @Option(
      names = "--template",
      description =
          "A few-shot template file (JSON). For the encoder its demonstrations become class prototypes.")
  Path templateFile;

  @Option(
      names = "--drop-oldest-demonstrations",
      description =
          "Drop the oldest demonstrations of prompts longer than the model's context, instead of failing.")
  boolean dropOldest;

  @Option(
      names = "--input",
      required = true,
      description =
          "A CSV with a text column and optional id and gold columns (- for standard input).")
  Path input;

  @Option(
      names = "--output",
      required = true,
      description = "The score file to write (- for standard output).")
  Path output;

  @Option(
      names = "--content-free-output",
      description = "Also write the scores of the content-free inputs here (id = the input).")
  Path contentFreeOutput;

  @Option(
      names = "--leave-one-out-output",
      description =
          "Also write the leave-one-out scores of the template's demonstrations here, for `calibra"
              + " fit --method leave-one-out`: row j scores demonstration j's text after the other"
              + " demonstrations (id = demonstration-j, gold = its label). Needs a --template with"
              + " at least 2 demonstrations.")
  Path leaveOneOutOutput;

  @Option(
      names = "--content-free",
      split = ",",
      description = "Content-free inputs (default: N/A, the empty string, [MASK]).")
  List<String> contentFreeInputs;

  @Option(
      names = "--generative-output",
      description =
          "Also sample inputs from the model after the template's text before the input slot"
              + " (each ending at its input-answer separator or --generative-max-tokens), score"
              + " them and write their scores here (id = sample-i), for `calibra fit --method"
              + " generative --content-free FILE`. Backends causal and openai (completions).")
  Path generativeOutput;

  @Option(
      names = "--generative-samples",
      converter = OptionValues.BatchSize.class,
      description = "Inputs to sample for --generative-output (default: 20).")
  Integer generativeSamples;

  @Option(
      names = "--generative-max-tokens",
      converter = OptionValues.BatchSize.class,
      description = "Token limit of each sampled input (default: 32).")
  Integer generativeMaxTokens;

  @Option(
      names = "--seed",
      description =
          "Seed of the sampling for --generative-output (default: 0): the same seed, model and"
              + " template give the same samples (causal; openai as far as the server honours it"
              + " or --cache answers).")
  Long seed;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    openAi.check(backend, modelDir, dropOldest);
    try (CommandFiles files =
        CommandFiles.of(spec)
            .streamedInput("--input", input)
            .streamedInput("--template", templateFile)
            .streamedInput("--tokenizer", openAi.tokenizer)
            .output("--output", output)
            .output("--content-free-output", contentFreeOutput)
            .output("--leave-one-out-output", leaveOneOutOutput)
            .output("--generative-output", generativeOutput)
            .check()) {
      return score(files);
    }
  }

  private Integer score(CommandFiles files) {
    LabelSet labels = LabelOption.parse(labelOptions, backend != Backend.encoder);
    PromptTemplate template =
        templateFile == null
            ? PromptTemplate.identity(labels)
            : TemplateFile.parse(
                files.readJson(templateFile), CommandFiles.name(templateFile), labels);
    List<String> leaveOneOut = null;
    if (leaveOneOutOutput != null) {
      if (backend == Backend.encoder) {
        throw new Main.UsageException(
            "--leave-one-out-output needs a prompted backend (causal, masked, classifier, openai,"
                + " openai-chat); the encoder does not read a prompt");
      }
      try {
        leaveOneOut = LeaveOneOutCalibration.prompts(template);
      } catch (IllegalArgumentException e) {
        throw new Main.UsageException("--leave-one-out-output: " + e.getMessage());
      }
    }
    String slot = generativeSlot(template);
    InputTexts texts = InputTexts.read(files.open(input), CommandFiles.name(input));
    List<Integer> gold = goldIndices(texts, labels);
    List<String> contentFree =
        contentFreeInputs == null
            ? ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS
            : contentFreeInputs;
    // every output is started now, so that a missing folder is found before any request, and all
    // are replaced together once every score is known
    try (OutputGroup outputs = new OutputGroup(spec.commandLine().getOut());
        Scorer scorer = openOutputsThenScorer(outputs, template, files)) {
      // The template's prompts go through the prefix view (the same scorer for other backends).
      Scorer prompted = onnx.noPrefixReuse ? scorer : Scorers.forTemplate(scorer, template);
      List<String> prompts = render(scorer, template, texts.texts());
      List<LabelScores> scores =
          Progress.scoreAll(prompted, prompts, labels, "Scoring " + input.getFileName());
      outputs.content(output, rows(output, labels, texts.hasGold(), texts.ids(), gold, scores));
      long bounded = OpenAiOptions.boundedRows(scorer);
      if (contentFreeOutput != null) {
        List<LabelScores> cf = prompted.scoreAll(render(scorer, template, contentFree), labels);
        outputs.content(
            contentFreeOutput, rows(contentFreeOutput, labels, false, contentFree, null, cf));
        long cfBounded = OpenAiOptions.boundedRows(scorer) - bounded;
        if (cfBounded > 0) {
          spec.commandLine()
              .getErr()
              .println(
                  cfBounded + " of " + cf.size() + " content-free rows are bounded (see above)");
        }
      }
      if (leaveOneOut != null) {
        List<LabelScores> loo = scorer.scoreAll(leaveOneOut, labels);
        int[] demoLabels = LeaveOneOutCalibration.demonstrationLabels(template);
        List<String> ids = new ArrayList<>();
        List<Integer> golds = new ArrayList<>();
        for (int j = 0; j < loo.size(); j++) {
          ids.add("demonstration-" + j);
          golds.add(demoLabels[j]);
        }
        outputs.content(leaveOneOutOutput, rows(leaveOneOutOutput, labels, true, ids, golds, loo));
      }
      if (generativeOutput != null) {
        List<String> samples = sample(template, slot);
        List<LabelScores> gen = prompted.scoreAll(render(scorer, template, samples), labels);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < gen.size(); i++) {
          ids.add("sample-" + i);
        }
        outputs.content(generativeOutput, rows(generativeOutput, labels, false, ids, null, gen));
      }
      outputs.commit();
      String summary = OpenAiOptions.summary(scorer, bounded, scores.size(), input);
      if (summary != null) {
        spec.commandLine().getErr().println(summary);
      }
      OpenAiOptions.labelWarnings(scorer).forEach(Main::warn);
    } catch (IllegalArgumentException e) {
      if (OpenAiOptions.isHttp(backend)
          && !(e instanceof Main.UsageException)
          && !(e instanceof DataFileException)) {
        // a served scorer checks the label words (against --tokenizer) when it first scores
        throw new Main.UsageException(e.getMessage());
      }
      throw e;
    }
    Main.flushStandardOutput(spec);
    spec.commandLine()
        .getErr()
        .println(
            "wrote "
                + output
                + (contentFreeOutput == null ? "" : " and " + contentFreeOutput)
                + (leaveOneOutOutput == null ? "" : " and " + leaveOneOutOutput)
                + (generativeOutput == null ? "" : " and " + generativeOutput));
    return Main.OK;
  }

  /**
   * Checks the generative options; returns the prompt to sample after (the template's text before
   * the input slot), or null without --generative-output.
   */
  private String generativeSlot(PromptTemplate template) {
    if (generativeOutput == null) {
      if (generativeSamples != null || generativeMaxTokens != null || seed != null) {
        throw new Main.UsageException(
            "--generative-samples, --generative-max-tokens and --seed apply to"
                + " --generative-output only");
      }
      return null;
    }
    if (backend != Backend.causal && backend != Backend.openai) {
      throw new Main.UsageException(
          "--generative-output samples inputs from the model: it needs --backend causal or"
              + " openai, not "
              + OpenAiOptions.name(backend));
    }
    String slot = GenerativeCalibration.inputSlotPrefix(template);
    if (slot.isEmpty()) {
      throw new Main.UsageException(
          "--generative-output samples inputs after the template's text before the input slot,"
              + " and there is none; give a --template with an instruction, demonstrations or an"
              + " input_prefix");
    }
    return slot;
  }

  /** The sampled inputs of --generative-output, from a sampler of its own. */
  private List<String> sample(PromptTemplate template, String slot) {
    int count =
        generativeSamples == null ? GenerativeCalibration.DEFAULT_SAMPLES : generativeSamples;
    int maxTokens =
        generativeMaxTokens == null
            ? GenerativeCalibration.DEFAULT_MAX_TOKENS
            : generativeMaxTokens;
    long s = seed == null ? 0L : seed;
    if (backend == Backend.openai) {
      try (var sampler = openAi.sampler(backend, model)) {
        return GenerativeCalibration.sampleInputs(sampler, template, count, maxTokens, s);
      }
    }
    try (CausalLmSampler sampler =
        OnnxScorers.causalLm(ModelSource.directory(modelDir))
            .intraOpThreads(onnx.threads)
            .buildSampler()) {
      return GenerativeCalibration.sampleInputs(sampler, template, count, maxTokens, s);
    }
  }

  /** Starts every output file, then opens the scorer (a server is asked nothing before). */
  private Scorer openOutputsThenScorer(
      OutputGroup outputs, PromptTemplate template, CommandFiles files) {
    for (Path file : new Path[] {output, contentFreeOutput, leaveOneOutOutput, generativeOutput}) {
      outputs.open(file);
    }
    return open(template, files);
  }

  /** A score file's text: ids, gold indices (null: none, -1 each) and the scores of each row. */
  private static String rows(
      Path file,
      LabelSet labels,
      boolean withGold,
      List<String> ids,
      List<Integer> gold,
      List<LabelScores> scores) {
    StringWriter text = new StringWriter();
    String name = CommandFiles.isStandard(file) ? "standard output" : file.toString();
    try (ScoreFileWriter w = ScoreFileWriter.create(text, name, labels, true, withGold, false)) {
      for (int i = 0; i < scores.size(); i++) {
        w.writeScores(ids.get(i), gold == null ? -1 : gold.get(i), scores.get(i).toArray());
      }
      w.commit();
    }
    return text.toString();
  }

  private List<String> render(Scorer scorer, PromptTemplate template, List<String> inputs) {
    if (backend == Backend.encoder) {
      return inputs;
    }
    List<String> prompts = new ArrayList<>(inputs.size());
    TokenBudget budget = scorer instanceof TokenBudget b ? b : null;
    for (String text : inputs) {
      prompts.add(
          budget == null || !dropOldest
              ? template.render(text)
              : template.renderWithin(
                  text,
                  budget::countTokens,
                  budget.maxTokens(),
                  PromptTemplate.Overflow.DROP_OLDEST_DEMONSTRATIONS));
    }
    return prompts;
  }

  private static List<Integer> goldIndices(InputTexts texts, LabelSet labels) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < texts.texts().size(); i++) {
      String g = texts.gold().get(i).trim();
      if (g.isEmpty()) {
        out.add(-1);
      } else {
        try {
          out.add(ScoreFileReader.goldIndex(labels, g));
        } catch (IllegalArgumentException e) {
          throw new DataFileException(
              texts.file(),
              texts.lines().get(i),
              texts.header().indexOf("gold") + 1,
              e.getMessage(),
              e);
        }
      }
    }
    return out;
  }

  private Scorer open(PromptTemplate template, CommandFiles files) {
    if (OpenAiOptions.isHttp(backend)) {
      return openAi.open(
          backend,
          model,
          openAi.tokenizer == null
              ? null
              : TokenizerFile.parse(
                  files.readJson(openAi.tokenizer), CommandFiles.name(openAi.tokenizer)));
    }
    if (backend == Backend.encoder) {
      ModelSource source = OnnxModelOptions.encoderSource(modelDir, model);
      Map<String, List<String>> examples = new LinkedHashMap<>();
      for (Demonstration d : template.demonstrations()) {
        examples.computeIfAbsent(d.label(), k -> new ArrayList<>()).add(d.text());
      }
      if (!examples.isEmpty()) {
        for (String label : template.labels().names()) {
          if (!examples.containsKey(label)) {
            throw new Main.UsageException(
                "--template "
                    + templateFile
                    + ": the encoder makes each label's prototype from its demonstrations, and"
                    + " label '"
                    + label
                    + "' has none; give every label a demonstration, or none for zero-shot");
          }
        }
      }
      return onnx.encoder(source).fewShot(examples).build();
    }
    return onnx.openFolder(backend, modelDir);
  }
}
