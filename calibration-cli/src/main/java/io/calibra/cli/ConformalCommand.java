package io.calibra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calibra.cli.options.HelpSections;
import io.calibra.cli.options.OldNames;
import io.calibra.cli.options.OptionRules;
import io.calibra.cli.options.OptionValues;
import io.calibra.cli.options.OutputOption;
import io.calibra.cli.options.ScoreInputOptions;
import io.calibra.cli.output.Counts;
import io.calibra.conformal.ConformalScore;
import io.calibra.conformal.PredictionSet;
import io.calibra.conformal.SplitConformal;
import io.calibra.io.AtomicOutput;
import io.calibra.io.CsvWriter;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFileReader;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code calibra conformal}: split conformal prediction sets for every row of a score file. */
@Command(
    name = "conformal",
    mixinStandardHelpOptions = true,
    description = {
      "Builds split conformal prediction sets that contain the gold label with probability at"
          + " least 1 - alpha.",
      "Fits qhat on --labelled-scores (every row with gold) and writes, for each row of --input,"
          + " its id, gold (when present), the set (label names in label order joined by |) and"
          + " its size.",
      "With gold in --input, prints the coverage."
    })
final class ConformalCommand implements Callable<Integer>, OldNames {
  @Option(
      names = {"--labelled-scores", "--calibration"},
      required = true,
      order = HelpSections.INPUT,
      paramLabel = "<file>",
      description = "Labelled calibration rows: a score file whose rows all have gold.")
  Path calibration;

  @Mixin ScoreInputOptions inputOptions;

  @Mixin OutputOption outputOption;

  @Option(
      names = "--json",
      order = HelpSections.OUTPUT,
      description =
          "Print a JSON object with qhat, coverage (when gold is present), mean_set_size, alpha,"
              + " score (to standard error with --output -).")
  boolean json;

  /** The nonconformity scores. */
  enum Method {
    lac,
    aps,
    raps
  }

  /** Parses a nonconformity score's name. */
  static final class MethodConverter implements picocli.CommandLine.ITypeConverter<Method> {
    @Override
    public Method convert(String name) {
      for (Method m : Method.values()) {
        if (m.name().equals(name)) {
          return m;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "--method " + name + " is unknown; expected lac, aps or raps");
    }
  }

  @Option(
      names = {"--method", "--score"},
      required = true,
      order = HelpSections.METHOD,
      paramLabel = "<method>",
      converter = MethodConverter.class,
      description = "Nonconformity score: ${COMPLETION-CANDIDATES}.")
  Method method;

  @Option(
      names = "--alpha",
      required = true,
      order = HelpSections.METHOD,
      paramLabel = "<level>",
      converter = OptionValues.Level.class,
      description =
          "Miscoverage level in (0, 1): sets hold the gold label with probability >= 1 - alpha.")
  double alpha;

  @Option(
      names = "--k-reg",
      order = HelpSections.METHOD,
      paramLabel = "<rank>",
      defaultValue = "1",
      converter = OptionValues.NonNegative.class,
      description = "raps: ranks penalised beyond this one (default: ${DEFAULT-VALUE}).")
  int kReg;

  @Option(
      names = "--lambda",
      order = HelpSections.METHOD,
      paramLabel = "<penalty>",
      defaultValue = "0.01",
      converter = OptionValues.Lambda.class,
      description = "raps: penalty per rank beyond --k-reg (default: ${DEFAULT-VALUE}).")
  double lambda;

  @Option(
      names = "--randomised",
      order = HelpSections.METHOD,
      description = "aps and raps: the randomised score (weights drawn from --seed).")
  boolean randomised;

  @Option(
      names = "--seed",
      defaultValue = "0",
      order = HelpSections.METHOD,
      paramLabel = "<seed>",
      description = "Seed of --randomised (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--mondrian",
      order = HelpSections.METHOD,
      description = "One qhat per gold class (class-conditional coverage).")
  boolean mondrian;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private Path input;

  private Path output;

  @Override
  public Map<String, String> oldNames() {
    return Map.of("--calibration", "--labelled-scores", "--score", "--method");
  }

  @Override
  public Integer call() throws IOException {
    String methodName = OldNames.nameUsed(spec, "--method", this);
    OptionRules.of(spec)
        .onlyIf(
            method == Method.raps,
            "--k-reg and --lambda apply to " + methodName + " raps only",
            "--k-reg",
            "--lambda")
        .onlyIf(
            method != Method.lac,
            "--randomised applies to " + methodName + " aps or raps only",
            "--randomised")
        .check();
    ConformalScore s = score();
    input = inputOptions.input();
    output = outputOption.output();
    try (CommandFiles files =
        CommandFiles.of(spec)
            .streamedInput(OldNames.nameUsed(spec, "--labelled-scores", this), calibration)
            .streamedInput("--input", input)
            .output("--output", output)
            .check()) {
      return run(files, s, inputOptions.format());
    }
  }

  private ConformalScore score() {
    ConformalScore s =
        switch (method) {
          case lac -> ConformalScore.lac();
          case aps -> ConformalScore.aps();
          case raps -> ConformalScore.raps(kReg, lambda); // both checked by their converters
        };
    return randomised ? s.randomised(seed) : s;
  }

