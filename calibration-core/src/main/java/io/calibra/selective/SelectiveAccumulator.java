package io.calibra.selective;

import io.calibra.label.LabelDistribution;

/**
 * Counts accepted and abstained predictions, and errors among the accepted, under a {@link
 * SelectivePolicy}. Mergeable; not thread-safe (one per thread, then {@link #merge}).
 */
public final class SelectiveAccumulator {
  private final SelectivePolicy policy;
  private long rows;
  private long accepted;
  private long acceptedErrors;

  /** An empty accumulator for {@code policy}. */
  public SelectiveAccumulator(SelectivePolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("policy is null");
    }
    this.policy = policy;
  }

  /** Adds a prediction with its gold label index. */
  public void add(LabelDistribution p, int gold) {
    if (gold < 0 || gold >= p.size()) {
      throw new IllegalArgumentException(
          "gold label index " + gold + " out of range; expected 0.." + (p.size() - 1));
    }
    rows++;
    if (policy.accepts(p)) {
      accepted++;
      acceptedErrors += p.argmax() == gold ? 0 : 1;
    }
  }

  /** Adds {@code other}'s counts; both must use the same threshold. */
  public void merge(SelectiveAccumulator other) {
    if (Double.compare(other.policy.threshold(), policy.threshold()) != 0) {
      throw new IllegalArgumentException(
          "cannot merge counts at threshold "
              + other.policy.threshold()
              + " into threshold "
              + policy.threshold());
    }
    rows += other.rows;
    accepted += other.accepted;
    acceptedErrors += other.acceptedErrors;
  }

  /** All rows added. */
  public long rows() {
    return rows;
  }

  /** Rows accepted. */
  public long accepted() {
    return accepted;
  }

  /** Rows abstained on. */
  public long abstained() {
    return rows - accepted;
  }

  /** {@code accepted / rows}; 0 when empty. */
  public double coverage() {
    return rows == 0 ? 0 : (double) accepted / rows;
  }

  /** The error rate among accepted rows; 0 when none were accepted. */
  public double selectiveRisk() {
    return accepted == 0 ? 0 : (double) acceptedErrors / accepted;
  }
}
