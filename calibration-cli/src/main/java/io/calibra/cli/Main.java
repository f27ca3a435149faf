package io.calibra.cli;

import io.calibra.cli.demo.DemoCommand;
import io.calibra.cli.options.ExitCodes;
import io.calibra.io.StrictJson;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code calibra} command and its exit codes. */
@Command(
    name = "calibra",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Calibrated label probabilities for language-model classifiers.",
    subcommands = {
      DemoCommand.class,
      ScoreCommand.class,
      FitCommand.class,
      CalibrateCommand.class,
      MetricsCommand.class,
      CompareCommand.class,
      SensitivityCommand.class,
      ConformalCommand.class,
      ReportCommand.class,
      CompletionCommand.class
    })
public final class Main {
  /** Success ({@link ExitCodes#OK}). */
  public static final int OK = ExitCodes.OK;

  /** Anything unexpected ({@link ExitCodes#FAILURE}). */
  public static final int FAILURE = ExitCodes.FAILURE;

  /** Bad usage: unknown or missing options, bad option values ({@link ExitCodes#USAGE}). */
  public static final int USAGE = ExitCodes.USAGE;

  /** Bad input data: the message names the file, line and column ({@link ExitCodes#BAD_DATA}). */
  public static final int BAD_DATA = ExitCodes.BAD_DATA;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Standard input of this run (read by {@code -}). */
  final InputStream in;

  /** Temporary copies of inputs (standard input, FIFOs) and the names to show for them. */
  final Map<String, String> spooled = new ConcurrentHashMap<>();

  /** The system's reason of the first failed write to standard output, or null. */
  private java.util.function.Supplier<String> outFailure = () -> null;

  Main(InputStream in) {
    this.in = in;
  }

  /**
   * Flushes the command's standard output and fails if any write to it was lost (a {@link
   * PrintWriter} swallows write errors), so that no "wrote ..." line follows output that never
   * arrived, for example {@code calibra calibrate --output - > /dev/full}.
   *
   * @throws java.io.UncheckedIOException "cannot write to standard output: REASON" (exit 1)
   */
  static void flushStandardOutput(CommandLine.Model.CommandSpec spec) {
    PrintWriter out = spec.commandLine().getOut();
    out.flush();
    if (out.checkError()) {
      String reason = spec.root().userObject() instanceof Main m ? m.outFailure.get() : null;
      String message = "cannot write to standard output" + (reason == null ? "" : ": " + reason);
      throw new java.io.UncheckedIOException(message, new java.io.IOException(message));
    }
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    StandardOutput stdout = new StandardOutput();
    PrintWriter out =
        new PrintWriter(
            new java.io.OutputStreamWriter(stdout, java.nio.charset.StandardCharsets.UTF_8), true);
    System.exit(run(args, System.in, out, standardError(), stdout::reason));
  }

  /** Where {@link #warn} writes: the error stream of the current run. */
  private static volatile PrintWriter warnings = standardError();

  /** Standard error in UTF-8, as standard output: the same bytes on every platform. */
  private static PrintWriter standardError() {
    return new PrintWriter(
        new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true);
  }

  /** Prints a one-line note (information, not a problem) to the error stream of the run. */
  static void note(String message) {
    PrintWriter w = warnings;
    w.println("calibra: note: " + message);
    w.flush();
  }

  /** Prints a one-line warning to the error stream of the run in progress. */
  static void warn(String message) {
    PrintWriter w = warnings;
    w.println("calibra: warning: " + message);
    w.flush();
  }

  /**
   * Runs the command line with the given streams and returns its exit code (for tests). An {@link
   * OutOfMemoryError} becomes one line naming the command and {@code CALIBRA_JAVA_OPTS}, exit 1.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, System.in, out, err);
  }

  /**
   * Runs the command line with the given standard input (read by {@code -}) and output streams and
   * returns its exit code; a failed write to {@code out} makes it 1.
   */
  public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
    return run(args, in, out, err, () -> null);
  }

  private static int run(
      String[] args,
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      java.util.function.Supplier<String> outFailure) {
    System.setProperty("java.awt.headless", "true");
    warnings = err;
    CliLogging.install();
    try {
      StrictJson.maxBytes();
    } catch (IllegalArgumentException e) {
      err.println("calibra: " + e.getMessage());
      err.flush();
      return USAGE;
    }
    try {
      return execute(args, in, out, err, outFailure);
    } catch (OutOfMemoryError e) {
      err.println(
          "calibra: out of memory while running "
              + commandName(args)
              + "; raise the heap with CALIBRA_JAVA_OPTS (for example CALIBRA_JAVA_OPTS=-Xmx4g)");
      err.flush();
      return FAILURE;
    }
  }

  private static String commandName(String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return "calibra " + a;
      }
    }
    return "calibra";
  }

  private static int execute(
      String[] args,
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      java.util.function.Supplier<String> outFailure) {
    Main main = new Main(in);
    main.outFailure = outFailure;
    CommandLine cli = new CommandLine(main);
    io.calibra.cli.options.HelpSections.install(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(Main::exitCode);
    cli.setExecutionStrategy(
        parsed -> {
          io.calibra.cli.options.OldNames.noteUses(parsed, Main::note);
          return new CommandLine.RunLast().execute(parsed);
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("calibra: " + main.displayed(message(e)));
          if (exitCode(e) == FAILURE
              && !(e instanceof java.io.UncheckedIOException)
              && !(e instanceof FitProgress.Stopped)
              && !(e instanceof io.calibra.backend.http.ServerException)) {
            e.printStackTrace(commandLine.getErr());
          }
          commandLine.getErr().flush();
          return exitCode(e);
        });
    ExitCodes.reportUsageErrorsOnOneLine(cli, "calibra");
    int code = cli.execute(args);
    out.flush();
    if (out.checkError() && code == OK) {
      // a PrintWriter swallows write errors: report them (e.g. `calibra metrics > /dev/full`); a
      // command that failed has said why in its one line
      String reason = outFailure.get();
      err.println(
          "calibra: cannot write to standard output" + (reason == null ? "" : ": " + reason));
      code = FAILURE;
    }
    err.flush();
    return code;
  }

  /** {@code message} with every temporary copy of an input replaced by the input's name. */
  String displayed(String message) {
    String m = message;
    for (Map.Entry<String, String> e : spooled.entrySet()) {
      m = m.replace(e.getKey(), e.getValue());
    }
    return m;
  }

  /** The process's standard output, remembering why a write failed (a PrintWriter does not). */
  private static final class StandardOutput extends java.io.OutputStream {
    private final java.io.FileOutputStream out =
        new java.io.FileOutputStream(java.io.FileDescriptor.out);
    private volatile java.io.IOException failure;

    /** The system's reason of the first failed write, or null. */
    String reason() {
      return failure == null ? null : io.calibra.io.AtomicOutput.reason(failure);
    }

    @Override
    public void write(int b) throws java.io.IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      try {
        out.write(b, off, len);
      } catch (java.io.IOException e) {
        if (failure == null) {
          failure = e;
        }
        throw e;
      }
    }
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  static int exitCode(Throwable e) {
    return ExitCodes.of(e);
  }

  /** Bad usage found after parsing (an option combination that makes no sense). */
  static final class UsageException extends io.calibra.cli.options.UsageException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Prints the library version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"calibra " + io.calibra.io.Provenance.currentLibraryVersion()};
    }
  }
}
