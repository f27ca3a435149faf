package io.calibra.cli.demo;

import io.calibra.label.LabelledSet;
import io.calibra.metrics.CalibrationMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a calibration method compares with the raw scores on the same test rows, in words: the change
 * of accuracy (in points), ECE and NLL, and the ways in which it made things worse: a higher NLL
 * where it shows at the precision written (three decimals), accuracy lower by {@link
 * #ACCURACY_TOLERANCE} points or more, ECE higher by {@link #ECE_TOLERANCE} or more, or a (nearly)
 * zero probability for the gold label on some rows. Formatting is {@link Locale#ROOT} whatever the
 * default locale.
 */
final class AgainstRaw {
  /**
   * A probability of the gold label below this is (nearly) zero ({@link
   * io.calibra.metrics.Metrics#NEAR_ZERO}): the method rules out a label that occurs, which costs
   * {@code -log p > 13.8} nats of NLL on that row and says the method's probabilities cannot be
   * trusted to rank unlikely labels.
   */
  static final double NEAR_ZERO = io.calibra.metrics.Metrics.NEAR_ZERO;

  /**
   * The rise of ECE below which it is not called worse: the binned ECE moves by more than this
   * between bootstrap resamples of a thousand or two test rows (the demo's SST-2 raw ECE, 0.0255,
   * has the 95% interval [0.0187, 0.0511]), so a smaller rise says nothing about the method.
   */
  static final double ECE_TOLERANCE = 0.01;

  /**
   * The fall of accuracy, in points, below which it is not called worse: a tenth of a point is two
   * rows of SST-2's 1821, which a method that lowers NLL and ECE a lot may well trade.
   */
  static final double ACCURACY_TOLERANCE = 1.0;

  /** {@link #NEAR_ZERO} as written in the report. */
  static final String NEAR_ZERO_TEXT = "1e-6";

  private AgainstRaw() {}

  /**
   * The number of rows of {@code data} whose gold label has a probability below {@link #NEAR_ZERO}.
   */
  static int nearZeroGold(LabelledSet data) {
    return Math.toIntExact(io.calibra.metrics.Metrics.nearZeroGold(data));
  }

  /**
   * The change from {@code raw} to {@code m}: {@code +3.6 points of accuracy (0.705 -> 0.741), ECE
   * 0.026 -> 0.037, NLL 0.556 -> 0.530}; {@code accuracy unchanged (0.705)} when the points round
   * to zero.
   */
  static String change(CalibrationMetrics raw, CalibrationMetrics m) {
    double points = points(raw, m);
    String accuracy =
        points == 0
            ? String.format(Locale.ROOT, "accuracy unchanged (%.3f)", m.accuracy())
            : String.format(
                Locale.ROOT,
                "%+.1f points of accuracy (%.3f -> %.3f)",
                points,
                raw.accuracy(),
                m.accuracy());
    return String.format(
        Locale.ROOT,
        "%s, ECE %.3f -> %.3f, NLL %.3f -> %.3f",
        accuracy,
        raw.ece(),
        m.ece(),
        raw.nll(),
        m.nll());
  }

  /**
   * What {@code m} made worse than {@code raw}, in words ({@code -10.2 points of accuracy}, {@code
   * ECE 0.051 -> 0.143}, {@code NLL 0.907 -> 1.158}), and, when {@code nearZeroRows} is positive,
   * that it gives the gold label (nearly) zero probability on that many rows; empty when nothing
   * got worse.
   */
  static List<String> worse(CalibrationMetrics raw, CalibrationMetrics m, int nearZeroRows) {
    List<String> out = new ArrayList<>();
    double points = points(raw, m);
    if (points <= -ACCURACY_TOLERANCE) {
      out.add(String.format(Locale.ROOT, "%+.1f points of accuracy", points));
    }
    if (rounded(m.ece()) - rounded(raw.ece()) >= ECE_TOLERANCE - 1e-9) {
      out.add(String.format(Locale.ROOT, "ECE %.3f -> %.3f", raw.ece(), m.ece()));
    }
    if (rounded(m.nll()) > rounded(raw.nll())) {
      out.add(String.format(Locale.ROOT, "NLL %.3f -> %.3f", raw.nll(), m.nll()));
    }
    if (nearZeroRows > 0) {
      out.add(nearZeroText(nearZeroRows, m.rows()));
    }
    return out;
  }

  /** {@code gold label's probability below 1e-6 on 37 of 1821 rows}. */
  static String nearZeroText(int rows, long of) {
    return String.format(
        Locale.ROOT,
        "gold label's probability below %s on %d of %d rows",
        NEAR_ZERO_TEXT,
        rows,
        of);
  }

  /** The accuracy change in points as written (0.1 points), 0 when it rounds to zero either way. */
  private static double points(CalibrationMetrics raw, CalibrationMetrics m) {
    double p =
        Double.parseDouble(
            String.format(Locale.ROOT, "%.1f", 100 * (m.accuracy() - raw.accuracy())));
    return p == 0 ? 0 : p;
  }

  /** {@code v} as written, to three decimals. */
  private static double rounded(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.3f", v));
  }
}
