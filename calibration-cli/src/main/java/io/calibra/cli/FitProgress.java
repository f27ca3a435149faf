package io.calibra.cli;

import io.calibra.calibrate.FitControl;
import io.calibra.calibrate.MethodSelection;
import io.calibra.cli.options.OptionValues;
import io.calibra.cli.output.Progress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Tells standard error how a long fit goes and ends it at {@code --time-limit}: told after every
 * optimiser iteration (a {@link FitControl.Monitor}) and before every candidate and fold of {@code
 * auto} (a {@link MethodSelection.Progress}), it stays silent for the first {@value #QUIET_SECONDS}
 * seconds (most fits end sooner), then on a terminal redraws one status line at most four times a
 * second, and elsewhere (a log) prints a line every {@value #LOG_SECONDS} seconds. Past the time
 * limit it throws {@link Stopped}, which the command reports in one line. Not thread-safe: one fit
 * at a time.
 */
final class FitProgress implements FitControl.Monitor, MethodSelection.Progress {
  /** Seconds before the first progress line. */
  static final int QUIET_SECONDS = 2;

  /** Seconds between progress lines when standard error is not a terminal. */
  static final int LOG_SECONDS = 10;

  private final String method;
  private final PrintWriter err;
  private final boolean terminal;
  private final Double timeLimitSeconds;
  private final LongSupplier nanoTime;
  private final long start;
  private long lastShown = Long.MIN_VALUE;
  private boolean lineOpen;
  private String candidate = "";

  /**
   * @param method the {@code --method} value, named in the stop message
   * @param err where progress goes
   * @param terminal whether {@code err} is a terminal (a redrawn line) or a log (plain lines)
   * @param timeLimitSeconds the time limit, or null for none
   * @param nanoTime the clock ({@code System::nanoTime}; tests pass their own)
   */
  FitProgress(
      String method,
      PrintWriter err,
      boolean terminal,
      Double timeLimitSeconds,
      LongSupplier nanoTime) {
    this.method = method;
    this.err = err;
    this.terminal = terminal;
    this.timeLimitSeconds = timeLimitSeconds;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  /**
   * Progress on the process's standard error, a bar when it is a terminal, with the system clock.
   */
  static FitProgress of(String method, PrintWriter err, Double timeLimitSeconds) {
    return new FitProgress(method, err, Progress.useBar(), timeLimitSeconds, System::nanoTime);
  }

  @Override
  public void iteration(String stage, int iteration, double objective) {
    tick(
        () ->
            String.format(
                Locale.ROOT,
                "%s%s: iteration %d, objective %.6f",
                candidate,
                stage,
                iteration,
                objective));
  }

  @Override
  public void candidate(String name, int index, int count) {
    candidate = String.format(Locale.ROOT, "auto: candidate %d of %d, %s", index, count, name);
    tick(() -> candidate);
    candidate += ", ";
  }

  @Override
  public void fold(String name, int fold, int folds) {
    tick(() -> String.format(Locale.ROOT, "%sfold %d of %d", candidate, fold, folds));
  }

  private void tick(java.util.function.Supplier<String> status) {
    long now = nanoTime.getAsLong();
    double seconds = (now - start) / 1e9;
    if (timeLimitSeconds != null && seconds > timeLimitSeconds) {
      finish();
      throw new Stopped(
          String.format(
              Locale.ROOT,
              "--method %s stopped at the time limit of %s s (during %s); raise --time-limit, or"
                  + " use a method with fewer parameters (vector or temperature scaling)",
              method,
              OptionValues.plain(timeLimitSeconds),
              status.get()));
    }
    if (seconds < QUIET_SECONDS) {
      return;
    }
    long gap = terminal ? 250_000_000L : LOG_SECONDS * 1_000_000_000L;
    if (lastShown != Long.MIN_VALUE && now - lastShown < gap) {
      return;
    }
    lastShown = now;
    String line = String.format(Locale.ROOT, "%s (%.0f s)", status.get(), seconds);
    if (terminal) {
      err.print("\r" + line + "\u001b[K");
      lineOpen = true;
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** Ends a redrawn line, so that what follows starts on its own line. */
  void finish() {
    if (lineOpen) {
      err.println();
      err.flush();
      lineOpen = false;
    }
  }

  /** A fit stopped at its time limit: reported in one line, exit 1. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped(String message) {
      super(message);
    }
  }
}
