package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.calibra.cli.demo.DemoCommand;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows whose gold label got a probability below 1e-6 are flagged where results are shown: they
 * dominate the NLL (each clipped at 1e-15, adding up to 34.5), so an unmarked NLL would mislead.
 */
class CliNearZeroTest {
  @TempDir Path tmp;

  @Test
  void metricsNotesRowsWhoseGoldLabelIsAllButImpossible() throws IOException {
    Path scores =
        new TestDir(tmp)
            .write(
                "s.csv",
                "id,gold,negative,positive\n"
                    + "a,positive,0.2,0.8\n"
                    + "b,positive,0.999999999,0.000000001\n"
                    + "c,negative,1.0,0.0\n");
    Cli r = Cli.run("metrics", "--scores", "prob", "--input", scores);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "note: 1 of 3 rows give the gold label a probability below 1.0E-6; nll clips p_gold"
                + " at 1.0E-15");
    // hand computed: -(log 0.8 + log 1e-9 + log 1) / 3
    assertThat(r.out())
        .contains(String.format("nll             %.6f", -(Math.log(0.8) + Math.log(1e-9)) / 3));
  }

  @Test
  void noNoteWhenEveryGoldLabelIsPlausible() throws IOException {
    Path scores =
        new TestDir(tmp)
            .write("s.csv", "id,gold,negative,positive\na,positive,0.2,0.8\nb,negative,0.6,0.4\n");
    Cli r = Cli.run("metrics", "--scores", "prob", "--input", scores);
    assertThat(r.code()).isZero();
    assertThat(r.err()).doesNotContain("below 1.0E-6");
  }

  @Test
  void theDemoTableMarksAMethodThatGaveGoldLabelsNearZero() {
    assertThat(DemoCommand.nearZeroMark(0)).isEmpty();
    assertThat(DemoCommand.nearZeroMark(3)).isEqualTo("  ! p_gold < 1.0E-6 on 3 rows");
    assertThat(DemoCommand.NEAR_ZERO_NOTE).contains("NLL clips p_gold at 1.0E-15");
  }
}
