package io.calibra.selective;

import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The risk-coverage curve of a labelled set: accepting the {@code i} most confident rows gives
 * coverage {@code i / n} and risk (error rate among them) {@code errors(i) / i}.
 *
 * <p>AURC is the mean risk over {@code i = 1..n}; E-AURC subtracts the AURC of an oracle that ranks
 * every error last, {@code r + (1 - r) ln(1 - r)} for overall error rate {@code r} (Geifman et al.
 * 2019), using the exact finite-sample oracle rather than that continuous approximation. Immutable.
 */
public final class RiskCoverage {
  /**
   * One point of the curve.
   *
   * @param accepted rows accepted (the most confident ones)
   * @param coverage {@code accepted / n}
   * @param risk errors among the accepted, divided by {@code accepted}
   * @param threshold the confidence of the least confident accepted row
   */
  public record Point(int accepted, double coverage, double risk, double threshold) {}

  private final List<Point> points;
  private final double aurc;
  private final double optimalAurc;

  private RiskCoverage(List<Point> points, double aurc, double optimalAurc) {
    this.points = List.copyOf(points);
    this.aurc = aurc;
    this.optimalAurc = optimalAurc;
  }

  /**
   * The curve of {@code data}, ranked by top-label confidence.
   *
   * @throws IllegalArgumentException if {@code data} is null
   */
  public static RiskCoverage of(LabelledSet data) {
    java.util.Objects.requireNonNull(data, "data");
    int n = data.size();
    double[] confidence = new double[n];
    boolean[] correct = new boolean[n];
    for (int i = 0; i < n; i++) {
      confidence[i] = data.distribution(i).confidence();
      correct[i] = data.distribution(i).argmax() == data.gold(i);
    }
    Integer[] order = rankByConfidence(confidence);
    List<Point> points = new ArrayList<>(n);
    int errors = 0;
    double riskSum = 0;
    for (int i = 0; i < n; i++) {
      int row = order[i];
      errors += correct[row] ? 0 : 1;
      double risk = (double) errors / (i + 1);
      riskSum += risk;
      points.add(new Point(i + 1, (double) (i + 1) / n, risk, confidence[row]));
    }
    // The oracle accepts all correct rows first: risk 0 for the first (n - e), then k / (n - e +
    // k).
    int totalErrors = errors;
    double optimal = 0;
    for (int k = 1; k <= totalErrors; k++) {
      optimal += (double) k / (n - totalErrors + k);
    }
    return new RiskCoverage(points, riskSum / n, optimal / n);
  }

  static Integer[] rankByConfidence(double[] confidence) {
    Integer[] order = new Integer[confidence.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> confidence[i]).reversed());
    return order;
  }

  /** The points, from the single most confident row to every row. */
  public List<Point> points() {
    return points;
  }

  /** The area under the risk-coverage curve: the mean risk over every coverage level. */
  public double aurc() {
    return aurc;
  }

  /** AURC minus the AURC of an oracle ranking with the same errors. */
  public double excessAurc() {
    return aurc - optimalAurc;
  }

  /** The oracle's AURC. */
  public double optimalAurc() {
    return optimalAurc;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "RiskCoverage{rows=%d, aurc=%.6f, e-aurc=%.6f}",
        points.size(),
        aurc,
        excessAurc());
  }
}
