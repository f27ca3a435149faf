package io.calibra.cli;

import io.calibra.cli.output.OutputGroup;
import io.calibra.io.AtomicOutput;
import io.calibra.io.DataFileException;
import io.calibra.io.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The files of one command, checked in one place before anything is read or written.
 *
 * <ul>
 *   <li>{@code -} is standard input (for one input) or standard output (for one output);
 *   <li>an input that is a folder is bad data (exit 3); a missing or unreadable input too, with the
 *       system's reason;
 *   <li>an output that exists and is not a regular file (a device, FIFO, socket or folder) is bad
 *       usage (exit 2);
 *   <li>an output that is the same file as an input or another output (directly, through a symbolic
 *       link or a hard link) is bad usage (exit 2), so an input is never overwritten;
 *   <li>an input the command reads once ({@link #streamedInput}) is read straight from standard
 *       input or the FIFO ({@link #open}, {@link #readJson}): nothing is copied and a stream of any
 *       length flows through;
 *   <li>an input read more than once ({@link #input}) that is standard input or cannot be read
 *       twice (FIFOs, /dev/fd/N) is copied to a bounded, private temporary file ({@link
 *       InputCopy}), removed on {@link #close()} or when the JVM stops, so that such commands never
 *       hang; messages name the input, not the copy.
 * </ul>
 */
final class CommandFiles implements AutoCloseable {
  private record Named(String option, Path path, boolean streamed) {}

  /** How standard input is named in messages. */
  static final Path STANDARD_INPUT = Path.of("standard input");

  private final Main main;
  private final List<Named> inputs = new ArrayList<>();
  private final List<Named> outputs = new ArrayList<>();
  private final Map<Path, Path> copies = new HashMap<>();

  private CommandFiles(Main main) {
    this.main = main;
  }

  /** The files of the command of {@code spec}. */
  static CommandFiles of(CommandSpec spec) {
    Object root = spec.root().userObject();
    return new CommandFiles(root instanceof Main m ? m : new Main(System.in));
  }

  /** Whether {@code path} is {@code -}: standard input or output. */
  static boolean isStandard(Path path) {
    return OutputGroup.isStandard(path);
  }

  /**
   * Declares an input file the command may read more than once (null: the option was not given);
   * read it at {@link #path}.
   */
  CommandFiles input(String option, Path path) {
    if (path != null) {
      inputs.add(new Named(option, path, false));
    }
    return this;
  }

  /**
   * Declares an input file the command reads once, from start to end (null: the option was not
   * given); read it with {@link #open} or {@link #readJson}, name it with {@link #name}.
   */
  CommandFiles streamedInput(String option, Path path) {
    if (path != null) {
      inputs.add(new Named(option, path, true));
    }
    return this;
  }

  /** Declares an output file (null: the option was not given). */
  CommandFiles output(String option, Path path) {
    if (path != null) {
      outputs.add(new Named(option, path, false));
    }
    return this;
  }

  /**
   * Checks every declared file and copies the inputs that cannot be read twice.
   *
   * @throws Main.UsageException for an output that is not a regular file, the same file as an
   *     input, or more than one {@code -}
   * @throws DataFileException for an input that is a folder, missing or unreadable
   */
  CommandFiles check() {
    requireOneStandard(inputs, "standard input");
    requireOneStandard(outputs, "standard output");
    for (Named o : outputs) {
      if (isStandard(o.path())) {
        continue;
      }
      try {
        AtomicOutput.destination(o.path());
      } catch (IllegalArgumentException e) {
        throw new Main.UsageException(o.option() + ": " + e.getMessage());
      }
    }
    for (Named in : inputs) {
      if (!isStandard(in.path())) {
        checkReadable(in.path());
      }
    }
    for (int i = 0; i < outputs.size(); i++) {
      Named o = outputs.get(i);
      if (isStandard(o.path())) {
        continue;
      }
      for (Named in : inputs) {
        if (!isStandard(in.path()) && sameFile(o.path(), in.path())) {
          throw sameFileError(o, in);
        }
      }
      for (int j = 0; j < i; j++) {
        Named other = outputs.get(j);
        if (!isStandard(other.path()) && sameFile(o.path(), other.path())) {
          throw sameFileError(o, other);
        }
      }
    }
    for (Named in : inputs) {
      if (in.streamed()) {
        continue;
      }
      if (isStandard(in.path())) {
        copy(in.path(), main.in, STANDARD_INPUT.toString());
      } else if (!Files.isRegularFile(in.path())) {
        // a FIFO, /dev/stdin, /dev/fd/N: readable once only
        try (InputStream stream = Files.newInputStream(in.path())) {
          copy(in.path(), stream, in.path().toString());
        } catch (IOException e) {
          throw new DataFileException(in.path(), 0, 0, "cannot read: " + AtomicOutput.reason(e), e);
        }
      }
    }
    return this;
  }

  /** The file to read for the input {@code given}: itself, or its temporary copy. */
  Path path(Path given) {
    return given == null ? null : copies.getOrDefault(given, given);
  }

  /** The name of the input {@code given} in messages: itself, or "standard input" for {@code -}. */
  static Path name(Path given) {
    return isStandard(given) ? STANDARD_INPUT : given;
  }

  /** How standard output is named in messages. */
  static final Path STANDARD_OUTPUT = Path.of("standard output");

  /**
   * The name of the output {@code given} in messages: itself, or "standard output" for {@code -}.
   */
  static Path outputName(Path given) {
    return isStandard(given) ? STANDARD_OUTPUT : given;
  }

  /**
   * Opens the input {@code given} for one read: standard input for {@code -} (left open when the
   * stream is closed), else the file or FIFO.
   *
   * @throws DataFileException if it cannot be opened
   */
  InputStream open(Path given) {
    if (isStandard(given)) {
      return new java.io.FilterInputStream(main.in) {
        @Override
        public void close() {
          // standard input belongs to the process
        }
      };
    }
    try {
      return Files.newInputStream(given);
    } catch (NoSuchFileException e) {
      throw new DataFileException(given, 0, 0, "file not found", e);
    } catch (IOException e) {
      throw new DataFileException(given, 0, 0, "cannot read: " + AtomicOutput.reason(e), e);
    }
  }

  /**
   * The bytes of the JSON input {@code given}, read once and at most {@link StrictJson#maxBytes()}
   * of them, so that an endless stream fails at the bound.
   *
   * @throws DataFileException if it cannot be read or is longer than the bound
   */
  byte[] readJson(Path given) {
    try (InputStream in = open(given)) {
      return StrictJson.readStream(in, name(given), StrictJson.maxBytes());
    } catch (IOException e) {
      throw new DataFileException(name(given), 0, 0, "cannot read: " + AtomicOutput.reason(e), e);
    }
  }

  private static Main.UsageException sameFileError(Named output, Named input) {
    return new Main.UsageException(
        output.option()
            + " "
            + output.path()
            + " is the same file as "
            + input.option()
            + " "
            + input.path()
            + "; write the output to another file");
  }

  private static void requireOneStandard(List<Named> files, String what) {
    List<String> options =
        files.stream().filter(f -> isStandard(f.path())).map(Named::option).toList();
    io.calibra.cli.options.OptionRules.checking()
        .require(
            options.size() <= 1,
            String.join(" and ", options) + " are both - but only one can be " + what)
        .check();
  }

  private static void checkReadable(Path file) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, 0, 0, "file not found", e);
    } catch (IOException e) {
      throw new DataFileException(file, 0, 0, "cannot read: " + AtomicOutput.reason(e), e);
    }
    if (attributes.isDirectory()) {
      throw new DataFileException(file, 0, 0, "is a folder; expected a file");
    }
    if (attributes.isRegularFile()) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        // opened and closed: readable
      } catch (AccessDeniedException e) {
        throw new DataFileException(file, 0, 0, "cannot read: Permission denied", e);
      } catch (IOException e) {
        throw new DataFileException(file, 0, 0, "cannot read: " + AtomicOutput.reason(e), e);
      }
    }
  }

  /** Whether writing {@code output} would replace the existing file {@code input}. */
  private static boolean sameFile(Path output, Path other) {
    Path a = AtomicOutput.destination(output);
    boolean aExists = Files.exists(a);
    boolean otherExists = Files.exists(other);
    if (aExists && otherExists) {
      try {
        return Files.isSameFile(a, other);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot compare " + output + " with " + other + ": " + AtomicOutput.reason(e), e);
      }
    }
    if (aExists != otherExists) {
      return false;
    }
    // two outputs, neither written yet: compare where they would be written
    return where(a).equals(where(AtomicOutput.destination(other)));
  }

  private static Path where(Path destination) {
    Path parent = destination.toAbsolutePath().getParent();
    try {
      return parent.toRealPath().resolve(destination.getFileName());
    } catch (IOException e) {
      return destination.toAbsolutePath().normalize(); // the folder is missing: writing fails
    }
  }

  private void copy(Path given, InputStream in, String name) {
    Path copy = InputCopy.of(in, name);
    copies.put(given, copy);
    main.spooled.put(copy.toString(), name);
  }

  /** Removes the temporary copies. */
  @Override
  public void close() {
    UncheckedIOException failure = null;
    for (Path copy : copies.values()) {
      try {
        InputCopy.delete(copy);
      } catch (UncheckedIOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    copies.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
