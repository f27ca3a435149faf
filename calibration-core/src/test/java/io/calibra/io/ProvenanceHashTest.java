package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data hash in saved provenance is pinned: files written by earlier releases compare against
 * it. Expected values from scripts/fingerprint_golden.py (Python hashlib over big-endian IEEE bits
 * and gold indices, written independently of the Java code).
 */
class ProvenanceHashTest {
  private static final List<double[]> ROWS =
      List.of(new double[] {0.25, 0.75}, new double[] {1.0, 0.0}, new double[] {0.5, 0.5});

  @Test
  void theDataHashIsPinned() {
    assertThat(Provenance.sha256(ROWS, new int[] {1, 0, 1}))
        .isEqualTo("01f364a4288831892f96f428e8750a9bc5819f5c3b60fdea55c51cce7d645a21");
    assertThat(Provenance.sha256(ROWS, null))
        .isEqualTo("d795ded679ee0292e5ee230b83f5ec85729a8f1ce169f83caf9ab70408b11b3c");
  }

  @Test
  void aLabelledSetHashesItsRowsAndGold() {
    LabelSet ab = LabelSet.of("a", "b");
    LabelledSet data =
        LabelledSet.of(
            ROWS.stream().map(r -> LabelDistribution.ofProbabilities(ab, r)).toList(),
            new int[] {1, 0, 1});
    assertThat(Provenance.sha256(data))
        .isEqualTo("01f364a4288831892f96f428e8750a9bc5819f5c3b60fdea55c51cce7d645a21");
  }
}
