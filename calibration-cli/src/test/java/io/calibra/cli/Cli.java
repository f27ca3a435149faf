package io.calibra.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures its output and exit code. */
record Cli(int code, String out, String err) {
  static Cli run(String... args) {
    return runWithInput(new byte[0], args);
  }

  /** Runs with {@code stdin} as standard input (what {@code -} reads). */
  static Cli runWithInput(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args,
            new ByteArrayInputStream(stdin),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new Cli(code, out.toString(), err.toString());
  }
}
