package io.calibra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.calibra.cli.output.OutputFolder;
import io.calibra.io.ScoreFileWriter;
import io.calibra.label.LabelSet;
import io.calibra.sensitivity.PromptResult;
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

/**
 * What {@code calibra sensitivity} reports: the summary (JSON), the output folder and the table.
 *
 * @param shots demonstrations per prompt
 * @param seed the draws' seed
 * @param templateFiles the template files given (null: none)
 */
record SensitivityOutput(int shots, long seed, List<Path> templateFiles) {
  /** The summary of {@code report} as {@code --json} prints it and summary.json holds it. */
  Map<String, Object> summary(SensitivityReport report, LabelSet labels) {
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

  /**
   * Writes the folder {@code output}, replaced as a whole: prompts.csv, summary.json, the accuracy
   * plots and each prompt's raw scores.
   */
  void write(
      Path output,
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

  /** Prints each prompt's accuracy per method, then the spread of every metric. */
  static void printTable(SensitivityReport report, PrintWriter out) {
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
