package io.calibra.cli;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.Scorers;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.LeaveOneOutCalibration;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.LabelOptions;
import io.calibra.cli.options.OptionRules;
import io.calibra.cli.options.OutputOption;
import io.calibra.cli.options.UsageException;
import io.calibra.cli.output.OutputGroup;
import io.calibra.cli.output.Progress;
import io.calibra.label.LabelSet;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code calibra score}: runs a model over texts and writes a score file. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Scores texts with a model and writes a score file with one column per label.",
      "Columns: id, gold (when the texts have it), the labels' scores; see docs/command-line.md."
    })
final class ScoreCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "A CSV of texts (- for standard input).")
  Path input;

  @Option(
      names = "--template",
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "A few-shot template (JSON).")
  Path templateFile;

  @Mixin OutputOption output;

  @Option(
      names = "--content-free-output",
      order = HelpSections.OUTPUT,
      paramLabel = "<file>",
      description = "Also write content-free inputs' scores.")
  Path contentFreeOutput;

  @Option(
      names = "--leave-one-out-output",
      order = HelpSections.OUTPUT,
      paramLabel = "<file>",
      description = "Also write leave-one-out scores.")
  Path leaveOneOutOutput;

  @ArgGroup(exclusive = false)
  GenerativeInputs.Options generative;

  @Mixin ScorerOptions scorer;

  @Mixin LabelOptions labels;

  @Option(
      names = "--content-free",
      order = HelpSections.METHOD,
      paramLabel = "<texts>",
      description = CONTENT_FREE_DESCRIPTION)
  String contentFreeInputs;

  /**
   * The content-free inputs of {@code --content-free}'s value: every comma separates two inputs, so
   * an empty item, the last one too, is the empty string ({@code N/A,} is {@code "N/A"} and {@code
   * ""}); quotes are text. Without the option, {@link
   * ContextualCalibration#DEFAULT_CONTENT_FREE_INPUTS}.
   */
  static List<String> contentFreeInputs(String value) {
    return value == null
        ? ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS
        : List.of(value.split(",", -1));
  }

  /**
   * The help of {@code --content-free}, with the default as it is typed: {@link
   * ContextualCalibration#DEFAULT_CONTENT_FREE_INPUTS} joined by commas, the empty string an empty
   * item (quotes would be scored as text).
   */
  static final String CONTENT_FREE_DESCRIPTION =
      "Content-free inputs, comma-separated; an empty item is the empty string (default:"
          + " N/A,,[MASK]).";

  @Option(
      names = "--drop-oldest-demonstrations",
      order = HelpSections.ADVANCED,
      description = "Drop old demos from too-long prompts.")
  boolean dropOldest;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    OptionRules rules = scorer.declare(OptionRules.of(spec));
    GenerativeInputs.declare(rules, scorer.backend(), generative)
        .onlyIf(
            contentFreeOutput != null,
            "--content-free gives the inputs whose scores --content-free-output writes; give"
                + " --content-free-output FILE too",
            "--content-free")
        .check();
    try (CommandFiles files =
        CommandFiles.of(spec)
            .streamedInput("--input", input)
            .streamedInput("--template", templateFile)
            .streamedInput("--tokenizer", scorer.served.tokenizer())
            .output("--output", output.output())
            .output("--content-free-output", contentFreeOutput)
            .output("--leave-one-out-output", leaveOneOutOutput)
            .output("--generative-output", generative == null ? null : generative.output)
            .check()) {
      return score(files);
    }
  }

  private Integer score(CommandFiles files) {
    LabelSet labelSet = labels.labels(!scorer.backend().isEncoder());
    PromptTemplate template =
        templateFile == null
            ? PromptTemplate.identity(labelSet)
            : TemplateFile.parse(
                files.readJson(templateFile), CommandFiles.name(templateFile), labelSet);
    List<String> leaveOneOut = leaveOneOutPrompts(template);
    GenerativeInputs sampled =
        generative == null ? null : GenerativeInputs.of(generative, template, scorer);
    InputTexts texts = InputTexts.read(files.open(input), CommandFiles.name(input));
    List<Integer> gold = ScoreFiles.goldIndices(texts, labelSet);
    List<String> contentFree = contentFreeInputs(contentFreeInputs);
    Path out = output.output();
    Path generativeOutput = sampled == null ? null : generative.output;
    // every output is started now, so that a missing folder is found before any request, and all
    // are replaced together once every score is known
    try (OutputGroup outputs = new OutputGroup(spec.commandLine().getOut())) {
      for (Path file : new Path[] {out, contentFreeOutput, leaveOneOutOutput, generativeOutput}) {
        outputs.open(file);
      }
      try (Scorer model = open(template, files)) {
        ScoreFiles writer =
            new ScoreFiles(model, template, labelSet, scorer.backend().isEncoder(), dropOldest);
        // the template's prompts go through the prefix view (the same scorer for other backends)
        Scorer prompted = scorer.noPrefixReuse() ? model : Scorers.forTemplate(model, template);
        List<LabelScores> scores =
            Progress.scoreAll(
                prompted, writer.render(texts.texts()), labelSet, "Scoring " + input.getFileName());
        outputs.content(out, writer.rows(out, texts.hasGold(), texts.ids(), gold, scores));
        long bounded = ServedScorers.boundedRows(model);
        if (contentFreeOutput != null) {
          writeContentFree(outputs, writer, prompted, model, contentFree, bounded);
        }
        if (leaveOneOut != null) {
          List<LabelScores> loo = model.scoreAll(leaveOneOut, labelSet);
          int[] demoLabels = LeaveOneOutCalibration.demonstrationLabels(template);
          List<String> ids = new ArrayList<>();
          List<Integer> golds = new ArrayList<>();
          for (int j = 0; j < loo.size(); j++) {
            ids.add("demonstration-" + j);
            golds.add(demoLabels[j]);
          }
          outputs.content(leaveOneOutOutput, writer.rows(leaveOneOutOutput, true, ids, golds, loo));
        }
        if (sampled != null) {
          List<String> samples = sampled.sample();
          List<LabelScores> gen = prompted.scoreAll(writer.render(samples), labelSet);
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < gen.size(); i++) {
            ids.add("sample-" + i);
          }
          outputs.content(generativeOutput, writer.rows(generativeOutput, false, ids, null, gen));
        }
        outputs.commit();
        String summary = ServedScorers.summary(model, bounded, scores.size(), input);
        if (summary != null) {
          spec.commandLine().getErr().println(summary);
        }
        ServedScorers.labelWarnings(model).forEach(Main::warn);
      }
    } catch (IllegalArgumentException e) {
      // a served scorer checks the label words (against --tokenizer) when it first scores
      throw scorer.backend().isServed() ? UsageException.refusal("", e) : e;
    }
    Main.flushStandardOutput(spec);
    spec.commandLine()
        .getErr()
        .println(
            "wrote "
                + CommandFiles.outputName(out)
                + (contentFreeOutput == null ? "" : " and " + contentFreeOutput)
                + (leaveOneOutOutput == null ? "" : " and " + leaveOneOutOutput)
                + (generativeOutput == null ? "" : " and " + generativeOutput));
    return Main.OK;
  }

  private void writeContentFree(
      OutputGroup outputs,
      ScoreFiles writer,
      Scorer prompted,
      Scorer model,
      List<String> contentFree,
      long boundedBefore) {
    List<LabelScores> cf = prompted.scoreAll(writer.render(contentFree), writer.labels());
    outputs.content(
        contentFreeOutput, writer.rows(contentFreeOutput, false, contentFree, null, cf));
    long cfBounded = ServedScorers.boundedRows(model) - boundedBefore;
    if (cfBounded > 0) {
      spec.commandLine()
          .getErr()
          .println(cfBounded + " of " + cf.size() + " content-free rows are bounded (see above)");
    }
  }

  /** The leave-one-out prompts of the template's demonstrations, or null without the output. */
  private List<String> leaveOneOutPrompts(PromptTemplate template) {
    if (leaveOneOutOutput == null) {
      return null;
    }
    if (scorer.backend().isEncoder()) {
      throw new UsageException(
          "--leave-one-out-output needs a prompted backend (causal, masked, classifier, openai,"
              + " openai-chat); the encoder does not read a prompt");
    }
    try {
      return LeaveOneOutCalibration.prompts(template);
    } catch (IllegalArgumentException e) {
      throw UsageException.refusal("--leave-one-out-output: ", e);
    }
  }

  /** Opens the scorer; the encoder's prototypes are the template's demonstrations. */
  private Scorer open(PromptTemplate template, CommandFiles files) {
    if (!scorer.backend().isEncoder()) {
      return scorer.open(files);
    }
    Map<String, List<String>> examples = new LinkedHashMap<>();
    for (Demonstration d : template.demonstrations()) {
      examples.computeIfAbsent(d.label(), k -> new ArrayList<>()).add(d.text());
    }
    if (!examples.isEmpty()) {
      for (String label : template.labels().names()) {
        if (!examples.containsKey(label)) {
          throw new UsageException(
              "--template "
                  + templateFile
                  + ": the encoder makes each label's prototype from its demonstrations, and"
                  + " label '"
                  + label
                  + "' has none; give every label a demonstration, or none for zero-shot");
        }
      }
    }
    return scorer.encoder(examples);
  }
}
