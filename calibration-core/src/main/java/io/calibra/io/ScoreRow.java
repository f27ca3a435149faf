package io.calibra.io;

import io.calibra.label.LabelDistribution;

/**
 * One row of a score file.
 *
 * @param line the 1-based line on which the row starts
 * @param id the row's id, or null when the file has no id column
 * @param gold the gold label index, or -1 when the file has no gold column or the cell is empty
 * @param distribution the row's label distribution
 */
public record ScoreRow(long line, String id, int gold, LabelDistribution distribution) {
  /** Whether the row has a gold label. */
  public boolean hasGold() {
    return gold >= 0;
  }
}
