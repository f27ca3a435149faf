package io.calibra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.MethodFit;
import io.calibra.cli.options.BinsOption;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.LabelOptions;
import io.calibra.cli.options.Methods;
import io.calibra.cli.options.OptionRules;
import io.calibra.cli.options.OptionValues;
import io.calibra.cli.options.UsageException;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.label.LabelSet;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import io.calibra.sensitivity.PromptScoring;
import io.calibra.sensitivity.PromptSensitivity;
import io.calibra.sensitivity.SensitivityReport;
import java.io.PrintWriter;
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

/** {@code calibra sensitivity}: accuracy and calibration across seeded prompt draws. */
@Command(
    name = "sensitivity",
    mixinStandardHelpOptions = true,
    description = {
      "Measures how much accuracy and calibration change with the prompt, raw and calibrated.",
      "Draws --prompts prompts (--shots demonstrations, their order, a --template) from --seed,"
          + " scores the --input rows under each, and reports each metric raw and calibrated, with"
          + " its spread across prompts. The model options are those of calibra score."
    })
final class SensitivityCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "Labelled texts: a CSV with text and gold.")
  Path input;

  @Option(
      names = "--demonstrations",
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "Labelled texts to draw demonstrations from.")
  Path demonstrationsFile;

  @Option(
      names = "--template",
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "A template without demonstrations (repeatable; default: the input alone).")
  List<Path> templateFiles;

  @Option(
      names = "--output",
      order = HelpSections.OUTPUT,
      paramLabel = "<folder>",
      description = "A folder: prompts.csv, summary.json, plots, each prompt's scores.")
  Path output;

  @Option(names = "--json", order = HelpSections.OUTPUT, description = "Print the summary as JSON.")
  boolean json;

  @Mixin ScorerOptions scorer;

  @Mixin LabelOptions labelOptions;

  @Option(
      names = "--shots",
      defaultValue = "4",
      order = HelpSections.METHOD,
      paramLabel = "<count>",
      description = "Demonstrations per prompt (default: ${DEFAULT-VALUE}).")
  int shots;

  @Option(
      names = "--prompts",
      defaultValue = "10",
      order = HelpSections.METHOD,
      paramLabel = "<count>",
      converter = OptionValues.AtLeastTwo.class,
      description = "Prompts to draw, 2 or more (default: ${DEFAULT-VALUE}).")
  int prompts;

  @Option(
      names = "--seed",
      defaultValue = "0",
      order = HelpSections.METHOD,
      paramLabel = "<seed>",
      description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @ArgGroup(exclusive = false)
  DevOptions devOptions;

  /** A method fitted on labelled dev texts scored under each prompt: the method needs the texts. */
  static final class DevOptions {
    @Option(
        names = "--dev",
        required = true,
        order = HelpSections.METHOD,
        paramLabel = "<file>",
        description = "Labelled texts to fit --method on under each prompt.")
    Path dev;

    @Option(
        names = "--method",
        order = HelpSections.METHOD,
        paramLabel = "<method>",
        defaultValue = "temperature",
        converter = Methods.Labelled.class,
        description = "Method fitted on --dev (default: ${DEFAULT-VALUE}).")
    MethodFit.LabelledRows method;
  }

  @Option(
      names = "--content-free",
      order = HelpSections.METHOD,
      paramLabel = "<texts>",
      description = ScoreCommand.CONTENT_FREE_DESCRIPTION)
  String contentFreeInputs;

  @Mixin BinsOption bins;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    scorer.declare(OptionRules.of(spec)).check();
    Path dev = devOptions == null ? null : devOptions.dev;
    CommandFiles declared =
        CommandFiles.of(spec)
            .streamedInput("--input", input)
            .input("--demonstrations", demonstrationsFile)
            .streamedInput("--dev", dev)
            .streamedInput("--tokenizer", scorer.served.tokenizer());
    if (templateFiles != null) {
      for (Path t : templateFiles) {
        declared.streamedInput("--template", t);
      }
    }
    try (CommandFiles files = declared.check()) {
      return run(files);
    }
  }

  private Integer run(CommandFiles files) throws Exception {
    LabelSet labels = labelOptions.labels(!scorer.backend().isEncoder());
    List<PromptTemplate> templates = new ArrayList<>();
    if (templateFiles != null) {
      for (Path t : templateFiles) {
        PromptTemplate template =
            TemplateFile.parse(files.readJson(t), CommandFiles.name(t), labels);
        if (!template.demonstrations().isEmpty()) {
          throw new UsageException(
              "--template "
                  + t
                  + " has demonstrations; sensitivity draws them from --demonstrations, so give"
                  + " the format alone");
        }
        templates.add(template);
      }
    }
    List<Demonstration> pool = DemonstrationFile.read(files.path(demonstrationsFile), labels);
    InputTexts rows = InputTexts.read(files.open(input), CommandFiles.name(input));
    int[] gold = gold(rows, labels);
    PromptSensitivity.Builder study =
        PromptSensitivity.builder(labels)
            .templates(templates)
            .demonstrations(pool)
            .shots(shots)
            .prompts(prompts)
            .seed(seed)
            .bins(bins.bins())
            .contentFreeInputs(ScoreCommand.contentFreeInputs(contentFreeInputs));
    if (devOptions != null) {
      Path dev = devOptions.dev;
      InputTexts devRows = InputTexts.read(files.open(dev), CommandFiles.name(dev));
      MethodFit.LabelledRows m = devOptions.method;
      int[] devGold = gold(devRows, labels);
      try {
        List<io.calibra.label.LabelDistribution> uniform = new ArrayList<>();
        for (int i = 0; i < devGold.length; i++) {
          uniform.add(io.calibra.label.LabelDistribution.uniform(labels));
        }
        io.calibra.label.LabelledSet.of(uniform, devGold).requireFittable(m.method().methodName());
      } catch (IllegalArgumentException e) {
        throw new DataFileException(dev, 0, 0, e.getMessage(), e);
      }
      study.fitted(m, devRows.texts(), devGold);
    }
    PromptSensitivity built;
    try {
      built = study.build();
    } catch (IllegalArgumentException e) {
      throw UsageException.refusal("", e);
    }
    SensitivityReport report;
    PrintWriter err = spec.commandLine().getErr();
    try (Scorer model = scorer.backend().isEncoder() ? null : scorer.open(files)) {
      PromptScoring scoring = model == null ? this::encoderScores : rendering(model);
      int[] done = {0};
      PromptScoring reported =
          (prompt, inputs, l) -> {
            List<LabelScores> s = scoring.score(prompt, inputs, l);
            err.println("scored prompt " + (++done[0]) + " of " + prompts);
            err.flush();
            return s;
          };
      try {
        report = built.run(reported, rows.texts(), gold);
      } catch (IllegalArgumentException e) {
        throw new DataFileException(input, 0, 0, e.getMessage(), e);
      }
    }
    SensitivityOutput reported = new SensitivityOutput(shots, seed, templateFiles);
    Map<String, Object> summary = reported.summary(report, labels);
    if (output != null) {
      reported.write(output, report, summary, rows, gold, labels);
      err.println("wrote " + output);
    }
    if (json) {
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(summary));
    } else {
      SensitivityOutput.printTable(report, spec.commandLine().getOut());
    }
    return Main.OK;
  }

  private PromptScoring rendering(Scorer model) {
    return scorer.noPrefixReuse()
        ? (prompt, inputs, labels) -> model.scoreAll(prompt.renderAll(inputs), labels)
        : PromptScoring.rendering(model);
  }

  /** The encoder under a prompt: its demonstrations become the labels' prototypes. */
  private List<LabelScores> encoderScores(
      PromptTemplate prompt, List<String> inputs, LabelSet labels) {
    Map<String, List<String>> examples = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      examples.put(labels.name(i), new ArrayList<>());
    }
    for (Demonstration d : prompt.demonstrations()) {
      examples.get(d.label()).add(d.text());
    }
    for (int i = 0; i < labels.size(); i++) {
      if (examples.get(labels.name(i)).isEmpty()) {
        examples.get(labels.name(i)).add(labels.words(i).get(0));
      }
    }
    try (Scorer encoder = scorer.encoder(examples)) {
      return encoder.scoreAll(inputs, labels);
    }
  }

  /** The gold label index of every row; each row must have one. */
  private static int[] gold(InputTexts texts, LabelSet labels) {
    if (!texts.hasGold()) {
      throw new DataFileException(
          texts.file(), 1, 0, "no 'label' or 'gold' column; sensitivity measures labelled rows");
    }
    int column = texts.goldColumn();
    int[] out = new int[texts.texts().size()];
    if (out.length == 0) {
      throw new DataFileException(texts.file(), 2, 0, "no rows after the header");
    }
    for (int i = 0; i < out.length; i++) {
      String g = texts.gold().get(i).trim();
      try {
        if (g.isEmpty()) {
          throw new IllegalArgumentException(
              "row has no gold label; sensitivity needs one per row");
        }
        out[i] = ScoreFileReader.goldIndex(labels, g);
      } catch (IllegalArgumentException e) {
        throw new DataFileException(texts.file(), texts.lines().get(i), column, e.getMessage(), e);
      }
    }
    return out;
  }
}
