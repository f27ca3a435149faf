package io.calibra.cli.demo;

import io.calibra.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run of {@code calibra} in this JVM: its exit code and captured output; and the demo's data. */
record DemoRun(int code, String out, String err) {
  /** Runs {@code calibra args} with empty standard input. */
  static DemoRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new DemoRun(code, out.toString(), err.toString());
  }

  /**
   * The built-in sample written out as an SST-2 folder {@code dir} (train.txt, dev.txt, test.txt),
   * so that the tests read a folder as the demo does without depending on ../shared.
   */
  static Path writeSample(Path dir) throws IOException {
    Files.createDirectories(dir);
    DemoData d = DemoData.builtIn();
    write(dir.resolve("train.txt"), d.train());
    write(dir.resolve("dev.txt"), d.dev());
    write(dir.resolve("test.txt"), d.test());
    return dir;
  }

  private static void write(Path file, DemoData.Split split) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < split.size(); i++) {
      sb.append(split.gold()[i]).append(' ').append(split.texts().get(i)).append('\n');
    }
    Files.writeString(file, sb.toString());
  }

  /** Made-up headlines in AG News's CSV layout (quotes, commas, the " #39;s" escape), 24 rows. */
  static Path writeAgNews(Path file) throws IOException {
    String[][] topics = {
      {"Leaders meet for peace talks", "Ministers from both nations agreed a ceasefire on Monday."},
      {
        "Striker scores twice in cup final",
        "The home side won 3-1, and the fans' celebrations lasted all night."
      },
      {
        "Shares fall as oil prices climb",
        "Stocks slid for a third day while investors weighed the central bank #39;s outlook."
      },
      {
        "New chip doubles battery life",
        "Engineers say the processor uses half the power of last year #39;s model."
      },
    };
    StringBuilder sb = new StringBuilder("Class Index,Title,Description\n");
    for (int i = 0; i < 24; i++) {
      int c = i % 4;
      sb.append(c + 1)
          .append(",\"")
          .append(topics[c][0])
          .append(i >= 4 ? ", part " + i : "")
          .append("\",\"")
          .append(topics[c][1])
          .append("\"\n");
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString());
    return file;
  }
}
