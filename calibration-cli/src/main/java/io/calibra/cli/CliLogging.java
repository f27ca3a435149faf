package io.calibra.cli;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What the command line shows of the log. calibra logs through {@link System.Logger}, which writes
 * to {@code java.util.logging} by default; its dependencies' SLF4J logging (DJL) goes there too
 * (slf4j-jdk14). On the command line:
 *
 * <ul>
 *   <li>calibra's notes (INFO) and warnings (WARNING and above) are one line each on the run's
 *       error stream: {@code calibra: note: ...}, {@code calibra: warning: ...};
 *   <li>other loggers (DJL, ONNX Runtime) show errors (SEVERE) only, as warnings, the same way;
 *   <li>a logging configuration of the user's ({@code -Djava.util.logging.config.file} or {@code
 *       .class} in {@code CALIBRA_JAVA_OPTS}) is left as it is.
 * </ul>
 *
 * <p>See docs/logging.md.
 */
final class CliLogging {
  /** calibra's loggers; kept here because java.util.logging holds loggers weakly. */
  private static final Logger CALIBRA = Logger.getLogger("io.calibra");

  private static boolean installed;

  private CliLogging() {}

  /** Sets the command line's logging up, once per JVM; safe to call on every run. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new OneLine());
    root.setLevel(Level.SEVERE);
    CALIBRA.setLevel(Level.INFO);
  }

  /** Writes each record as one line through {@link Main#note} or {@link Main#warn}. */
  private static final class OneLine extends Handler {
    private final Formatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      if (record == null || !isLoggable(record)) {
        return;
      }
      String message = formatter.formatMessage(record);
      if (record.getThrown() != null) {
        message += ": " + record.getThrown();
      }
      message = message.replaceAll("\\s*\\R\\s*", " ").strip();
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        Main.warn(message);
      } else {
        Main.note(message);
      }
    }

    @Override
    public void flush() {
      // Main.note and Main.warn flush every line
    }

    @Override
    public void close() {
      // the error stream belongs to the run
    }
  }
}
