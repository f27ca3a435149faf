package io.calibra.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the demo's data come from: {@code --sst2} and {@code --agnews} when given; else, when the
 * system property {@value #DATA_PROPERTY} names a folder (the {@code ./calibra} launcher sets it to
 * the project's {@code ../shared/data} when that exists), its {@code sst2} folder and {@code
 * agnews/test.csv}; else the built-in SST-2 sample and no AG News. Reading from a working-folder
 * relative path would make the demo's data depend on where it is started.
 */
final class DemoInputs {
  /** The system property naming a folder laid out as {@code sst2/} and {@code agnews/test.csv}. */
  static final String DATA_PROPERTY = "calibra.data";

  private final Path sst2;
  private final Path agnews;

  private DemoInputs(Path sst2, Path agnews) {
    this.sst2 = sst2;
    this.agnews = agnews;
  }

  /**
   * The locations to read: the options' (their converters checked them to be a folder and a file),
   * else the data folder's when it holds them, else none.
   */
  static DemoInputs resolve(Path givenSst2, Path agnews) {
    String data = System.getProperty(DATA_PROPERTY);
    Path shared = data == null || data.isBlank() ? null : Path.of(data);
    Path sharedSst2 = shared == null ? null : shared.resolve("sst2");
    Path sharedAgNews = shared == null ? null : shared.resolve("agnews").resolve("test.csv");
    return new DemoInputs(
        givenSst2 != null
            ? givenSst2
            : sharedSst2 != null && Files.isDirectory(sharedSst2) ? sharedSst2 : null,
        agnews != null
            ? agnews
            : sharedAgNews != null && Files.isRegularFile(sharedAgNews) ? sharedAgNews : null);
  }

  /** The SST-2 splits (read now, so that a bad file fails before any model loads). */
  DemoData sst2(PrintWriter out) {
    if (sst2 == null) {
      out.println(
          "No SST-2 folder given (--sst2 <folder>): running on the built-in sample of 48 sentences"
              + " written for this demo.");
      return DemoData.builtIn();
    }
    out.println("SST-2 from " + sst2.toAbsolutePath().normalize());
    return DemoData.load(sst2);
  }

  /**
   * The AG News task on a seeded sample of {@code rowsWanted} rows (0: all), or null without AG
   * News; read now, so that a bad file fails before any model loads.
   */
  QuantizationStudy.Task agNews(PrintWriter out, int rowsWanted, long seed) {
    if (agnews == null) {
      return null;
    }
    AgNews.Rows rows = AgNews.read(agnews);
    DemoData.Split[] split = AgNews.devAndTest(rows, rowsWanted, seed);
    out.println(
        "AG News from "
            + agnews.toAbsolutePath().normalize()
            + " ("
            + (split[0].size() + split[1].size())
            + " of "
            + rows.texts().size()
            + " rows, seed "
            + seed
            + ")");
    return new QuantizationStudy.Task(
        "AG News zero-shot", AgNews.LABELS, split[0], split[1], Map.of());
  }
}
