package io.calibra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.cli.options.OptionValues;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import io.calibra.metrics.PairedComparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code calibra compare}: paired differences between score files over the same labelled rows. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compares score files over the same labelled rows, each against the first (B - A).",
      "Prints the differences of accuracy, macro_f1, nll, brier and ece with paired bootstrap"
          + " intervals, McNemar's exact test for accuracy and a paired t-test for NLL.",
      "The files must have the same labels, and the same id and gold label in every row."
    })
final class CompareCommand implements Callable<Integer> {
  @Parameters(
      arity = "2..*",
      paramLabel = "FILE",
      description = "Score files with gold labels: the baseline A first, then each B.")
  List<Path> files;

  @Option(
      names = "--scores",
      required = true,
      description =
          "What the numbers are: prob, logprob or logit; once for every file, or once per file in"
              + " order.")
  List<String> scores;

  @Option(
      names = "--bins",
      defaultValue = "15",
      converter = OptionValues.Bins.class,
      description = "Bins for ECE, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(
      names = "--bootstrap",
      defaultValue = "1000",
      description = "Paired bootstrap resamples (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of the resamples (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--confidence",
      defaultValue = "0.95",
      description = "Confidence level of the intervals (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(names = "--json", description = "Print a JSON object instead of a table.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    MetricsBootstrap.settings(bootstrap, seed, confidence); // the same checks as metrics'
    if (scores.size() != 1 && scores.size() != files.size()) {
      throw new Main.UsageException(
          "--scores is given "
              + scores.size()
              + " times for "
              + files.size()
              + " files; expected once, or once per file");
    }
    List<PairedComparison> results = new ArrayList<>();
    List<ScoreRows> read = new ArrayList<>();
    CommandFiles declared = CommandFiles.of(spec);
    for (int i = 0; i < files.size(); i++) {
      declared.input("FILE " + (i + 1), files.get(i));
    }
    try (CommandFiles checked = declared.check()) {
      LabelSet labels = null;
      for (int i = 0; i < files.size(); i++) {
        ScoreFormat format = FitCommand.parseFormat(scores.get(scores.size() == 1 ? 0 : i));
        ScoreRows rows = ScoreRows.read(checked.path(files.get(i)), format, labels);
        labels = rows.labels();
        read.add(rows);
      }
    }
    List<LabelledSet> sets = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      sets.add(labelled(read.get(i), files.get(i)));
    }
    for (int i = 1; i < read.size(); i++) {
      requireSameRows(read.get(0), files.get(0), read.get(i), files.get(i));
    }
    for (int i = 1; i < read.size(); i++) {
      results.add(
          PairedComparison.compute(sets.get(0), sets.get(i), bins, bootstrap, seed, confidence));
    }
    if (json) {
      spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(json(results)));
    } else {
      printTable(results);
    }
    return Main.OK;
  }

  /** The rows as a labelled set; every row must have gold. */
  private static LabelledSet labelled(ScoreRows rows, Path name) {
    int[] gold = new int[rows.rows().size()];
    for (int i = 0; i < gold.length; i++) {
      ScoreRow r = rows.rows().get(i);
      if (!r.hasGold()) {
        throw new DataFileException(
            name, r.line(), 0, "row has no gold label; compare needs one per row");
      }
      gold[i] = r.gold();
    }
    return LabelledSet.of(rows.distributions(), gold);
  }

  /**
   * Checks that {@code b} has the rows of {@code a}: as many, and in each the same id and gold.
   *
   * @throws DataFileException naming the first row of {@code b} that differs and both values
   */
  static void requireSameRows(ScoreRows a, Path aName, ScoreRows b, Path bName) {
    List<ScoreRow> ra = a.rows();
    List<ScoreRow> rb = b.rows();
    for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
      ScoreRow x = ra.get(i);
      ScoreRow y = rb.get(i);
      if (!Objects.equals(x.id(), y.id())) {
        throw new DataFileException(
            bName,
            y.line(),
            0,
            "row "
                + (i + 1)
                + " has id "
                + quoted(y.id())
                + ", but row "
                + (i + 1)
                + " of "
                + aName
                + " has id "
                + quoted(x.id())
                + "; compare needs the same rows in the same order");
      }
      if (x.gold() != y.gold()) {
        throw new DataFileException(
            bName,
            y.line(),
            0,
            "row "
                + (i + 1)
                + " has gold "
                + goldName(b.labels(), y.gold())
                + ", but row "
                + (i + 1)
                + " of "
                + aName
                + " has gold "
                + goldName(a.labels(), x.gold())
                + "; compare needs the same rows in the same order");
      }
    }
    if (ra.size() != rb.size()) {
      throw new DataFileException(
          bName,
          0,
          0,
          "has "
              + rb.size()
              + " rows and "
              + aName
              + " has "
              + ra.size()
              + "; compare needs the same rows in the same order");
    }
  }

  private static String quoted(String id) {
    return id == null ? "none (no id column)" : "'" + id + "'";
  }

  private static String goldName(LabelSet labels, int gold) {
    return gold < 0 ? "none" : "'" + labels.names().get(gold) + "'";
  }

  private Map<String, Object> json(List<PairedComparison> results) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("baseline", files.get(0).toString());
    out.put("rows", results.get(0).rows());
    out.put("bootstrap", bootstrap);
    out.put("seed", seed);
    out.put("confidence", confidence);
    List<Object> comparisons = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      comparisons.add(comparisonJson(files.get(i + 1).toString(), results.get(i)));
    }
    out.put("comparisons", comparisons);
    return out;
  }

  /** One comparison as JSON: its metrics and differences, McNemar and the NLL t-test. */
  static Map<String, Object> comparisonJson(String file, PairedComparison c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", file);
    Map<String, Object> differences = new LinkedHashMap<>();
    c.differences()
        .forEach(
            (key, d) -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("a", d.a());
              m.put("b", d.b());
              m.put("difference", d.difference());
              m.put("ci", new double[] {d.interval().lower(), d.interval().upper()});
              differences.put(key, m);
            });
    out.put("differences", differences);
    Map<String, Object> mcNemar = new LinkedHashMap<>();
    mcNemar.put("only_a_correct", c.mcNemar().onlyA());
    mcNemar.put("only_b_correct", c.mcNemar().onlyB());
    mcNemar.put("p", c.mcNemar().pValue());
    out.put("mcnemar", mcNemar);
    Map<String, Object> t = new LinkedHashMap<>();
    c.nllTest()
        .ifPresentOrElse(
            test -> {
              t.put("mean_difference", test.meanDifference());
              t.put("t", test.t());
              t.put("df", test.degreesOfFreedom());
              t.put("p", test.pValue());
            },
            () -> {
              t.put("mean_difference", c.differences().get("nll").difference());
              t.put("t", null);
              t.put("df", c.rows() - 1);
              t.put("p", null);
            });
    out.put("nll_paired_t", t);
    return out;
  }

  private void printTable(List<PairedComparison> results) {
    java.io.PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < results.size(); i++) {
      PairedComparison c = results.get(i);
      if (i > 0) {
        out.println();
      }
      out.println(
          "B = " + files.get(i + 1) + "  vs  A = " + files.get(0) + "  (" + c.rows() + " rows)");
      String ci = String.format(Locale.ROOT, "%.0f%% interval", 100 * confidence);
      out.println(
          String.format(Locale.ROOT, "%-10s %10s %10s %10s  %s", "metric", "A", "B", "B - A", ci));
      c.differences()
          .forEach(
              (key, d) ->
                  out.println(
                      String.format(
                          Locale.ROOT,
                          "%-10s %10.6f %10.6f %+10.6f  [%+.6f, %+.6f]",
                          key,
                          d.a(),
                          d.b(),
                          d.difference(),
                          d.interval().lower(),
                          d.interval().upper())));
      out.println(
          String.format(
              Locale.ROOT,
              "McNemar exact test (accuracy): %d rows right under A only, %d under B only, p = %.4g",
              c.mcNemar().onlyA(),
              c.mcNemar().onlyB(),
              c.mcNemar().pValue()));
      out.println(
          c.nllTest()
              .map(
                  t ->
                      String.format(
                          Locale.ROOT,
                          "paired t-test (NLL): t = %.4f, df = %d, p = %.4g",
                          t.t(),
                          t.degreesOfFreedom(),
                          t.pValue()))
              .orElse("paired t-test (NLL): undefined (every row's NLL difference is the same)"));
    }
    out.println(
        String.format(
            Locale.ROOT, "paired percentile bootstrap, %d resamples, seed %d", bootstrap, seed));
  }
}
