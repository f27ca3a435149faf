package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@link FitProgress} with a clock the test moves (no waiting): when it speaks, and when it stops.
 */
class FitProgressTest {
  private long now;

  private FitProgress progress(StringWriter out, boolean terminal, Double limit) {
    return new FitProgress("dirichlet", new PrintWriter(out, true), terminal, limit, () -> now);
  }

  private static final long SECOND = 1_000_000_000L;

  @Test
  void silentForTwoSecondsThenARedrawnLineOnATerminal() {
    StringWriter out = new StringWriter();
    FitProgress p = progress(out, true, null);
    now = SECOND;
    p.iteration("dirichlet lambda 1.0, mu 1.0, fold 1 of 3", 5, 0.5);
    assertThat(out.toString()).isEmpty();
    now = 3 * SECOND;
    p.iteration("dirichlet lambda 1.0, mu 1.0, fold 1 of 3", 40, 0.25);
    assertThat(out.toString())
        .isEqualTo(
            "\rdirichlet lambda 1.0, mu 1.0, fold 1 of 3: iteration 40, objective 0.250000 (3 s)"
                + "\u001b[K");
    // within a quarter second: not redrawn
    now += SECOND / 10;
    p.iteration("dirichlet lambda 1.0, mu 1.0, fold 1 of 3", 41, 0.24);
    assertThat(out.toString()).doesNotContain("iteration 41");
    now += SECOND / 2;
    p.iteration("dirichlet lambda 1.0, mu 1.0, fold 1 of 3", 42, 0.23);
    assertThat(out.toString())
        .contains("\rdirichlet lambda 1.0, mu 1.0, fold 1 of 3: iteration 42");
    p.finish();
    assertThat(out.toString()).endsWith(System.lineSeparator());
  }

  @Test
  void plainLinesTenSecondsApartInALog() {
    StringWriter out = new StringWriter();
    FitProgress p = progress(out, false, null);
    p.candidate("vector", 3, 12);
    now = 2 * SECOND;
    p.fold("vector", 2, 5);
    now = 5 * SECOND;
    p.fold("vector", 3, 5);
    now = 13 * SECOND;
    p.fold("vector", 4, 5);
    assertThat(out.toString().lines())
        .containsExactly(
            "auto: candidate 3 of 12, vector, fold 2 of 5 (2 s)",
            "auto: candidate 3 of 12, vector, fold 4 of 5 (13 s)");
    assertThat(out.toString()).doesNotContain("\r");
  }

  @Test
  void pastTheLimitItStopsWithOneLine() {
    StringWriter out = new StringWriter();
    FitProgress p = progress(out, true, 30.0);
    now = 30 * SECOND;
    p.iteration("matrix scaling", 10, 0.3); // at the limit: not past it
    now = 31 * SECOND;
    assertThatThrownBy(() -> p.iteration("matrix scaling", 11, 0.29))
        .isInstanceOf(FitProgress.Stopped.class)
        .hasMessage(
            "--method dirichlet stopped at the time limit of 30 s (during matrix scaling:"
                + " iteration 11, objective 0.290000); raise --time-limit, or use a method with"
                + " fewer parameters (vector or temperature scaling)");
    // the redrawn line was ended before the message
    assertThat(out.toString()).endsWith(System.lineSeparator());
  }
}
