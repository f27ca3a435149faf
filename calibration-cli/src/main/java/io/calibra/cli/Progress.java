package io.calibra.cli;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelSet;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Scores prompts in chunks, drawing a progress bar on standard error. */
final class Progress {
  private static final int CHUNK = 128;

  private Progress() {}

  static List<LabelScores> scoreAll(
      Scorer scorer, List<String> prompts, LabelSet labels, String task) {
    List<LabelScores> out = new ArrayList<>(prompts.size());
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(prompts.size())
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .setUpdateIntervalMillis(250)
            .build()) {
      for (int start = 0; start < prompts.size(); start += CHUNK) {
        List<String> chunk = prompts.subList(start, Math.min(prompts.size(), start + CHUNK));
        out.addAll(scorer.scoreAll(chunk, labels));
        bar.stepBy(chunk.size());
      }
    }
    return out;
  }
}
