package io.calibra.calibrate;

import io.calibra.metrics.CalibrationMetrics;
import io.calibra.metrics.Metrics;
import java.util.List;

/** The plain-text table of a {@link MethodSelection.Report}, as the command line prints it. */
final class ReportTable {
  private ReportTable() {}

  /** The plain-text table of {@code report}'s ranking. */
  static String of(MethodSelection.Report report) {
    int folds = report.folds();
    int rows = report.rows();
    String note = report.note();
    List<MethodSelection.Result> ranked = report.ranked();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(java.util.Locale.ROOT, "%d-fold cross-validation on %d rows%n", folds, rows));
    if (!note.isEmpty()) {
      sb.append("note: ").append(note).append(System.lineSeparator());
    }
    sb.append(
        String.format(
            java.util.Locale.ROOT,
            "%-28s %9s %9s %9s %9s %19s%n",
            "method",
            "NLL",
            "ECE",
            "Brier",
            "accuracy",
            "NLL - none (SE)"));
    for (MethodSelection.Result r : ranked) {
      if (r.succeeded()) {
        CalibrationMetrics m = r.metrics().orElseThrow();
        sb.append(
            String.format(
                java.util.Locale.ROOT,
                "%-28s %9.5f %9.5f %9.5f %9.5f %+9.5f (%.5f)%s%n",
                r.name(),
                m.nll(),
                m.ece(),
                m.brier(),
                m.accuracy(),
                r.nllDifference(),
                r.nllDifferenceError(),
                marks(r)));
      } else {
        // the remedy of a refusal is the same on every line: said once, below
        sb.append(
            String.format(
                java.util.Locale.ROOT,
                "%-28s %s: %s%n",
                r.name(),
                r.isSkipped() ? "skipped" : "failed",
                r.failure().orElseThrow().replace("; " + NoFitException.REMEDY, "")));
      }
    }
    if (ranked.stream().anyMatch(r -> r.failure().orElse("").endsWith(NoFitException.REMEDY))) {
      sb.append("where a fit does not exist: ")
          .append(NoFitException.REMEDY)
          .append(System.lineSeparator());
    }
    sb.append(
        String.format(
            java.util.Locale.ROOT,
            "NLL clips p_gold at %s (as scikit-learn's log_loss); p_gold < %s counts as near"
                + " zero%n",
            Metrics.NLL_CLIP,
            Metrics.NEAR_ZERO));
    return sb.toString();
  }

  /** A row's notes: its held-out near-zero gold probabilities, and why it is never picked. */
  private static String marks(MethodSelection.Result r) {
    String marks = "";
    if (r.nearZeroGold() > 0) {
      marks +=
          String.format(
              java.util.Locale.ROOT,
              "  p_gold < %s on %d %s",
              Metrics.NEAR_ZERO,
              r.nearZeroGold(),
              r.nearZeroGold() == 1 ? "row" : "rows");
    }
    return marks + r.exclusion().map(e -> "  " + e + ": never picked").orElse("");
  }
}
