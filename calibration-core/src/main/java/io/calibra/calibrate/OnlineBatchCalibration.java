package io.calibra.calibrate;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import java.util.Arrays;
import java.util.Objects;

/**
 * Online batch calibration (Zhou et al. 2024): the bias estimate is the running mean of every
 * distribution seen so far (plus an optional uniform prior), and each new row is calibrated with
 * the estimate that includes it.
 *
 * <p>Unlike a {@link Calibrator} this object has state; it is thread-safe (updates are serialised),
 * and {@link #snapshot()} freezes the current estimate into an immutable calibrator. Rows over
 * another label set, and NaN, are rejected before they touch the estimate.
 */
public final class OnlineBatchCalibration {
  private final LabelSet labels;
  private final double priorStrength;
  private final double[] sum;
  private long count;

  OnlineBatchCalibration(LabelSet labels, double priorStrength) {
    this.labels = Objects.requireNonNull(labels, "labels");
    io.calibra.internal.Checks.argument(
        priorStrength >= 0 && priorStrength < Double.POSITIVE_INFINITY,
        "priorStrength is %s; expected a finite value >= 0",
        priorStrength);
    this.priorStrength = priorStrength;
    this.sum = new double[labels.size()];
    Arrays.fill(sum, priorStrength / labels.size());
  }

  /**
   * Adds {@code p} to the running estimate and returns {@code p} calibrated with it.
   *
   * @throws IllegalArgumentException if {@code p} is over another label set, or the estimate still
   *     gives some label probability 0 (naming it; use a positive prior strength)
   */
  public synchronized LabelDistribution update(LabelDistribution p) {
    labels.requireSame(p.labels(), "online batch calibration input");
    for (int k = 0; k < sum.length; k++) {
      sum[k] += p.probability(k);
    }
    count++;
    return snapshot().apply(p);
  }

  /**
   * The calibrator for the current estimate.
   *
   * @throws IllegalStateException if nothing has been seen and the prior strength is 0
   * @throws IllegalArgumentException if the estimate gives some label probability 0 (naming it)
   */
  public synchronized Calibrator snapshot() {
    if (count == 0 && priorStrength == 0) {
      throw new IllegalStateException("online batch calibration has seen no rows and has no prior");
    }
    return new DiagonalBiasCorrection(
        CalibrationMethod.BATCH, LabelDistribution.normalise(labels, sum.clone()));
  }

  /** The number of rows seen. */
  public synchronized long count() {
    return count;
  }

  /** The label set. */
  public LabelSet labels() {
    return labels;
  }

  @Override
  public synchronized String toString() {
    return "OnlineBatchCalibration{labels=" + labels.names() + ", rows=" + count + "}";
  }
}
