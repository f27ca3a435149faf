package io.calibra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.calibrate.CalibrationMethod;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.cli.options.OptionValues;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFileWriter;
import io.calibra.label.LabelSet;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import io.calibra.sensitivity.PromptResult;
import io.calibra.sensitivity.PromptScoring;
import io.calibra.sensitivity.PromptSensitivity;
import io.calibra.sensitivity.SensitivityReport;
import io.calibra.sensitivity.Spread;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code calibra sensitivity}: accuracy and calibration across seeded prompt draws. */
@Command(
    name = "sensitivity",
    mixinStandardHelpOptions = true,
    description = {
      "Measures how much accuracy and calibration change with the prompt, raw and calibrated.",
      "Draws --prompts prompts (a --template, --shots demonstrations of --demonstrations and their"
          + " order, from --seed), scores the labelled --input rows under each, and reports"
          + " accuracy, macro_f1, ece and nll raw and after contextual calibration from the"
          + " prompt's own content-free inputs (and after --method fitted on --dev), then the"
          + " mean, standard deviation, minimum and maximum across prompts.",
      "The model options are those of calibra score."
    })
final class SensitivityCommand implements Callable<Integer> {
  @Option(
      names = "--backend",
      defaultValue = "encoder",
      converter = OpenAiOptions.BackendConverter.class,
      description =
          "encoder, causal, masked, classifier, openai or openai-chat, as for calibra score"
              + " (default: ${DEFAULT-VALUE}). The encoder makes each label's prototype from the"
              + " prompt's demonstrations (a label with none keeps its description) and reads no"
              + " template.")
  ScoreCommand.Backend backend;

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
          "NAME=TEXT, repeated in label order. TEXT: the label description (encoder) or label"
              + " words separated by | (language models).")
  List<String> labelOptions;

  @Option(
      names = "--template",
      description =
          "A template file (JSON, as for calibra score) without demonstrations: the prompt's"
              + " format. Repeat to draw among several formats. Default: the input alone.")
  List<Path> templateFiles;

  @Option(
      names = "--demonstrations",
      required = true,
      description = "A CSV with text and label (or gold) columns: the pool to draw from.")
  Path demonstrationsFile;

  @Option(
      names = "--shots",
      defaultValue = "4",
      description = "Demonstrations per prompt (default: ${DEFAULT-VALUE}).")
  int shots;

  @Option(
      names = "--prompts",
      defaultValue = "10",
      description = "Prompts to draw, at least 2 (default: ${DEFAULT-VALUE}).")
  int prompts;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description =
          "Seed of the draws (default: ${DEFAULT-VALUE}): the same seed and files give the same"
              + " prompts.")
  long seed;

  @Option(
      names = "--input",
      required = true,
      description = "A CSV with a text column, a gold column set in every row and an optional id.")
  Path input;

  @Option(
      names = "--dev",
      description = "A CSV like --input: also fit --method on these rows scored under each prompt.")
  Path dev;

  @Option(
      names = "--method",
      description =
          "The method fitted on --dev (fitted on labelled rows: temperature, vector, platt, ...;"
              + " default temperature).")
  String method;

  @Option(
      names = "--content-free",
      split = ",",
      description = "Content-free inputs (default: N/A, the empty string, [MASK]).")
  List<String> contentFreeInputs;

  @Option(
      names = "--bins",
      defaultValue = "15",
      converter = OptionValues.Bins.class,
      description = "Bins for ECE, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(
      names = "--output",
      description =
          "A folder to write, replaced as a whole: prompts.csv (the metrics of every prompt and"
              + " method), summary.json (as --json), accuracy.png and accuracy.svg (accuracy per"
              + " prompt and method) and prompt-N.csv (the raw scores of the rows under prompt N).")
  Path output;

  @Option(names = "--json", description = "Print the summary as JSON instead of a table.")
  boolean json;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    openAi.check(backend, modelDir, false);
    if (method != null && dev == null) {
      throw new Main.UsageException("--method is fitted on --dev FILE; give --dev");
    }
    CommandFiles declared =
        CommandFiles.of(spec)
            .streamedInput("--input", input)
            .input("--demonstrations", demonstrationsFile)
            .streamedInput("--dev", dev)
            .streamedInput("--tokenizer", openAi.tokenizer);
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
    LabelSet labels = LabelOption.parse(labelOptions, backend != ScoreCommand.Backend.encoder);
    List<PromptTemplate> templates = new ArrayList<>();
    if (templateFiles != null) {
      for (Path t : templateFiles) {
        PromptTemplate template =
            TemplateFile.parse(files.readJson(t), CommandFiles.name(t), labels);
        if (!template.demonstrations().isEmpty()) {
          throw new Main.UsageException(
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
            .bins(bins)
            .contentFreeInputs(
                contentFreeInputs == null
                    ? ContextualCalibration.DEFAULT_CONTENT_FREE_INPUTS
                    : contentFreeInputs);
    if (dev != null) {
      InputTexts devRows = InputTexts.read(files.open(dev), CommandFiles.name(dev));
      CalibrationMethod m =
          CalibrationMethod.find(method == null ? "temperature" : method)
              .orElseThrow(() -> new Main.UsageException("--method " + method + " is unknown"));
      int[] devGold = gold(devRows, labels);
      try {
        List<io.calibra.label.LabelDistribution> uniform = new ArrayList<>();
        for (int i = 0; i < devGold.length; i++) {
          uniform.add(io.calibra.label.LabelDistribution.uniform(labels));
        }
        io.calibra.label.LabelledSet.of(uniform, devGold).requireFittable(m.methodName());
      } catch (IllegalArgumentException e) {
        throw new DataFileException(dev, 0, 0, e.getMessage(), e);
      }
      study.fitted(m, devRows.texts(), devGold);
    }
    PromptSensitivity built;
    try {
      built = study.build();
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException(e.getMessage());
    }
    SensitivityReport report;
    PrintWriter err = spec.commandLine().getErr();
    try (Scorer scorer = backend == ScoreCommand.Backend.encoder ? null : open(files)) {
      PromptScoring scoring = scorer == null ? this::encoderScores : rendering(scorer);
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
    Map<String, Object> summary = summary(report, labels);
    if (output != null) {
      write(report, summary, rows, gold, labels);
      err.println("wrote " + output);
    }
    if (json) {
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(summary));
    } else {
      printTable(report);
    }
    return Main.OK;
  }

  private PromptScoring rendering(Scorer scorer) {
    return onnx.noPrefixReuse
        ? (prompt, inputs, labels) -> scorer.scoreAll(prompt.renderAll(inputs), labels)
        : PromptScoring.rendering(scorer);
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
    try (Scorer encoder =
        onnx.encoder(OnnxModelOptions.encoderSource(modelDir, model)).fewShot(examples).build()) {
      return encoder.scoreAll(inputs, labels);
    }
  }

  private Scorer open(CommandFiles files) {
    if (OpenAiOptions.isHttp(backend)) {
      return openAi.open(
          backend,
          model,
          openAi.tokenizer == null
              ? null
              : TokenizerFile.parse(
                  files.readJson(openAi.tokenizer), CommandFiles.name(openAi.tokenizer)));
    }
    return onnx.openFolder(backend, modelDir);
  }

  /** The gold label index of every row; each row must have one. */
  private static int[] gold(InputTexts texts, LabelSet labels) {
    if (!texts.hasGold()) {
      throw new DataFileException(
          texts.file(), 1, 0, "no 'gold' column; sensitivity measures labelled rows");
    }
    int column = texts.header().indexOf("gold") + 1;
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

  private Map<String, Object> summary(SensitivityReport report, LabelSet labels) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("labels", labels.names());
    out.put("prompts", report.prompts().size());
    out.put("shots", shots);
    out.put("seed", seed);
    List<String> templates = new ArrayList<>();
    if (templateFiles != null) {
      templateFiles.forEach(t -> templates.add(t.toString()));
    }
    out.put("templates", templates);
    out.put("methods", report.methods());
    List<Object> perPrompt = new ArrayList<>();
    for (PromptResult r : report.prompts()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("prompt", r.draw().index() + 1);
      p.put("template", r.draw().template() + 1);
      p.put("demonstrations", r.draw().demonstrations().stream().map(d -> d + 1).toList());
      Map<String, Object> metrics = new LinkedHashMap<>();
      r.metrics().forEach((m, v) -> metrics.put(m, v.byKey()));
      p.put("metrics", metrics);
      perPrompt.add(p);
    }
    out.put("per_prompt", perPrompt);
    Map<String, Object> spread = new LinkedHashMap<>();
    report
        .spread()
        .forEach(
            (m, byMetric) -> {
              Map<String, Object> s = new LinkedHashMap<>();
              byMetric.forEach((k, v) -> s.put(k, spreadJson(v)));
              spread.put(m, s);
            });
    out.put("spread", spread);
    return out;
  }

  private static Map<String, Double> spreadJson(Spread s) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("mean", s.mean());
    out.put("sd", s.standardDeviation());
    out.put("min", s.min());
    out.put("max", s.max());
    return out;
  }

  private void write(
      SensitivityReport report,
      Map<String, Object> summary,
      InputTexts rows,
      int[] gold,
      LabelSet labels)
      throws Exception {
    try (OutputFolder folder = OutputFolder.open(output)) {
      StringBuilder csv =
          new StringBuilder("prompt,template,demonstrations,method,accuracy,macro_f1,ece,nll\n");
      for (PromptResult r : report.prompts()) {
        String demos =
            String.join(
                " ", r.draw().demonstrations().stream().map(d -> String.valueOf(d + 1)).toList());
        r.metrics()
            .forEach(
                (m, v) ->
                    csv.append(
                        String.format(
                            Locale.ROOT,
                            "%d,%d,%s,%s,%s,%s,%s,%s%n",
                            r.draw().index() + 1,
                            r.draw().template() + 1,
                            demos,
                            m,
                            v.accuracy(),
                            v.macroF1(),
                            v.ece(),
                            v.nll())));
        try (ScoreFileWriter w =
            ScoreFileWriter.create(
                folder.resolve("prompt-" + (r.draw().index() + 1) + ".csv"),
                labels,
                true,
                true,
                false)) {
          for (int i = 0; i < gold.length; i++) {
            w.writeScores(rows.ids().get(i), gold[i], r.scores().get(i).toArray());
          }
          w.commit();
        }
      }
      Files.writeString(folder.resolve("prompts.csv"), csv, StandardCharsets.UTF_8);
      Files.writeString(
          folder.resolve("summary.json"),
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary)
              + "\n",
          StandardCharsets.UTF_8);
      SensitivityPlot.write(report, folder.folder(), "accuracy");
      folder.commit();
    }
  }

  private void printTable(SensitivityReport report) {
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder head =
        new StringBuilder(
            String.format(Locale.ROOT, "%-7s %-9s %-16s", "prompt", "template", "demonstrations"));
    for (String m : report.methods()) {
      head.append(String.format(Locale.ROOT, " %12s", m));
    }
    out.println(head.append("   (accuracy)"));
    for (PromptResult r : report.prompts()) {
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%-7d %-9d %-16s",
                  r.draw().index() + 1,
                  r.draw().template() + 1,
                  String.join(
                      " ",
                      r.draw().demonstrations().stream()
                          .map(d -> String.valueOf(d + 1))
                          .toList())));
      for (String m : report.methods()) {
        line.append(String.format(Locale.ROOT, " %12.4f", r.metrics().get(m).accuracy()));
      }
      out.println(line);
    }
    out.println();
    out.println(
        String.format(
            Locale.ROOT,
            "%-12s %-9s %9s %9s %9s %9s",
            "method",
            "metric",
            "mean",
            "sd",
            "min",
            "max"));
    report
        .spread()
        .forEach(
            (m, byMetric) ->
                byMetric.forEach(
                    (k, s) ->
                        out.println(
                            String.format(
                                Locale.ROOT,
                                "%-12s %-9s %9.4f %9.4f %9.4f %9.4f",
                                m,
                                k,
                                s.mean(),
                                s.standardDeviation(),
                                s.min(),
                                s.max()))));
  }
}
