package io.calibra.cli.output;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Scores prompts in chunks and tells standard error how far it got: a redrawn progress bar when
 * standard error is a terminal, otherwise one plain line when a stage starts and one when it ends
 * (redirected logs would otherwise fill with carriage-return frames). The system property {@code
 * calibra.progress} set to {@code bar} or {@code lines} overrides the choice.
 */
public final class Progress {
  private static final int CHUNK = 128;

  private Progress() {}

  /**
   * Scores {@code prompts} against {@code labels} with {@code scorer}, in order, showing the
   * progress of {@code task} on standard error.
   */
  public static List<LabelScores> scoreAll(
      Scorer scorer, List<String> prompts, LabelSet labels, String task) {
    PrintStream err = System.err;
    if (useBar()) {
      return withBar(scorer, prompts, labels, task, err);
    }
    long start = System.nanoTime();
    err.println(task + ": " + Counts.of(prompts.size(), "prompt") + " ...");
    List<LabelScores> out = new ArrayList<>(prompts.size());
    for (int from = 0; from < prompts.size(); from += CHUNK) {
      out.addAll(
          scorer.scoreAll(prompts.subList(from, Math.min(prompts.size(), from + CHUNK)), labels));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    err.println(
        String.format(
            Locale.ROOT,
            "%s: done, %s in %.1f s",
            task,
            Counts.of(prompts.size(), "prompt"),
            seconds));
    return out;
  }

  private static List<LabelScores> withBar(
      Scorer scorer, List<String> prompts, LabelSet labels, String task, PrintStream err) {
    List<LabelScores> out = new ArrayList<>(prompts.size());
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(prompts.size())
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(err))
            .setUpdateIntervalMillis(250)
            .build()) {
      for (int from = 0; from < prompts.size(); from += CHUNK) {
        List<String> chunk = prompts.subList(from, Math.min(prompts.size(), from + CHUNK));
        out.addAll(scorer.scoreAll(chunk, labels));
        bar.stepBy(chunk.size());
      }
    }
    return out;
  }

  /** Whether to draw a bar: the override if set, else whether standard error is a terminal. */
  public static boolean useBar() {
    String override = System.getProperty("calibra.progress", "");
    if (override.equals("bar") || override.equals("lines")) {
      return override.equals("bar");
    }
    return stderrIsTerminal();
  }

  /**
   * On Linux, file descriptor 2's link names a terminal device when standard error is one;
   * elsewhere (no /proc) the JVM's console, which exists only for an interactive session, decides.
   */
  private static boolean stderrIsTerminal() {
    Path fd2 = Path.of("/proc/self/fd/2");
    try {
      String target = Files.readSymbolicLink(fd2).toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }
}