  private Integer run(CommandFiles files, ConformalScore s, ScoreFormat format) throws IOException {
    ScoreRows cal =
        ScoreRows.read(files.open(calibration), CommandFiles.name(calibration), format, null);
    int[] gold = new int[cal.rows().size()];
    for (int i = 0; i < gold.length; i++) {
      ScoreRow r = cal.rows().get(i);
      if (!r.hasGold()) {
        throw new DataFileException(
            CommandFiles.name(calibration),
            r.line(),
            0,
            "row has no gold label; calibration rows need one each");
      }
      gold[i] = r.gold();
    }
    LabelledSet calSet = LabelledSet.of(cal.distributions(), gold);
    SplitConformal predictor =
        mondrian
            ? SplitConformal.fitMondrian(calSet, s, alpha)
            : SplitConformal.fit(calSet, s, alpha);
    LabelSet labels = cal.labels();
    long rows = 0;
    long withGold = 0;
    long covered = 0;
    long totalSize = 0;
    try (ScoreFileReader reader =
            ScoreFileReader.open(files.open(input), CommandFiles.name(input), format, labels);
        SetFile out = SetFile.open(output, spec.commandLine().getOut())) {
      List<String> header = new ArrayList<>();
      if (reader.hasId()) {
        header.add("id");
      }
      if (reader.hasGold()) {
        header.add("gold");
      }
      header.add("set");
      header.add("size");
      out.write(header);
      List<String> fields = new ArrayList<>();
      while (reader.hasNext()) {
        ScoreRow row = reader.next();
        PredictionSet set = predictor.predict(row.distribution(), rows);
        fields.clear();
        if (reader.hasId()) {
          fields.add(row.id() == null ? "" : row.id());
        }
        if (reader.hasGold()) {
          fields.add(row.hasGold() ? labels.name(row.gold()) : "");
          if (row.hasGold()) {
            withGold++;
            covered += set.contains(row.gold()) ? 1 : 0;
          }
        }
        fields.add(set.joined());
        fields.add(Integer.toString(set.size()));
        out.write(fields);
        totalSize += set.size();
        rows++;
      }
      if (rows == 0) {
        throw new DataFileException(input, 2, 0, "no rows after the header");
      }
      out.commit();
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("qhat", qhat(predictor, labels));
    if (withGold > 0) {
      summary.put("coverage", covered / (double) withGold);
    }
    summary.put("mean_set_size", totalSize / (double) rows);
    summary.put("alpha", alpha);
    summary.put("score", s.name());
    summary.put("mondrian", mondrian);
    if (s.kind() == ConformalScore.Kind.RAPS) {
      summary.put("k_reg", s.kReg());
      summary.put("lambda", s.lambda());
    }
    if (s.isRandomised()) {
      summary.put("seed", s.seed());
    }
    summary.put("calibration_rows", calSet.size());
    summary.put("rows", rows);
    PrintWriter report =
        CommandFiles.isStandard(output) ? spec.commandLine().getErr() : spec.commandLine().getOut();
    if (json) {
      report.println(new ObjectMapper().writeValueAsString(summary));
    } else {
      summary.forEach(
          (k, v) ->
              report.printf(java.util.Locale.ROOT, "%-17s %s%n", k, v == null ? "infinity" : v));
    }
    Main.flushStandardOutput(spec);
    spec.commandLine()
        .getErr()
        .println(
            "wrote "
                + Counts.of(rows, "prediction set")
                + " to "
                + CommandFiles.outputName(output));
    return Main.OK;
  }

  /** The threshold (null for infinity), or per label for a Mondrian predictor. */
  private static Object qhat(SplitConformal predictor, LabelSet labels) {
    if (!predictor.isMondrian()) {
      return finiteOrNull(predictor.qhat());
    }
    Map<String, Double> byLabel = new LinkedHashMap<>();
    for (int k = 0; k < labels.size(); k++) {
      byLabel.put(labels.name(k), finiteOrNull(predictor.qhat(k)));
    }
    return byLabel;
  }

  private static Double finiteOrNull(double q) {
    return Double.isInfinite(q) ? null : q;
  }

  /** The sets file: atomic for a path, standard output for {@code -}. */
  private static final class SetFile implements AutoCloseable {
    private final String name;
    private final AtomicOutput file;
    private final Writer writer;
    private final CsvWriter csv;

    private SetFile(String name, AtomicOutput file, Writer writer) {
      this.name = name;
      this.file = file;
      this.writer = writer;
      this.csv = new CsvWriter(writer);
    }

    static SetFile open(Path output, Writer stdout) {
      if (CommandFiles.isStandard(output)) {
        return new SetFile("standard output", null, stdout);
      }
      AtomicOutput file = AtomicOutput.open(output);
      return new SetFile(
          output.toString(),
          file,
          new BufferedWriter(
              new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8), 1 << 16));
    }

    void write(List<String> record) {
      try {
        csv.write(record);
      } catch (UncheckedIOException e) {
        throw new UncheckedIOException(
            "cannot write " + name + ": " + AtomicOutput.reason(e.getCause()), e.getCause());
      }
    }

    void commit() {
      try {
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + name + ": " + AtomicOutput.reason(e), e);
      }
      if (file != null) {
        file.commit();
      }
    }

    @Override
    public void close() {
      if (file != null) {
        file.close();
      }
    }
  }
}
