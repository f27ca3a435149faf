package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs the command line in-process and captures its output and exit code; the CLI tests' shared
 * helper, with the checks they make of a run ({@link #ok()}, {@link #exits}) and, in {@link
 * TestDir}, the files they write and read.
 *
 * <p>Arguments may be strings, {@link Path}s (their text), arrays or collections of them (flattened
 * in order), so a test writes {@code Cli.run("metrics", "--input", file)} with no conversions and
 * builds argument lists from parts.
 */
record Cli(int code, String out, String err) {
  static Cli run(Object... args) {
    return runWithInput(new byte[0], args);
  }

  /** Runs with {@code stdin} as standard input (what {@code -} reads). */
  static Cli runWithInput(byte[] stdin, Object... args) {
    return runWithStream(new ByteArrayInputStream(stdin), args);
  }

  /** Runs with {@code stdin} as standard input, read as the command reads it. */
  static Cli runWithStream(java.io.InputStream stdin, Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args(args), stdin, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(code, out.toString(), err.toString());
  }

  /** The arguments as strings: paths as their text, arrays and collections flattened in order. */
  static String[] args(Object... parts) {
    List<String> out = new ArrayList<>();
    flatten(parts, out);
    return out.toArray(String[]::new);
  }

  private static void flatten(Object part, List<String> out) {
    if (part instanceof Object[] array) {
      for (Object o : array) {
        flatten(o, out);
      }
    } else if (part instanceof Collection<?> parts) {
      for (Object o : parts) {
        flatten(o, out);
      }
    } else if (part instanceof String || part instanceof Path) {
      out.add(part.toString());
    } else {
      throw new IllegalArgumentException("not a command-line argument: " + part);
    }
  }

  /**
   * The JVM options every child JVM starts with, before the test's own: the serial collector, as
   * the {@code ./calibra} launcher runs, and the JIT's first tier only, since a child runs for a
   * second or two and the optimising compiler would spend more CPU than it saves.
   */
  static final List<String> CHILD_JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /**
   * The command that runs the command line in a new JVM on this test's class path: {@code java},
   * this JVM's temporary folder, {@link #CHILD_JVM_OPTIONS}, the JVM options, {@code -cp}, the
   * class path, {@link Main}, then the arguments (as {@link #args}).
   */
  static List<String> javaCommand(List<String> jvmOptions, Object... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the test JVM's temporary folder, where tests look for the child's input copies
    cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    cmd.addAll(CHILD_JVM_OPTIONS);
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args(args)));
    return cmd;
  }

  /** Asserts the run succeeded (exit 0), showing its standard error if not. */
  Cli ok() {
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    return this;
  }

  /** Asserts the exit code, and that standard error contains every fragment. */
  Cli exits(int expected, String... fragments) {
    assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expected);
    for (String f : fragments) {
      assertThat(err).contains(f);
    }
    return this;
  }

  /** Asserts standard error is exactly one line. */
  Cli oneLine() {
    assertThat(err.lines().count()).as("one line: %s", err).isEqualTo(1);
    return this;
  }

  /** Asserts standard error shows no exception nor stack trace. */
  Cli noStackTrace() {
    assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
    return this;
  }
}
